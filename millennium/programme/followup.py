"""The yearly follow-up of a designation, and the key figures a goal analysis cites.

A follow-up is an Application of kind follow_up, answered like an application but pre-filled: the answers of the
last approved application or follow-up are carried over, and each goal's analysis lists the municipality's
current assessments of that goal's key figures (the same figures and statuses as the municipality overview,
web/goal_figures.py) and its published good practices for the goal.
"""

from django.db import transaction
from django.utils.translation import gettext

from millennium.practices.models import Practice
from millennium.web.goal_figures import assessments, goal_links, status_of

from .models import Answer, Application, Criterion, Designation, GoalAnalysis
from .workflow import WorkflowError, expected_goals

#: How many assessed key figures a pre-filled goal analysis cites: the best and the worst matter most.
CITED_PER_GOAL = 6


def cited(area, measures) -> list[dict]:
    """The assessments of `measures` in `area` as they are now, frozen into GoalAnalysis.cited_assessments."""
    measures = list(measures)
    found = assessments(area, [m.pk for m in measures])
    rows = []
    for measure in measures:
        assessment = found.get(measure.pk)
        status = status_of(assessment)
        rows.append({"code": measure.code, "title": measure.title_sv, "title_en": measure.title_en,
                     "status": status["code"], "level": status["level"],
                     "base_year": assessment.base_year if assessment else None,
                     "current_year": assessment.current_year if assessment else None,
                     "current_value": assessment.current_value if assessment else None})
    return rows


def current_figures(area, goal) -> list:
    """The goal's key figures that are assessed in `area`, best and worst first (CITED_PER_GOAL of them)."""
    links = goal_links(goal.framework.code, goal)
    found = assessments(area, {link.measure_id for link in links})
    assessed = sorted({link.measure_id: link.measure for link in links if link.measure_id in found}.values(),
                      key=lambda m: (status_of(found[m.pk])["level"], m.code))
    if len(assessed) <= CITED_PER_GOAL:
        return assessed
    half = CITED_PER_GOAL // 2
    return assessed[:half] + assessed[-half:]


def latest_approved(designation: Designation) -> Application:
    approved = designation.follow_ups.filter(state=Application.State.APPROVED).order_by("-submitted_at").first()
    return approved or designation.application


@transaction.atomic
def start_follow_up(designation: Designation, user) -> Application:
    """A draft follow-up of `designation`, pre-filled; refused while another one is open or after it lapsed."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the organisation's area.
    designation = (Designation.objects.select_for_update(of=("self",))
                   .select_related("programme", "organisation__area").get(pk=designation.pk))
    if designation.lapsed_at is not None:
        raise WorkflowError(gettext("Utmärkelsen har upphört; kommunen kan ansöka på nytt."))
    open_one = designation.follow_ups.exclude(state__in=(Application.State.APPROVED, Application.State.REJECTED,
                                                         Application.State.WITHDRAWN)).first()
    if open_one:
        return open_one
    follow_up = Application.objects.create(programme=designation.programme, organisation=designation.organisation,
                                           kind=Application.Kind.FOLLOW_UP, designation=designation,
                                           created_by=user, is_example=designation.is_example)
    previous = {a.criterion_id: a for a in latest_approved(designation).answers.prefetch_related("goal_analyses")}
    area = designation.organisation.area
    for criterion in designation.programme.criteria.filter(is_active=True):
        old = previous.get(criterion.pk)
        answer = Answer.objects.create(
            application=follow_up, criterion=criterion, updated_by=user,
            **({field: getattr(old, field) for field in ("text", "url", "decided_by_body", "decided_on",
                                                          "case_reference", "minutes")} if old else {}))
        if criterion.kind == Criterion.Kind.GOAL_ANALYSIS:
            prefill_goal_analyses(answer, area, old)
    return follow_up


def prefill_goal_analyses(answer: Answer, area, old: Answer | None = None) -> None:
    """One GoalAnalysis per goal: last time's text, the goal's assessed key figures now, the published practices."""
    old_texts = {ga.goal_id: ga.text for ga in old.goal_analyses.all()} if old else {}
    practices = Practice.objects.published().filter(municipality=area)
    for goal in expected_goals(answer.application):
        measures = current_figures(area, goal)
        analysis = GoalAnalysis.objects.create(answer=answer, goal=goal, text=old_texts.get(goal.pk, ""),
                                               cited_assessments=cited(area, measures))
        analysis.measures.set(measures)
        analysis.practices.set(practices.filter(goals=goal))
