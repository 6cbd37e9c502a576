"""The application workflow: an explicit state machine, and the one function that moves an application.

    draft ──submit──► submitted ──start_review──► in_review ──approve──► approved (→ designation)
                                                     │  └──reject──► rejected
                                      request_changes│
                                                     ▼
              resubmitted ◄──resubmit── changes_requested
                   └──start_review──► in_review …
    withdraw: from any open state → withdrawn

Who may act comes from memberships (organisations.roles): the municipality's approver submits, resubmits and
withdraws (editors draft and edit answers but may not submit); a reviewer or the programme admin takes an
application up for review and requests changes; only the programme admin decides. Programme staff who are also
members of the applying municipality may not act on its application (nobody reviews their own municipality).
Site administrators run the site; they do not take part in the programme's decisions.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from millennium.organisations.models import Membership, Organisation, Role
from millennium.organisations.roles import has_role, is_programme_staff

from .models import Application, Criterion, Decision, Designation, Review, Transition
from .notifications import notify

State = Application.State


class Action:
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    REQUEST_CHANGES = "request_changes"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"


ACTION_LABELS = {
    Action.SUBMIT: _("Skicka in"),
    Action.START_REVIEW: _("Börja granska"),
    Action.REQUEST_CHANGES: _("Begär komplettering"),
    Action.RESUBMIT: _("Skicka in igen"),
    Action.APPROVE: _("Godkänn"),
    Action.REJECT: _("Avslå"),
    Action.WITHDRAW: _("Ta tillbaka"),
}

OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.RESUBMITTED)


@dataclass(frozen=True)
class Rule:
    to_state: str
    roles: tuple[str, ...]
    # Which organisation the role must be held in: the applying municipality or the programme office.
    side: str  # "municipality" | "programme"
    needs_reason: bool = False


_MUNICIPALITY, _PROGRAMME = "municipality", "programme"

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (State.DRAFT, Action.SUBMIT): Rule(State.SUBMITTED, (Role.APPROVER,), _MUNICIPALITY),
    (State.SUBMITTED, Action.START_REVIEW): Rule(State.IN_REVIEW, (Role.REVIEWER, Role.PROGRAMME_ADMIN), _PROGRAMME),
    (State.RESUBMITTED, Action.START_REVIEW): Rule(State.IN_REVIEW, (Role.REVIEWER, Role.PROGRAMME_ADMIN),
                                                   _PROGRAMME),
    (State.IN_REVIEW, Action.REQUEST_CHANGES): Rule(State.CHANGES_REQUESTED, (Role.REVIEWER, Role.PROGRAMME_ADMIN),
                                                    _PROGRAMME, needs_reason=True),
    (State.CHANGES_REQUESTED, Action.RESUBMIT): Rule(State.RESUBMITTED, (Role.APPROVER,), _MUNICIPALITY),
    (State.IN_REVIEW, Action.APPROVE): Rule(State.APPROVED, (Role.PROGRAMME_ADMIN,), _PROGRAMME, needs_reason=True),
    (State.IN_REVIEW, Action.REJECT): Rule(State.REJECTED, (Role.PROGRAMME_ADMIN,), _PROGRAMME, needs_reason=True),
    **{(state, Action.WITHDRAW): Rule(State.WITHDRAWN, (Role.APPROVER,), _MUNICIPALITY) for state in OPEN_STATES},
}


class WorkflowError(Exception):
    """A transition that may not happen; the message says why, in the user's language."""


class NotAllowed(WorkflowError):
    """The user lacks the role for this action (or is barred from it): the views answer 403."""


class WrongState(WorkflowError):
    """The action does not apply to the application's current state: the views answer 409."""


class Incomplete(WorkflowError):
    """Something the action needs is missing (a reason, answers, a review): the views show it on the form."""


# — who is who —

def is_member(user, organisation: Organisation) -> bool:
    return has_role(user, organisation, Role.EDITOR, Role.APPROVER)


def is_conflicted(user, application: Application) -> bool:
    """Programme staff who belong to the applying municipality: they may not review or decide its application."""
    return user.is_authenticated and Membership.objects.filter(user=user,
                                                                organisation=application.organisation_id).exists()


def holds(user, application: Application, rule: Rule) -> bool:
    if not user.is_authenticated:
        return False
    if rule.side == _MUNICIPALITY:
        return has_role(user, application.organisation, *rule.roles)
    return is_programme_staff(user, *rule.roles) and not is_conflicted(user, application)


