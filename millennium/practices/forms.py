"""The editor's form. Status, example flag and who did what are not fields: the views set them, so a forged
POST cannot publish or relabel a practice."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from millennium.frameworks.models import Goal
from millennium.frameworks.models import Target as GoalTarget
from millennium.places.models import Area
from millennium.statistics.models import Measure
from millennium.web.templatetags.bilingual import localized

from .models import Practice


class GoalChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, goal):
        framework = _("Millenniemål") if goal.framework.code == "mdg" else _("Mål")
        return f"{framework} {goal.code}: {localized(goal, 'short')}"


class TargetChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, target):
        framework = _("millenniemål") if target.goal.framework.code == "mdg" else _("mål")
        title = localized(target, "title")
        title = title if len(title) <= 90 else title[:89] + "…"
        return f"{target.code} ({framework} {target.goal.code}) {title}"


class MeasureCodes(forms.CharField):
    """Kolada codes separated by commas or spaces ("N01982, N00945") → the key figures, every code known."""

    def to_python(self, value):
        codes = list(dict.fromkeys(c.upper() for c in re.split(r"[\s,;]+", super().to_python(value)) if c))
        found = {m.code: m for m in Measure.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(_("Okända nyckeltal: %(codes)s. Ange Koladas koder, till exempel N01982."),
                                        params={"codes": ", ".join(unknown)}, code="unknown_measure")
        return [found[c] for c in codes]


class PracticeForm(forms.ModelForm):
    municipality = forms.ModelChoiceField(
        Area.objects.filter(level=Area.Level.MUNICIPALITY).order_by("name"), label=_("Kommun"))
    goals = GoalChoice(Goal.objects.select_related("framework").order_by("-framework__code", "number"),
                       required=False, widget=forms.CheckboxSelectMultiple, label=_("Mål"))
    targets = TargetChoice(GoalTarget.objects.select_related("goal__framework")
                           .order_by("-goal__framework__code", "goal__number", "position"),
                           required=False, label=_("Delmål"),
                           help_text=_("Håll ned Ctrl (Cmd på Mac) för att välja flera."))
    measures = MeasureCodes(required=False, label=_("Nyckeltal"),
                            help_text=_("Koladas koder, åtskilda med kommatecken, till exempel N01982, N00945."))

    class Meta:
        model = Practice
        fields = ["municipality", "title", "summary", "body", "results", "period_start", "period_end",
                  "contact_role", "goals", "targets", "measures"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "body": forms.Textarea(attrs={"rows": 14}),
                   "results": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["measures"] = ", ".join(self.instance.measures.values_list("code", flat=True))
