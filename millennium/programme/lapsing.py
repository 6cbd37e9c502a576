"""Designations that were not renewed in time lapse; before that, their municipalities are reminded.

Run daily (`millennium programme lapse`, e.g. from cron). Reminders go 60 and 14 days before `valid_until`,
each once per validity period (a Reminder row records it), also when a run was missed: a reminder that is due
and not yet sent goes at the next run. A designation whose `valid_until` has passed lapses, unless its
follow-up was approved (then `valid_until` has already moved on).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Application, Designation, Reminder
from .notifications import notify
from .workflow import municipality_people, programme_people

REMINDER_DAYS = (60, 14)


@dataclass
class LapseSummary:
    lapsed: int = 0
    reminders: int = 0


@transaction.atomic
def lapse_and_remind(today: datetime.date | None = None) -> LapseSummary:
    today = today or timezone.localdate()
    summary = LapseSummary()
    current = Designation.objects.filter(lapsed_at__isnull=True).select_related("programme", "organisation")
    for designation in current.filter(valid_until__lt=today):
        designation.lapsed_at = timezone.now()
        designation.save(update_fields=["lapsed_at", "updated_at"])
        summary.lapsed += 1
        notify(municipality_people(designation.organisation) | programme_people(),
               _("%(programme)s: utmärkelsen för %(organisation)s har upphört"),
               _("Utmärkelsen gällde till och med %(until)s och förnyades inte i tid."),
               reverse("programme:applications", args=[designation.programme.slug]),
               params=_params(designation))
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    for designation in current.filter(valid_until__gte=today, valid_until__lte=horizon):
        days_left = (designation.valid_until - today).days
        due = [days for days in REMINDER_DAYS if days_left <= days]
        if not due:
            continue
        # Only the nearest reminder: a run that missed the 60-day one does not send two at once.
        days = min(due)
        if Reminder.objects.filter(designation=designation, valid_until=designation.valid_until,
                                   days_before__lte=days).exists():
            continue
        if _follow_up_approved_or_pending(designation):
            continue
        Reminder.objects.create(designation=designation, valid_until=designation.valid_until, days_before=days)
        summary.reminders += 1
        notify(municipality_people(designation.organisation),
               _("%(programme)s: dags att förnya utmärkelsen för %(organisation)s"),
               _("Utmärkelsen gäller till och med %(until)s. Skicka in uppföljningen före dess, annars upphör den."),
               reverse("programme:applications", args=[designation.programme.slug]),
               params=_params(designation))
    return summary


def _follow_up_approved_or_pending(designation: Designation) -> bool:
    """A follow-up already handed in needs no reminder: the municipality has done its part."""
    return designation.follow_ups.exclude(state__in=(Application.State.DRAFT, Application.State.WITHDRAWN,
                                                     Application.State.REJECTED,
                                                     Application.State.CHANGES_REQUESTED)).exists()


def _params(designation: Designation) -> dict:
    return {"programme": designation.programme.name_sv, "organisation": designation.organisation.name,
            "until": date_format(designation.valid_until, "j F Y")}