def can_review(user, application: Application) -> bool:
    return (application.state == State.IN_REVIEW and is_programme_staff(user)
            and not is_conflicted(user, application))


def can_edit_answers(user, application: Application) -> bool:
    return application.is_editable and is_member(user, application.organisation)


def available_actions(user, application: Application) -> list[str]:
    """The actions `user` may take on `application` now (for the buttons on its page)."""
    return [action for (state, action), rule in TRANSITIONS.items()
            if state == application.state and holds(user, application, rule)]


# — completeness —

def missing_answers(application: Application) -> list[str]:
    """What must still be filled in before the application can be submitted, one line per gap."""
    answers = {a.criterion_id: a for a in application.answers.prefetch_related("goal_analyses__goal")}
    gaps = []
    for criterion in application.programme.criteria.filter(is_active=True):
        answer = answers.get(criterion.pk)
        label = f"{criterion.code} {criterion.title}"
        if answer is None:
            gaps.append(gettext("%(criterion)s: inte besvarat") % {"criterion": label})
            continue
        if criterion.kind == Criterion.Kind.DECISION:
            if not (answer.decided_by_body and answer.decided_on and answer.case_reference and answer.minutes):
                gaps.append(gettext("%(criterion)s: organ, datum, ärende och protokoll (PDF) behövs")
                            % {"criterion": label})
        elif criterion.kind == Criterion.Kind.URL:
            if not answer.url:
                gaps.append(gettext("%(criterion)s: webbadress saknas") % {"criterion": label})
        elif criterion.kind == Criterion.Kind.GOAL_ANALYSIS:
            goals = expected_goals(application)
            written = {ga.goal_id for ga in answer.goal_analyses.all() if ga.text.strip()}
            if goals and not all(goal.pk in written for goal in goals):
                gaps.append(gettext("%(criterion)s: text behövs för varje mål") % {"criterion": label})
            if not goals and not answer.text.strip():
                gaps.append(gettext("%(criterion)s: text saknas") % {"criterion": label})
        elif not answer.text.strip():
            gaps.append(gettext("%(criterion)s: text saknas") % {"criterion": label})
    return gaps


def expected_goals(application: Application):
    framework = application.programme.framework
    return list(framework.goals.order_by("number")) if framework else []


# — the transition —

