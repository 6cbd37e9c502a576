"""Good practices: the published ones to read (filtered, searched), and drafts written with a token.

A token with practices:write drafts a practice for its own municipality. Publishing stays in the web, where
an approver who did not write the text publishes it (practices/permissions.py: four eyes); the token's
creator counts as the author.
"""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import AfterValidator, StringConstraints

from millennium.frameworks.models import Goal
from millennium.frameworks.models import Target as GoalTarget
from millennium.organisations.models import ApiToken
from millennium.practices import search
from millennium.practices.models import Practice
from millennium.statistics.models import Measure

from .auth import TokenAuth
from .conditional import etag_view
from .lookups import area_id, goal_id, measure_id
from .schemas import CODE_PATTERN, ERRORS, MAX_LIMIT, MAX_OFFSET, WRITE_ERRORS, Page
from .throttles import ReadThrottle, WriteThrottle

router = Router(tags=["practices"])
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
TEXT = r"^[^\x00]{1,200}$"


def _storable(text: str) -> str:
    """No NUL and no lone surrogates: neither can be stored as text (PostgreSQL refuses both)."""
    if "\x00" in text:
        raise ValueError("contains a NUL character; expected text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an unpaired surrogate; expected valid Unicode text") from None
    return text


Text = Annotated[str, AfterValidator(_storable)]


class GoalRef(Schema):
    framework: Code = Field("sdg", description="sdg or mdg")
    code: Code = Field(..., description="The goal's code (11) or the target's (11.1)")


class PracticeOut(Schema):
    id: int
    municipality: str
    municipality_name: str
    title: str
    summary: str
    body: str = Field(..., description="Markdown, as written")
    body_html: str = Field(..., description="The body as sanitised HTML, as the site shows it")
    results: str
    period_start: int | None
    period_end: int | None
    contact_role: str
    goals: list[GoalRef]
    targets: list[GoalRef]
    measures: list[str]
    status: str
    is_example: bool
    published_at: datetime | None
    url: str


class PracticePage(Page):
    items: list[PracticeOut]


def _out(practices) -> list[dict]:
    """Rows of `PracticeOut` for the practices, in their order; three queries for the relations."""
    practices = list(practices)
    ids = [p.id for p in practices]
    goals, targets, measures = {}, {}, {}
    for pid, framework, code in Practice.goals.through.objects.filter(practice_id__in=ids).order_by(
            "-goal__framework__code", "goal__number").values_list("practice_id", "goal__framework__code", "goal__code"):
        goals.setdefault(pid, []).append({"framework": framework, "code": code})
    for pid, framework, code in Practice.targets.through.objects.filter(practice_id__in=ids).order_by(
            "target__code").values_list("practice_id", "target__goal__framework__code", "target__code"):
        targets.setdefault(pid, []).append({"framework": framework, "code": code})
    for pid, code in Practice.measures.through.objects.filter(practice_id__in=ids).order_by(
            "measure__code").values_list("practice_id", "measure__code"):
        measures.setdefault(pid, []).append(code)
    return [{
        "id": p.id, "municipality": p.municipality.code, "municipality_name": p.municipality.name,
        "title": p.title, "summary": p.summary, "body": p.body, "body_html": p.body_html, "results": p.results,
        "period_start": p.period_start, "period_end": p.period_end, "contact_role": p.contact_role,
        "goals": goals.get(p.id, []), "targets": targets.get(p.id, []), "measures": measures.get(p.id, []),
        "status": p.status, "is_example": p.is_example, "published_at": p.published_at,
        "url": reverse("practice", args=[p.id]),
    } for p in practices]


