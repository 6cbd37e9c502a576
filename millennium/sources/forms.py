"""The upload form: one spreadsheet file (its size and content are checked in upload.store)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (Excel .xlsx eller CSV)"),
        help_text=_("Fyll i mallen: en rad per nyckeltal, område, år och kön. Du får se en förhandsgranskning "
                    "innan något sparas."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-"
                                                         "officedocument.spreadsheetml.sheet"}))
