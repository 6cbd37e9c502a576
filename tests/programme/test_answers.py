"""Answering a goal-analysis criterion: the form round-trips as a browser sends it, and the cited key figures are
stored with Malmö's current assessment of them."""

from django.urls import reverse

from millennium.programme.models import Application, GoalAnalysis
from millennium.programme.workflow import expected_goals
from millennium.statistics.models import Assessment


def test_goal_analysis_cites_current_assessments(client, make_application, people, programme):
    application = make_application(Application.State.DRAFT, complete=False)
    criterion = programme.criteria.get(kind="goal_analysis")
    url = reverse("programme:answer", args=[application.pk, criterion.pk])
    client.force_login(people["editor"])
    page = client.get(url).content.decode()
    goals = expected_goals(application)
    assert len(goals) == 8 and page.count('name="goal') == 16 and 'value="[]"' not in page

    assessment = Assessment.objects.filter(area__code="1280", sex="T", method="opensdg",
                                           measure__links__goal=goals[0]).select_related("measure").first()
    data = {"answer-text": "Sammanfattning.", **{f"goal{g.pk}-text": f"Mål {g.code}." for g in goals},
            **{f"goal{g.pk}-measures": "" for g in goals}}
    data[f"goal{goals[0].pk}-measures"] = "NOPE1"
    response = client.post(url, data)
    assert response.status_code == 200 and "Okända nyckeltal: NOPE1" in response.content.decode()
    assert not GoalAnalysis.objects.filter(answer__application=application).exists()

    data[f"goal{goals[0].pk}-measures"] = assessment.measure.code.lower()
    assert client.post(url, data).status_code == 302
    analysis = GoalAnalysis.objects.get(answer__application=application, goal=goals[0])
    assert list(analysis.measures.all()) == [assessment.measure]
    assert [(row["code"], row["status"], row["current_year"]) for row in analysis.cited_assessments] == [
        (assessment.measure.code, assessment.status, assessment.current_year)]
    assert GoalAnalysis.objects.filter(answer__application=application).count() == 8
    assert client.get(url).content.decode().count(f'value="{assessment.measure.code}"') == 1