@router.get("/practices", response={200: PracticePage, **ERRORS})
@decorate_view(etag_view)
def practices(request, municipality: Code | None = Query(None, description="A municipality's code, e.g. 1280"),
              goal: Code | None = Query(None, description="A goal's code, e.g. 11"),
              framework: Code = Query("sdg", description="The goal's framework"),
              measure: Code | None = Query(None, description="A key figure's code, e.g. N00945"),
              q: str | None = Query(None, pattern=TEXT, description="Words in the text (Swedish full-text search)"),
              limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """Published practices, newest first, or best match first with `q`."""
    rows = Practice.objects.published().select_related("municipality")
    if municipality:
        rows = rows.filter(municipality_id=area_id(municipality))
    if goal:
        rows = rows.filter(goals=goal_id(framework, goal))
    if measure:
        rows = rows.filter(measures=measure_id(measure))
    ranked = search.search(q) if q else None
    if ranked is not None:
        place = {pk: i for i, pk in enumerate(ranked)}
        found = sorted(rows.filter(pk__in=ranked), key=lambda p: place[p.pk])
        return {"count": len(found), "limit": limit, "offset": offset, "items": _out(found[offset:offset + limit])}
    ordered = rows.order_by("is_example", "-published_at", "-id")
    return {"count": rows.count(), "limit": limit, "offset": offset, "items": _out(ordered[offset:offset + limit])}


@router.get("/practices/{id}", response={200: PracticeOut, **ERRORS})
@decorate_view(etag_view)
def practice(request, id: int = Path(..., ge=1, le=2**62)):
    found = Practice.objects.published().select_related("municipality").filter(id=id)
    if not found:
        raise HttpError(404, f"unknown practice {id}: no published practice has that id")
    return _out(found)[0]


class PracticeIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    summary: Text = Field(..., min_length=1, max_length=1000)
    body: Text = Field(..., min_length=1, max_length=100_000, description="Markdown: ## heading, - list, [text](https://…)")
    results: Text = Field("", max_length=100_000)
    period_start: int | None = Field(None, ge=1900, le=2100)
    period_end: int | None = Field(None, ge=1900, le=2100, description="Empty while the work goes on")
    contact_role: Text = Field("", max_length=120, description="A role (\"Miljöstrateg\"), no names or numbers")
    goals: list[GoalRef] = Field([], max_length=100)
    targets: list[GoalRef] = Field([], max_length=500)
    measures: list[Code] = Field([], max_length=500)


def _related(payload: PracticeIn) -> tuple[list[int], list[int], list[int]]:
    """Ids of the goals, targets and key figures named; 422 naming the first unknown one."""
    goals, targets, measures = [], [], []
    for i, ref in enumerate(payload.goals):
        found = Goal.objects.filter(framework__code=ref.framework, code=ref.code).values_list("id", flat=True).first()
        if found is None:
            raise HttpError(422, f"goals[{i}]: unknown goal {ref.framework} {ref.code}; expected e.g. "
                                 '{"framework": "sdg", "code": "11"}')
        goals.append(found)
    for i, ref in enumerate(payload.targets):
        found = list(GoalTarget.objects.filter(goal__framework__code=ref.framework, code=ref.code)
                     .values_list("id", flat=True)[:2])
        if len(found) != 1:
            raise HttpError(422, f"targets[{i}]: unknown target {ref.framework} {ref.code}; expected e.g. "
                                 '{"framework": "sdg", "code": "11.1"}')
        targets.append(found[0])
    known = dict(Measure.objects.filter(code__in=payload.measures).values_list("code", "id"))
    for i, code in enumerate(payload.measures):
        if code not in known:
            raise HttpError(422, f"measures[{i}]: unknown key figure {code!r}; expected a code such as N00945")
        measures.append(known[code])
    return goals, targets, measures


@router.post("/practices", response={201: PracticeOut, **WRITE_ERRORS},
             auth=TokenAuth(ApiToken.Scope.PRACTICES), throttle=[ReadThrottle(), WriteThrottle()],
             summary="Draft a practice (token with practices:write)")
def draft_practice(request, payload: PracticeIn):
    """A draft practice of the token's municipality. It is published in the web by an approver (four eyes)."""
    token = request.auth
    municipality = token.organisation.area
    if municipality is None:
        raise HttpError(403, f"{token.organisation.name} is not a municipality; only a municipality's tokens "
                             "draft practices")
    goals, targets, measures = _related(payload)
    fields = payload.dict(exclude={"goals", "targets", "measures"})
    practice = Practice(municipality=municipality, status=Practice.Status.DRAFT, created_by=token.created_by,
                        updated_by=token.created_by, **fields)
    try:
        practice.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise HttpError(422, f"{field}: {' '.join(messages)}") from None
    with transaction.atomic():
        practice.save()
        practice.goals.set(goals)
        practice.targets.set(targets)
        practice.measures.set(measures)
    return Status(201, _out(Practice.objects.select_related("municipality").filter(id=practice.id))[0])