def perform(application_id: int, action: str, user, reason: str = "", *,
            today: datetime.date | None = None) -> Application:
    """Move the application by `action`, as `user`, or raise a WorkflowError and change nothing.

    Locks the application row (select_for_update) so two people acting at once cannot both move it; records
    the Transition; on approval creates the Designation (or extends it, for a follow-up); notifies everyone the
    change concerns, after the transaction commits.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        application = (Application.objects.select_for_update().select_related("programme", "organisation")
                       .get(pk=application_id))
        rule = TRANSITIONS.get((application.state, action))
        if rule is None:
            if action not in {a for _state, a in TRANSITIONS}:
                raise WrongState(gettext("Okänd åtgärd: %(action)s.") % {"action": action})
            raise WrongState(gettext("Ansökan är %(state)s; den åtgärden går inte nu.")
                             % {"state": application.get_state_display()})
        if not holds(user, application, rule):
            if rule.side == _PROGRAMME and user.is_authenticated and is_conflicted(user, application):
                raise NotAllowed(gettext("Du tillhör den sökande kommunen och kan inte granska eller besluta om "
                                    "dess ansökan."))
            raise NotAllowed(gettext("Din roll ger inte rätt till den åtgärden."))
        if rule.needs_reason and not reason:
            raise Incomplete(gettext("Skriv en motivering."))
        if action in (Action.SUBMIT, Action.RESUBMIT) and (gaps := missing_answers(application)):
            raise Incomplete(gettext("Ansökan är inte komplett: %(gaps)s.") % {"gaps": "; ".join(gaps)})
        if action in (Action.APPROVE, Action.REJECT) and not application.reviews.filter(
                submitted_at__isnull=False).exists():
            raise Incomplete(gettext("Ingen granskning är inlämnad än."))

        now = timezone.now()
        Transition.objects.create(application=application, from_state=application.state, to_state=rule.to_state,
                                  action=action, by=user, at=now, reason=reason)
        previous = application.state
        application.state = rule.to_state
        if action in (Action.SUBMIT, Action.RESUBMIT):
            application.submitted_at = now
        application.save(update_fields=["state", "submitted_at", "updated_at"])
        if action in (Action.APPROVE, Action.REJECT):
            Decision.objects.create(application=application, outcome=rule.to_state, decided_by=user,
                                    decided_at=now, reason=reason)
        if action == Action.APPROVE:
            _designate(application, today or timezone.localdate(now))
    # After the change is saved (not on_commit: a caller's own transaction, such as a test's, would hold it back).
    _notify(application, action, previous, user, reason)
    return application


def _designate(application: Application, day: datetime.date) -> Designation:
    programme = application.programme
    if application.kind == Application.Kind.FOLLOW_UP:
        designation = Designation.objects.select_for_update().get(pk=application.designation_id)
        if designation.lapsed_at is not None:
            raise WrongState(gettext("Utmärkelsen har upphört och kan inte förnyas; kommunen kan ansöka på nytt."))
        designation.valid_until = programme.valid_until(max(designation.valid_until, day))
        designation.save(update_fields=["valid_until", "updated_at"])
        return designation
    return Designation.objects.create(programme=programme, organisation=application.organisation,
                                      application=application, number=next_number(programme, day.year),
                                      valid_from=day, valid_until=programme.valid_until(day),
                                      is_example=application.is_example)


def next_number(programme, year: int) -> str:
    """The designation's number, printed on the diploma: programme, year and a serial ("MILLENNIEKOMMUN-2010-001")."""
    prefix = f"{programme.slug.upper()[:20]}-{year}-"
    taken = set(Designation.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    serial = len(taken) + 1
    while f"{prefix}{serial:03d}" in taken:
        serial += 1
    return f"{prefix}{serial:03d}"


# — who hears about it —

def municipality_people(organisation):
    return {m.user for m in Membership.objects.filter(organisation=organisation, role__in=(Role.EDITOR, Role.APPROVER),
                                                      user__is_active=True).select_related("user")}


def programme_people(*roles):
    roles = roles or (Role.REVIEWER, Role.PROGRAMME_ADMIN)
    return {m.user for m in Membership.objects.filter(organisation__kind=Organisation.Kind.PROGRAMME_OFFICE,
                                                      role__in=roles, user__is_active=True).select_related("user")}


SUBJECTS = {
    Action.SUBMIT: _("%(programme)s: %(organisation)s har skickat in sin ansökan"),
    Action.START_REVIEW: _("%(programme)s: ansökan från %(organisation)s granskas"),
    Action.REQUEST_CHANGES: _("%(programme)s: komplettering begärd av %(organisation)s"),
    Action.RESUBMIT: _("%(programme)s: %(organisation)s har skickat in sin ansökan igen"),
    Action.APPROVE: _("%(programme)s: ansökan från %(organisation)s är godkänd"),
    Action.REJECT: _("%(programme)s: ansökan från %(organisation)s är avslagen"),
    Action.WITHDRAW: _("%(programme)s: %(organisation)s har tagit tillbaka sin ansökan"),
}


def _notify(application: Application, action: str, previous: str, actor, reason: str) -> None:
    people = municipality_people(application.organisation)
    if action in (Action.SUBMIT, Action.RESUBMIT):
        people |= programme_people()
    elif action == Action.WITHDRAW and previous != State.DRAFT:
        people |= programme_people()
    elif action in (Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES):
        people |= {review.reviewer for review in application.reviews.select_related("reviewer")}
    people.discard(actor)
    subject = SUBJECTS[action]
    body = _("Ansökan är nu %(state)s.")
    notify(people, subject, body, reverse("programme:application", args=[application.pk]),
           params={"programme": application.programme.name_sv, "organisation": application.organisation.name,
                   "state": application.get_state_display()}, reason=reason)


def submit_review(review: Review, user) -> None:
    """Hand in a review (every criterion scored); the programme admins hear of it."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=review.application_id)
        if not can_review(user, application) or review.reviewer_id != user.pk:
            raise NotAllowed(gettext("Du kan inte granska den här ansökan."))
        criteria = set(application.programme.criteria.filter(is_active=True).values_list("pk", flat=True))
        if not criteria <= set(review.scores.values_list("criterion_id", flat=True)):
            raise Incomplete(gettext("Bedöm varje kriterium innan du lämnar in granskningen."))
        review.submitted_at = timezone.now()
        review.save(update_fields=["submitted_at", "updated_at"])
    notify(programme_people(Role.PROGRAMME_ADMIN) - {user},
           _("%(programme)s: en granskning av ansökan från %(organisation)s är inlämnad"), "",
           reverse("programme:application", args=[application.pk]),
           params={"programme": application.programme.name_sv, "organisation": application.organisation.name})
