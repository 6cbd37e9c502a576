"""The designation programmes (Millenniekommun, Fairtrade City, Glokala Sverige) and their one workflow engine.

A programme has criteria; a municipality applies (or follows up a designation it holds) by answering them; the
programme office reviews and decides; an approval designates the municipality for a period. Nothing here is ever
hard-deleted: a withdrawn application is a state, a lapsed designation keeps its row with `lapsed_at`, and every
state change is a Transition row (who, when, why). The state machine itself lives in `workflow.py`.
"""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from millennium.frameworks.models import Framework, Goal
from millennium.organisations.models import Organisation
from millennium.practices.models import Practice
from millennium.statistics.models import Measure


def _english() -> bool:
    return (get_language() or "sv").startswith("en")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months, clamped to the month's end (31 January + 1 month = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Programme(models.Model):
    """A designation programme: what a municipality must show (its criteria) and how long a designation lasts.

    `goal_count` is the number of designated municipalities the programme aims at (Millenniekommun: 100).
    A designation lasts `renewal_months`; a programme with a fixed yearly deadline (Fairtrade City: a report by
    the end of February) also sets `renewal_deadline_month` (and `renewal_deadline_day`, empty = the month's last
    day): the designation then runs until the deadline nearest the end of that period.
    """

    slug = models.SlugField(_("kortnamn"), max_length=64, unique=True)
    name_sv = models.CharField(_("namn (svenska)"), max_length=200)
    name_en = models.CharField(_("namn (engelska)"), max_length=200)
    description_sv = models.TextField(_("beskrivning (svenska)"), blank=True)
    description_en = models.TextField(_("beskrivning (engelska)"), blank=True)
    # The goals a goal analysis goes through (Millenniekommun: the MDGs; Glokala Sverige: the SDGs).
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="programmes", verbose_name=_("målramverk"))
    goal_count = models.PositiveIntegerField(_("mål för antal utmärkta kommuner"), null=True, blank=True)
    renewal_months = models.PositiveSmallIntegerField(_("giltighetstid i månader"), default=12)
    renewal_deadline_month = models.PositiveSmallIntegerField(_("förnyas senast (månad)"), null=True, blank=True)
    renewal_deadline_day = models.PositiveSmallIntegerField(_("förnyas senast (dag)"), null=True, blank=True)
    is_active = models.BooleanField(_("tar emot ansökningar"), default=True)
    # Demo content made by us: the pages label it "Exempel".
    is_example = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_sv"]
        constraints = [
            models.CheckConstraint(condition=models.Q(renewal_deadline_month__isnull=True)
                                   | models.Q(renewal_deadline_month__gte=1, renewal_deadline_month__lte=12),
                                   name="programme_deadline_month_valid"),
            models.CheckConstraint(condition=models.Q(renewal_deadline_day__isnull=True)
                                   | models.Q(renewal_deadline_day__gte=1, renewal_deadline_day__lte=31),
                                   name="programme_deadline_day_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_sv

    @property
    def description(self) -> str:
        return self.description_en if _english() else self.description_sv

    def _deadline_in(self, year: int) -> datetime.date:
        month = self.renewal_deadline_month
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, min(self.renewal_deadline_day or last, last))

    def valid_until(self, start: datetime.date) -> datetime.date:
        """The last day of a designation (or of its extension) that starts on `start`.

        Without a fixed deadline: `start` + renewal_months. With one: the deadline nearest to that date (Fairtrade
        City designated in November 2026 reports by the end of February 2028, then every February).
        """
        end = add_months(start, self.renewal_months)
        if not self.renewal_deadline_month:
            return end
        candidates = [self._deadline_in(year) for year in (end.year - 1, end.year, end.year + 1)]
        return min((day for day in candidates if day > start), key=lambda day: abs((day - end).days))


class Criterion(models.Model):
    """One requirement of a programme, answered in every application. `kind` says what an answer holds."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("politiskt beslut")
        GOAL_ANALYSIS = "goal_analysis", _("analys per mål")
        URL = "url", _("webbadress")
        TEXT = "text", _("text")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    code = models.CharField(_("kod"), max_length=16)
    title_sv = models.CharField(_("rubrik (svenska)"), max_length=300)
    title_en = models.CharField(_("rubrik (engelska)"), max_length=300)
    help_sv = models.TextField(_("vägledning (svenska)"), blank=True)
    help_en = models.TextField(_("vägledning (engelska)"), blank=True)
    kind = models.CharField(_("slag av svar"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    # A retired criterion keeps its answers and scores; new applications no longer ask it.
    is_active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["programme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="criterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if _english() else self.title_sv

    @property
    def help(self) -> str:
        return self.help_en if _english() else self.help_sv


class Designation(models.Model):
    """A municipality designated by a programme (the public registry is these rows).

    Valid from `valid_from` to `valid_until` (inclusive); an approved follow-up moves `valid_until` on. When it
    passes without one, `lapsed_at` is set (`millennium programme lapse`); the row stays, so the registry can
    show the count over time.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="designations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="designations")
    # The approved application that created it.
    application = models.OneToOneField("Application", on_delete=models.PROTECT, related_name="created_designation")
    number = models.CharField(_("utmärkelsens nummer"), max_length=32, unique=True,
                              help_text=_("Utmärkelsens nummer, tryckt på diplomet."))
    valid_from = models.DateField(_("gäller från"))
    valid_until = models.DateField(_("gäller till och med"))
    lapsed_at = models.DateTimeField(_("upphörde"), null=True, blank=True)
    is_example = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "valid_from", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.organisation}"

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.lapsed_at is None and self.valid_from <= today <= self.valid_until


