"""Every transition tells the people it concerns: a row in their inbox and an e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from millennium.programme import workflow
from millennium.programme.models import Application, Notification

S = Application.State


def inbox(user):
    return list(Notification.objects.filter(user=user).values_list("subject", flat=True))


def test_submit_tells_the_municipality_and_the_programme_office(make_application, people,
                                                               django_capture_on_commit_callbacks):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(application.pk, workflow.Action.SUBMIT, people["approver"])
    told = {"editor", "reviewer", "admin"}
    for role in told:
        assert inbox(people[role]) == ["Millenniekommun: Malmö stad har skickat in sin ansökan"], role
    assert inbox(people["approver"]) == []  # who acted knows
    assert inbox(people["other_editor"]) == [] and inbox(people["other_approver"]) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people[r].email for r in told)
    assert reverse("programme:application", args=[application.pk]) in mail.outbox[0].body


def test_request_changes_tells_the_municipality_with_the_reason(make_application, people,
                                                                django_capture_on_commit_callbacks):
    application = make_application(S.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(application.pk, workflow.Action.REQUEST_CHANGES, people["admin"], "Bifoga protokollet.")
    note = Notification.objects.get(user=people["approver"])
    assert "komplettering" in note.subject and "Bifoga protokollet." in note.body
    assert note.url == reverse("programme:application", args=[application.pk])
    assert Notification.objects.filter(user=people["editor"]).exists()
    assert not Notification.objects.filter(user=people["other_editor"]).exists()


def test_nothing_is_sent_when_a_transition_is_refused(make_application, people, django_capture_on_commit_callbacks):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.NotAllowed):
        workflow.perform(application.pk, workflow.Action.SUBMIT, people["editor"])
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_inbox_shows_ones_own_messages_and_marks_them_read(client, people):
    Notification.objects.create(user=people["editor"], subject="Ansökan granskas", url="/ansokan/1/")
    Notification.objects.create(user=people["approver"], subject="Inte din")
    client.force_login(people["editor"])
    page = client.get(reverse("programme:inbox")).content.decode()
    assert "Ansökan granskas" in page and "Inte din" not in page and "1 oläst meddelande" in page
    assert client.post(reverse("programme:inbox_read")).status_code == 302
    assert not Notification.objects.filter(user=people["editor"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=people["approver"], read_at__isnull=True).exists()
