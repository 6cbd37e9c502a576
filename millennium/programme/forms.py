"""The programme's forms. State, who did what and which application a row belongs to are never fields: the views
set them, so a forged POST cannot move an application or write into another municipality's."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from millennium.practices.forms import MeasureCodes

from .models import Answer, Criterion, GoalAnalysis, Programme, ReviewScore

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload) -> None:
    """A PDF by its content (it starts with %PDF-), not by its name, and no larger than MAX_UPLOAD_BYTES."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("Filen är för stor: högst %(limit)s."),
                                    params={"limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}, code="too_large")
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise forms.ValidationError(_("Filen är inte en PDF. Ladda upp protokollet som PDF."), code="not_pdf")


class DecisionAnswerForm(forms.ModelForm):
    minutes = forms.FileField(label=_("Protokoll (PDF)"), required=False,
                       help_text=_("Protokollet eller protokollsutdraget med beslutet, som PDF."),
                       widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    class Meta:
        model = Answer
        fields = ["decided_by_body", "decided_on", "case_reference", "minutes", "text"]
        labels = {"text": _("Kommentar")}
        help_texts = {"decided_by_body": _("Till exempel kommunstyrelsen eller kommunfullmäktige."),
                      "decided_on": _("ÅÅÅÅ-MM-DD"), "case_reference": _("Till exempel ”Ärende 9” eller ett "
                                                                          "diarienummer.")}
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "text": forms.Textarea(attrs={"rows": 4})}

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if isinstance(minutes, UploadedFile):  # a new upload; a file already stored was checked when it came
            validate_pdf(minutes)
        return minutes


class UrlAnswerForm(forms.ModelForm):
    url = forms.URLField(label=_("Webbadress"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Answer
        fields = ["url", "text"]
        labels = {"text": _("Kommentar")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class TextAnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}


class GoalOverviewForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["text"]
        labels = {"text": _("Sammanfattning")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


ANSWER_FORMS = {Criterion.Kind.DECISION: DecisionAnswerForm, Criterion.Kind.URL: UrlAnswerForm,
                Criterion.Kind.TEXT: TextAnswerForm, Criterion.Kind.GOAL_ANALYSIS: GoalOverviewForm}


class GoalAnalysisForm(forms.ModelForm):
    """One goal's analysis; `practices` offers the municipality's own published practices only."""

    measures = MeasureCodes(required=False, label=_("Nyckeltal"),
                            help_text=_("Koladas koder, åtskilda med kommatecken, till exempel N01982, N00945."))

    class Meta:
        model = GoalAnalysis
        fields = ["text", "measures", "practices"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "practices": forms.CheckboxSelectMultiple}

    def __init__(self, *args, practices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = practices
        self.fields["practices"].required = False
        # Codes as the editor types them; an unsaved row would otherwise show its empty list as "[]".
        self.initial["measures"] = (", ".join(self.instance.measures.order_by("code").values_list("code", flat=True))
                                    if self.instance.pk else "")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             max_length=5000)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Beslut"), widget=forms.RadioSelect,
                                choices=[("approve", _("Godkänn")), ("reject", _("Avslå"))])
    reason = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReviewForm(forms.Form):
    """A score and a comment for each criterion, and a summary."""

    summary = forms.CharField(label=_("Sammanfattning"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = scores or {}
        for criterion in self.criteria:
            old = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("Bedömning"), choices=ReviewScore.Score.choices, widget=forms.RadioSelect,
                required=False, initial=old.score if old else None)
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                initial=old.comment if old else "")

    def rows(self):
        return [{"criterion": c, "score": self[f"score_{c.pk}"], "comment": self[f"comment_{c.pk}"]}
                for c in self.criteria]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name_sv", "name_en", "description_sv", "description_en", "goal_count", "renewal_months",
                  "renewal_deadline_month", "renewal_deadline_day", "is_active"]
        widgets = {"description_sv": forms.Textarea(attrs={"rows": 4}),
                   "description_en": forms.Textarea(attrs={"rows": 4})}


CriterionFormSet = forms.inlineformset_factory(
    Programme, Criterion, fields=["order", "code", "title_sv", "title_en", "help_sv", "help_en", "kind", "is_active"],
    extra=1, can_delete=False,
    widgets={"help_sv": forms.Textarea(attrs={"rows": 3}), "help_en": forms.Textarea(attrs={"rows": 3})})