class Application(models.Model):
    """A municipality's application to a programme, or its yearly follow-up of a designation it holds.

    `state` only ever changes through `workflow.perform`, which records a Transition.
    """

    class Kind(models.TextChoices):
        APPLICATION = "application", _("ansökan")
        FOLLOW_UP = "follow_up", _("uppföljning")

    class State(models.TextChoices):
        DRAFT = "draft", _("utkast")
        SUBMITTED = "submitted", _("inskickad")
        IN_REVIEW = "in_review", _("granskas")
        CHANGES_REQUESTED = "changes_requested", _("komplettering begärd")
        RESUBMITTED = "resubmitted", _("inskickad igen")
        APPROVED = "approved", _("godkänd")
        REJECTED = "rejected", _("avslagen")
        WITHDRAWN = "withdrawn", _("återtagen")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications",
                                     limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY})
    kind = models.CharField(_("slag"), max_length=16, choices=Kind.choices, default=Kind.APPLICATION)
    # For a follow-up: the designation it renews.
    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="follow_ups")
    state = models.CharField(_("läge"), max_length=24, choices=State.choices, default=State.DRAFT, db_index=True)
    is_example = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="programme_applications")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind="application", designation__isnull=True)
                                   | models.Q(kind="follow_up", designation__isnull=False),
                                   name="application_follow_up_has_designation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}: {self.organisation}, {self.programme}"

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.APPROVED, self.State.REJECTED, self.State.WITHDRAWN)

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.CHANGES_REQUESTED)


def minutes_path(answer: "Answer", filename: str) -> str:
    # Never the uploader's file name in the path: it may say anything; the PDF check already made it a PDF.
    return f"programme/{answer.application_id}/minutes-{answer.criterion_id}.pdf"


class Answer(models.Model):
    """The answer to one criterion in one application. Which fields matter depends on the criterion's kind:
    decision → body, date, case reference and minutes (PDF); url → url; text → text; goal_analysis → text (an
    overview) and one GoalAnalysis row per goal."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("svar"), blank=True)
    url = models.URLField(_("webbadress"), max_length=500, blank=True)
    decided_by_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    case_reference = models.CharField(_("ärende eller diarienummer"), max_length=100, blank=True)
    # Stored under MEDIA_ROOT and streamed only by a view that checks who asks (views.minutes).
    minutes = models.FileField(_("protokoll (PDF)"), upload_to=minutes_path, blank=True, max_length=200)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="answer_one_per_criterion")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.criterion.code}"


class GoalAnalysis(models.Model):
    """What the municipality does towards one goal: its text, the key figures it cites and its good practices.

    `cited_assessments` freezes the cited key figures' assessments (status, years, values) when the row is
    saved from the form or pre-filled, so a reviewer sees what the municipality saw even after a re-import.
    """

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="goal_analyses")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("vad kommunen gör"), blank=True)
    measures = models.ManyToManyField(Measure, blank=True, related_name="+", verbose_name=_("nyckeltal"))
    practices = models.ManyToManyField(Practice, blank=True, related_name="+", verbose_name=_("goda arbetssätt"))
    cited_assessments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["answer", "goal__number"]
        constraints = [models.UniqueConstraint(fields=["answer", "goal"], name="goal_analysis_one_per_goal")]

    def __str__(self) -> str:
        return f"{self.answer}: {self.goal}"


class Transition(models.Model):
    """One state change of an application: from, to, by which action, who, when and why."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=24, choices=Application.State.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=Application.State.choices)
    action = models.CharField(max_length=32)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state} ({self.action})"


class Review(models.Model):
    """One reviewer's assessment of an application: a score per criterion. Several reviewers may review one
    application; a review is a draft until `submitted_at` is set."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_reviews")
    summary = models.TextField(_("sammanfattning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "created_at"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.reviewer}"


class ReviewScore(models.Model):
    """A reviewer's judgement of one criterion: met, partly met or not met, with a comment."""

    class Score(models.TextChoices):
        MET = "met", _("uppfyllt")
        PARTLY_MET = "partly_met", _("delvis uppfyllt")
        NOT_MET = "not_met", _("inte uppfyllt")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.CharField(_("bedömning"), max_length=16, choices=Score.choices)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["review", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="review_score_one_per_criterion")]


class Decision(models.Model):
    """The programme admin's decision on an application: approved (→ a Designation, or its extension for a
    follow-up) or rejected, with the reason."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("godkänd")
        REJECTED = "rejected", _("avslagen")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("beslut"), max_length=16, choices=Outcome.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("motivering"), blank=True)

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"


class Reminder(models.Model):
    """A renewal reminder sent for a designation, `days_before` its `valid_until`; recorded so each goes once."""

    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    valid_until = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["designation", "valid_until", "days_before"],
                                               name="reminder_once")]


class Notification(models.Model):
    """One message in a person's in-app inbox (also sent by e-mail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.subject
