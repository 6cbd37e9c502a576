"""The programme demo: the three programmes, the programme office, Malmö's 2010 application in state submitted,
a designated example municipality and one demo account per role (`millennium programme load-demo`).

Idempotent: programmes, organisations, accounts and applications are known by slug, name, user name and
(programme, organisation, example flag); loading again creates nothing twice and leaves what people changed on
the site alone. The demo accounts get new random passwords at every load, printed once to `out`: the demo only
(the command is never run by a production set-up). All or nothing: a bad file changes nothing.
"""

import datetime
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from millennium.frameworks.models import Framework
from millennium.organisations.models import Membership, Organisation, Role
from millennium.places.models import Area
from millennium.readers import InputError

from .followup import prefill_goal_analyses
from .models import (Answer, Application, Criterion, Decision, Designation, GoalAnalysis, Programme, Review,
                     ReviewScore, Transition)
from .workflow import expected_goals, next_number

DATA = Path(__file__).parent / "data"
PROGRAMMES = DATA / "programmes.yaml"
DEMO = DATA / "demo.yaml"
State = Application.State


@dataclass
class DemoSummary:
    programmes_new: int = 0
    applications_new: int = 0
    passwords: dict = field(default_factory=dict)


def _read(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        raise InputError(path, mark.line + 1 if mark else None, f"not valid YAML: {e.problem}",
                         mark.column + 1 if mark else None) from None


def load_programmes(path: Path = PROGRAMMES) -> int:
    """Creates the programmes and criteria of `path` that are missing; returns how many programmes were new."""
    entries = _read(path)
    if not isinstance(entries, list):
        raise InputError(path, 1, "expected a list of programmes")
    new = 0
    kinds = set(Criterion.Kind.values)
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("slug"):
            raise InputError(path, None, "expected each programme to be a mapping with a slug")
        framework = None
        if entry.get("framework"):
            framework = Framework.objects.filter(code=entry["framework"]).first()
            if framework is None:
                raise InputError(path, None, f"programme {entry['slug']}: unknown framework {entry['framework']!r} "
                                 "(run `millennium init` first)")
        fields = {name: entry.get(name) for name in ("name_sv", "name_en", "goal_count", "renewal_deadline_month",
                                                     "renewal_deadline_day")}
        programme, created = Programme.objects.get_or_create(slug=entry["slug"], defaults={
            **fields, "description_sv": entry.get("description_sv", ""),
            "description_en": entry.get("description_en", ""), "framework": framework,
            "renewal_months": entry.get("renewal_months", 12)})
        new += created
        for order, criterion in enumerate(entry.get("criteria") or [], start=1):
            if criterion.get("kind") not in kinds:
                raise InputError(path, None, f"programme {entry['slug']}, criterion {criterion.get('code')}: kind "
                                 f"must be one of {', '.join(sorted(kinds))}")
            Criterion.objects.get_or_create(programme=programme, code=str(criterion["code"]), defaults={
                "order": order, "kind": criterion["kind"],
                **{name: criterion.get(name, "") for name in ("title_sv", "title_en", "help_sv", "help_en")}})
    return new


def placeholder_pdf(text: str) -> bytes:
    """A one-page PDF that shows `text` (Latin-1), standing in for real minutes in the demo."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
    content = b"BT /F1 14 Tf 56 780 Td (" + escaped + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _municipality(path: Path, spec: dict) -> Organisation:
    area = Area.objects.filter(code=str(spec["area"]), level=Area.Level.MUNICIPALITY).first()
    if area is None:
        raise InputError(path, None, f"unknown municipality {spec['area']!r} (run `millennium init` first)")
    organisation, _ = Organisation.objects.get_or_create(area=area, defaults={
        "name": spec["name"], "kind": Organisation.Kind.MUNICIPALITY})
    return organisation


def _answers(application: Application, spec: dict, by) -> None:
    """Answers to every criterion of a Millenniekommun-like programme from the demo file's facts."""
    area = application.organisation.area
    for criterion in application.programme.criteria.filter(is_active=True):
        answer = Answer.objects.create(application=application, criterion=criterion, updated_by=by)
        if criterion.kind == Criterion.Kind.DECISION:
            decision = spec["decision"]
            answer.decided_by_body = decision["decided_by_body"]
            answer.decided_on = decision["decided_on"]
            answer.case_reference = decision["case_reference"]
            answer.text = decision.get("text", "")
            answer.minutes.save("minutes.pdf", ContentFile(placeholder_pdf(decision["minutes_text"])), save=False)
        elif criterion.kind == Criterion.Kind.URL:
            answer.url = spec["url"]
        elif criterion.kind == Criterion.Kind.GOAL_ANALYSIS:
            answer.text = spec.get("goal_overview", "")
            answer.save()
            prefill_goal_analyses(answer, area)
            texts = spec.get("goals") or {}
            for goal in expected_goals(application):
                GoalAnalysis.objects.filter(answer=answer, goal=goal).update(
                    text=texts.get(goal.code, spec.get("goal_text", "")))
        else:
            answer.text = spec.get("goal_text", "")
        answer.save()


def load_demo(path: Path = DEMO, out=None, today: datetime.date | None = None) -> DemoSummary:
    spec = _read(path)
    summary = DemoSummary()
    today = today or timezone.localdate()
    with transaction.atomic():
        summary.programmes_new = load_programmes(PROGRAMMES)
        office, _ = Organisation.objects.get_or_create(name=spec["programme_office"]["name"],
                                                       kind=Organisation.Kind.PROGRAMME_OFFICE)
        malmo = _municipality(path, spec["malmo"])
        example = _municipality(path, spec["example"])
        organisations = {"malmo": malmo, "office": office}

        users = {}
        User = get_user_model()
        for account in spec["accounts"]:
            user, _ = User.objects.get_or_create(username=account["username"])
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.email = f"{account['username']}@example.org"
            user.is_superuser = user.is_staff = bool(account.get("site_admin"))
            user.save()
            if account.get("organisation"):
                Membership.objects.get_or_create(user=user, organisation=organisations[account["organisation"]],
                                                 role=account["role"])
            users[account.get("role", "site_admin")] = user
            summary.passwords[account["username"]] = password
        if out is not None:
            # Printed first, before anything else the demo says: the demo only, never in production.
            out.write("Demo accounts (new passwords at every load; demo only):\n")
            for username, password in summary.passwords.items():
                out.write(f"  {username:24} {password}\n")
            out.flush()

        summary.applications_new += _malmo_application(spec["malmo"], malmo, users)
        summary.applications_new += _designated_example(spec["example"], example, users, today)
    if out is not None:
        out.write(f"Programmes: {summary.programmes_new} new; demo applications: {summary.applications_new} new.\n")
    return summary


def _malmo_application(spec: dict, organisation: Organisation, users: dict) -> int:
    programme = Programme.objects.get(slug=spec["programme"])
    if Application.objects.filter(programme=programme, organisation=organisation, is_example=True).exists():
        return 0
    now = timezone.now()
    application = Application.objects.create(programme=programme, organisation=organisation, is_example=True,
                                             created_by=users[Role.EDITOR])
    _answers(application, spec, users[Role.EDITOR])
    Transition.objects.create(application=application, from_state=State.DRAFT, to_state=State.SUBMITTED,
                              action="submit", by=users[Role.APPROVER], at=now)
    application.state, application.submitted_at = State.SUBMITTED, now
    application.save(update_fields=["state", "submitted_at"])
    return 1


def _designated_example(spec: dict, organisation: Organisation, users: dict, today: datetime.date) -> int:
    programme = Programme.objects.get(slug=spec["programme"])
    if Application.objects.filter(programme=programme, organisation=organisation, is_example=True).exists():
        return 0
    now = timezone.now()
    application = Application.objects.create(programme=programme, organisation=organisation, is_example=True)
    _answers(application, spec, None)
    reviewer, admin = users[Role.REVIEWER], users[Role.PROGRAMME_ADMIN]
    steps = [(State.DRAFT, State.SUBMITTED, "submit", None, ""),
             (State.SUBMITTED, State.IN_REVIEW, "start_review", reviewer, ""),
             (State.IN_REVIEW, State.APPROVED, "approve", admin, spec["decision_reason"])]
    for from_state, to_state, action, by, reason in steps:
        Transition.objects.create(application=application, from_state=from_state, to_state=to_state, action=action,
                                  by=by, at=now, reason=reason)
    review = Review.objects.create(application=application, reviewer=reviewer, summary=spec["review_comment"],
                                   submitted_at=now)
    for criterion in programme.criteria.filter(is_active=True):
        ReviewScore.objects.create(review=review, criterion=criterion, score=ReviewScore.Score.MET,
                                   comment=spec["review_comment"])
    Decision.objects.create(application=application, outcome=Decision.Outcome.APPROVED, decided_by=admin,
                            decided_at=now, reason=spec["decision_reason"])
    application.state, application.submitted_at = State.APPROVED, now
    application.save(update_fields=["state", "submitted_at"])
    Designation.objects.create(programme=programme, organisation=organisation, application=application,
                               number=next_number(programme, today.year), valid_from=today,
                               valid_until=programme.valid_until(today), is_example=True)
    return 1
