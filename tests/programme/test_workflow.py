"""The state machine: every allowed transition works, every other one is refused and changes nothing."""

import datetime

import pytest
from django.db import transaction

from millennium.programme import workflow
from millennium.programme.models import Application, Decision, Designation, Review, ReviewScore, Transition
from millennium.programme.workflow import Action

from .conftest import fill_answers

S = Application.State
STATES = list(S.values)
ACTIONS = ["submit", "start_review", "request_changes", "resubmit", "approve", "reject", "withdraw"]
ACTORS = ["editor", "approver", "other_approver", "reviewer", "admin", "site_admin", "conflicted"]

# The specification, written out: (state, action) → the actors who may take it. Everything else is refused.
ALLOWED = {
    (S.DRAFT, "submit"): {"approver"},
    (S.DRAFT, "withdraw"): {"approver"},
    (S.SUBMITTED, "start_review"): {"reviewer", "admin"},
    (S.SUBMITTED, "withdraw"): {"approver"},
    (S.IN_REVIEW, "request_changes"): {"reviewer", "admin"},
    (S.IN_REVIEW, "approve"): {"admin"},
    (S.IN_REVIEW, "reject"): {"admin"},
    (S.IN_REVIEW, "withdraw"): {"approver"},
    (S.CHANGES_REQUESTED, "resubmit"): {"approver"},
    (S.CHANGES_REQUESTED, "withdraw"): {"approver"},
    (S.RESUBMITTED, "start_review"): {"reviewer", "admin"},
    (S.RESUBMITTED, "withdraw"): {"approver"},
}
NEXT = {"submit": S.SUBMITTED, "start_review": S.IN_REVIEW, "request_changes": S.CHANGES_REQUESTED,
        "resubmit": S.RESUBMITTED, "approve": S.APPROVED, "reject": S.REJECTED, "withdraw": S.WITHDRAWN}


def snapshot(application):
    application.refresh_from_db()
    return (application.state, application.submitted_at, application.transitions.count(),
            Decision.objects.filter(application=application).count(), Designation.objects.count())


@pytest.mark.parametrize("state", STATES)
def test_every_state_action_and_role(state, make_application, people, conflicted):
    """All 8 states × 7 actions × 7 actors: allowed ones move the application as the table says; every other one
    raises and leaves the application, its history, decisions and designations exactly as they were."""
    application = make_application(state)
    actors = {**people, "conflicted": conflicted}
    for action in ACTIONS:
        for actor in ACTORS:
            before = snapshot(application)
            savepoint = transaction.savepoint()
            allowed = actor in ALLOWED.get((state, action), set())
            try:
                if allowed:
                    moved = workflow.perform(application.pk, action, actors[actor], reason="Skäl.")
                    assert moved.state == NEXT[action], (state, action, actor)
                    last = moved.transitions.last()
                    assert (last.from_state, last.to_state, last.action, last.by) == (
                        state, NEXT[action], action, actors[actor])
                else:
                    with pytest.raises(workflow.WorkflowError):
                        workflow.perform(application.pk, action, actors[actor], reason="Skäl.")
                    assert snapshot(application) == before, (state, action, actor)
            finally:
                transaction.savepoint_rollback(savepoint)


def test_the_whole_path_with_changes_requested(make_application, people, programme):
    application = make_application()
    workflow.perform(application.pk, Action.SUBMIT, people["approver"])
    workflow.perform(application.pk, Action.START_REVIEW, people["reviewer"])
    workflow.perform(application.pk, Action.REQUEST_CHANGES, people["reviewer"], "Protokollet saknar paragraf.")
    workflow.perform(application.pk, Action.RESUBMIT, people["approver"])
    workflow.perform(application.pk, Action.START_REVIEW, people["admin"])
    review = Review.objects.create(application=application, reviewer=people["reviewer"])
    for criterion in programme.criteria.all():
        ReviewScore.objects.create(review=review, criterion=criterion, score="met")
    workflow.submit_review(review, people["reviewer"])
    day = datetime.date(2010, 12, 15)
    approved = workflow.perform(application.pk, Action.APPROVE, people["admin"], "Alla krav uppfyllda.", today=day)

    assert approved.state == S.APPROVED
    assert [t.to_state for t in approved.transitions.all()] == [
        S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.RESUBMITTED, S.IN_REVIEW, S.APPROVED]
    assert approved.transitions.get(to_state=S.CHANGES_REQUESTED).reason == "Protokollet saknar paragraf."
    decision = approved.decision
    assert (decision.outcome, decision.decided_by, decision.reason) == ("approved", people["admin"],
                                                                       "Alla krav uppfyllda.")
    designation = Designation.objects.get(application=approved)
    assert (designation.valid_from, designation.valid_until) == (day, datetime.date(2011, 12, 15))
    assert designation.number == "MILLENNIEKOMMUN-2010-001"
    assert designation.is_active(day) and not designation.is_active(datetime.date(2011, 12, 16))


