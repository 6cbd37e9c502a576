"""Live sources a municipality keeps current: its subscriptions, and the municipality groups read from Kolada."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from millennium.organisations.models import Organisation
from millennium.places.models import Area
from millennium.statistics.models import ImportBatch


class Subscription(models.Model):
    """Figures fetched again by `millennium refresh`: which source, which request, and how the last try went.

    `parameters` for Kolada: {"kpis": ["N00945", …], "municipalities": ["1280", …] or null for every one,
    "years": [2010, 2024] (first and last) or null for every year}; for SCB: {"table": "TAB638",
    "query": ["Region=1280", "Tid=2015-2022"], "api": "v2", "base_url": null or another PxWeb server}.
    """

    class Kind(models.TextChoices):
        KOLADA = "kolada", "Kolada"
        SCB = "scb", "SCB PxWeb"

    class Status(models.TextChoices):
        NEVER = "never", _("aldrig hämtad")
        OK = "ok", _("hämtad")
        FAILED = "failed", _("misslyckades")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="subscriptions", verbose_name=_("organisation"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="subscriptions",
                             verbose_name=_("område"))
    kind = models.CharField(_("källa"), max_length=16, choices=Kind.choices)
    parameters = models.JSONField(_("parametrar"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    last_refreshed_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True)
    last_status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEVER)
    last_error = models.TextField(_("senaste fel"), blank=True)
    last_batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.describe()}"

    def describe(self) -> str:
        p = self.parameters
        if self.kind == self.Kind.SCB:
            return f"{p['table']} {' '.join(p.get('query', []))}".strip()
        places = ",".join(p.get("municipalities") or []) or "alla"
        years = p.get("years")
        span = f" {years[0]}–{years[1]}" if years else ""
        return f"{','.join(p.get('kpis', []))} × {places}{span}"


class MunicipalityGroup(models.Model):
    """A Kolada municipality group, e.g. 'Liknande kommuner, övergripande, Höör, 2025' (G37411)."""

    code = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=300)
    members = models.ManyToManyField(Area, related_name="kolada_groups", blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title
