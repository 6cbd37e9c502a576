"""The yearly follow-up (pre-filled, decided like an application, extends the designation) and lapsing with
reminders 60 and 14 days before."""

import datetime

import pytest
from django.core import mail

from millennium.programme import workflow
from millennium.programme.followup import start_follow_up
from millennium.programme.lapsing import lapse_and_remind
from millennium.programme.models import (Application, Criterion, Designation, GoalAnalysis, Notification, Reminder,
                                         Review, ReviewScore)
from millennium.statistics.models import Assessment

S = Application.State
DAY = datetime.date


@pytest.fixture
def designation(make_application, programme, orgs):
    approved = make_application(S.APPROVED)
    return Designation.objects.create(programme=programme, organisation=orgs["malmo"], application=approved,
                                      number="MILLENNIEKOMMUN-2025-001", valid_from=DAY(2025, 6, 1),
                                      valid_until=DAY(2026, 6, 1))


def test_reminders_60_and_14_days_before_each_once(designation, people):
    assert lapse_and_remind(DAY(2026, 3, 1)).reminders == 0          # 92 days before: nothing yet
    assert lapse_and_remind(DAY(2026, 4, 2)).reminders == 1          # 60 days before
    assert lapse_and_remind(DAY(2026, 4, 3)).reminders == 0          # already sent
    assert lapse_and_remind(DAY(2026, 5, 18)).reminders == 1         # 14 days before
    assert lapse_and_remind(DAY(2026, 5, 20)).reminders == 0
    assert sorted(Reminder.objects.values_list("days_before", flat=True)) == [14, 60]
    assert Notification.objects.filter(user=people["approver"], subject__contains="förnya").count() == 2
    assert {m.to[0] for m in mail.outbox} == {people["editor"].email, people["approver"].email}
    designation.refresh_from_db()
    assert designation.lapsed_at is None


def test_a_missed_run_sends_only_the_nearest_reminder(designation):
    assert lapse_and_remind(DAY(2026, 5, 25)).reminders == 1
    assert list(Reminder.objects.values_list("days_before", flat=True)) == [14]


def test_lapses_the_day_after_valid_until(designation, people):
    assert lapse_and_remind(DAY(2026, 6, 1)).lapsed == 0
    summary = lapse_and_remind(DAY(2026, 6, 2))
    designation.refresh_from_db()
    assert summary.lapsed == 1 and designation.lapsed_at is not None
    assert not designation.is_active(DAY(2026, 6, 2)) and not designation.is_active(DAY(2026, 1, 1))
    assert Notification.objects.filter(user=people["editor"], subject__contains="upphört").exists()
    assert lapse_and_remind(DAY(2026, 6, 3)).lapsed == 0  # once


def test_follow_up_is_prefilled_decided_and_extends_the_designation(designation, people, programme):
    follow_up = start_follow_up(designation, people["editor"])
    assert (follow_up.kind, follow_up.state, follow_up.designation) == ("follow_up", S.DRAFT, designation)
    assert start_follow_up(designation, people["approver"]) == follow_up  # one open follow-up at a time
    decision_answer = follow_up.answers.get(criterion__kind=Criterion.Kind.DECISION)
    assert decision_answer.case_reference == "Ärende 9" and decision_answer.minutes
    analyses = GoalAnalysis.objects.filter(answer__application=follow_up).order_by("goal__number")
    assert analyses.count() == 8 and analyses[0].text == "Mål 1"  # last time's text carried over
    # The cited key figures are Malmö's current assessments of the goal's figures, as on the municipality pages.
    cited = [row for analysis in analyses for row in analysis.cited_assessments]
    assert cited, "Malmö has assessed key figures linked to the MDGs"
    for row in cited[:5]:
        stored = Assessment.objects.get(measure__code=row["code"], area__code="1280", sex="T", method="opensdg")
        assert (row["status"], row["current_year"]) == (stored.status, stored.current_year)

    workflow.perform(follow_up.pk, workflow.Action.SUBMIT, people["approver"])
    workflow.perform(follow_up.pk, workflow.Action.START_REVIEW, people["reviewer"])
    review = Review.objects.create(application=follow_up, reviewer=people["reviewer"])
    for criterion in programme.criteria.all():
        ReviewScore.objects.create(review=review, criterion=criterion, score="met")
    workflow.submit_review(review, people["reviewer"])
    workflow.perform(follow_up.pk, workflow.Action.APPROVE, people["admin"], "Uppföljningen godkänd.",
                     today=DAY(2026, 5, 1))
    designation.refresh_from_db()
    assert designation.valid_until == DAY(2027, 6, 1)
    assert Designation.objects.count() == 1
    assert lapse_and_remind(DAY(2026, 6, 2)).lapsed == 0


def test_no_follow_up_of_a_lapsed_designation(designation, people):
    lapse_and_remind(DAY(2026, 7, 1))
    designation.refresh_from_db()
    with pytest.raises(workflow.WorkflowError):
        start_follow_up(designation, people["editor"])
    assert not Application.objects.filter(kind="follow_up").exists()


def test_cli_lapse(designation, capsys):
    from millennium.cli import main

    assert main(["programme", "lapse", "--today", "2026-06-10"]) == 0
    designation.refresh_from_db()
    assert designation.lapsed_at is not None
    assert "1 lapsed" in capsys.readouterr().err