def test_rejection_creates_no_designation(make_application, people):
    application = make_application(S.IN_REVIEW)
    workflow.perform(application.pk, Action.REJECT, people["admin"], "Analysen saknas.")
    application.refresh_from_db()
    assert application.state == S.REJECTED and application.decision.outcome == "rejected"
    assert not Designation.objects.exists()


def test_incomplete_application_cannot_be_submitted(make_application, people):
    application = make_application(complete=False)
    with pytest.raises(workflow.Incomplete) as refused:
        workflow.perform(application.pk, Action.SUBMIT, people["approver"])
    assert "inte besvarat" in str(refused.value)
    application.refresh_from_db()
    assert application.state == S.DRAFT and not Transition.objects.filter(application=application).exists()


def test_reasons_are_required_where_the_table_says(make_application, people):
    application = make_application(S.IN_REVIEW)
    for action, actor in [(Action.REQUEST_CHANGES, "reviewer"), (Action.APPROVE, "admin"), (Action.REJECT, "admin")]:
        with pytest.raises(workflow.Incomplete):
            workflow.perform(application.pk, action, people[actor], "  ")
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW and not application.transitions.exists()


def test_no_decision_without_a_handed_in_review(make_application, people):
    application = make_application(S.IN_REVIEW, reviewed=False)
    with pytest.raises(workflow.Incomplete):
        workflow.perform(application.pk, Action.APPROVE, people["admin"], "Bra.")
    assert not Designation.objects.exists()


def test_a_reviewer_from_the_municipality_may_not_review_or_decide(make_application, conflicted):
    application = make_application(S.SUBMITTED)
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.perform(application.pk, Action.START_REVIEW, conflicted)
    assert "sökande kommunen" in str(refused.value)
    application.state = S.IN_REVIEW
    application.save()
    assert not workflow.can_review(conflicted, application)
    review = Review.objects.create(application=application, reviewer=conflicted)
    with pytest.raises(workflow.NotAllowed):
        workflow.submit_review(review, conflicted)
    assert Review.objects.get(pk=review.pk).submitted_at is None


def test_review_must_score_every_criterion(make_application, people, programme):
    application = make_application(S.IN_REVIEW, reviewed=False)
    review = Review.objects.create(application=application, reviewer=people["reviewer"])
    ReviewScore.objects.create(review=review, criterion=programme.criteria.first(), score="met")
    with pytest.raises(workflow.Incomplete):
        workflow.submit_review(review, people["reviewer"])


def test_fairtrade_designation_runs_to_the_end_of_february(orgs, people, programme):
    from millennium.programme.models import Programme

    fairtrade = Programme.objects.get(slug="fairtrade-city")
    application = Application.objects.create(programme=fairtrade, organisation=orgs["malmo"])
    fill_answers(application)
    application.state = S.IN_REVIEW
    application.save()
    review = Review.objects.create(application=application, reviewer=people["reviewer"])
    for criterion in fairtrade.criteria.all():
        ReviewScore.objects.create(review=review, criterion=criterion, score="met")
    workflow.submit_review(review, people["reviewer"])
    workflow.perform(application.pk, Action.APPROVE, people["admin"], "Ja.", today=datetime.date(2026, 3, 10))
    designation = Designation.objects.get(application=application)
    assert designation.valid_until == datetime.date(2027, 2, 28)
    assert fairtrade.valid_until(datetime.date(2027, 2, 28)) == datetime.date(2028, 2, 29)  # leap year
