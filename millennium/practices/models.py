"""A good practice: what one municipality did towards a goal, how, and with what result."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from millennium.frameworks.models import Goal
from millennium.frameworks.models import Target as GoalTarget
from millennium.places.models import Area
from millennium.statistics.models import Measure

from .markdown_body import render

# Six digits in a row (spaces and dashes between them allowed) look like a phone number; "@" like an e-mail.
_PHONE = re.compile(r"(?:\d[\s\-–]?){6,}")


def validate_contact_role(value: str) -> None:
    """A role ("Miljöstrateg"), never a way to reach a named person: the page is public and stays online."""
    if _PHONE.search(value) or "@" in value:
        raise ValidationError(_("Ange en roll, till exempel ”Miljöstrateg”, inte ett telefonnummer eller en "
                                "e-postadress."), code="personal_contact")


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Practice.Status.PUBLISHED)


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        PUBLISHED = "published", _("publicerad")

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="practices",
                                     limit_choices_to={"level": Area.Level.MUNICIPALITY},
                                     verbose_name=_("kommun"))
    title = models.CharField(_("rubrik"), max_length=200)
    summary = models.TextField(_("sammanfattning"), max_length=1000)
    body = models.TextField(_("beskrivning"), help_text=_("Markdown: ## rubrik, - punktlista, [länktext](https://…)"))
    # Derived from `body` on every save, sanitised: the only HTML of a practice the site ever shows.
    body_html = models.TextField(editable=False, default="")
    results = models.TextField(_("resultat"), blank=True)
    period_start = models.PositiveSmallIntegerField(_("från år"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("till år"), null=True, blank=True,
                                                  help_text=_("Lämna tomt om arbetet pågår."))
    contact_role = models.CharField(_("kontakt (roll)"), max_length=120, blank=True,
                                    validators=[validate_contact_role],
                                    help_text=_("En roll, till exempel ”Miljöstrateg”. Inga namn eller "
                                                "telefonnummer."))
    goals = models.ManyToManyField(Goal, related_name="practices", blank=True, verbose_name=_("mål"))
    targets = models.ManyToManyField(GoalTarget, related_name="practices", blank=True, verbose_name=_("delmål"))
    measures = models.ManyToManyField(Measure, related_name="practices", blank=True, verbose_name=_("nyckeltal"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Demo content made by us: every page that shows one labels it "Exempel".
    is_example = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="practices_created")
    # The last editor: like the author, they may not publish (four eyes on every published text).
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="practices_updated")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="practices_published")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        permissions = [("publish_practice", "Can publish a practice drafted by someone else")]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__isnull=True) | models.Q(period_start__isnull=True)
                                   | models.Q(period_end__gte=models.F("period_start")),
                                   name="practice_period_in_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        if self.municipality_id and self.municipality.level != Area.Level.MUNICIPALITY:
            raise ValidationError({"municipality": _("Välj en kommun.")})
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Slutåret kan inte vara före startåret.")})

    def save(self, *args, **kwargs):
        self.body_html = render(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)
