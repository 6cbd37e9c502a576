"""The diploma of a designation: one A4 page, tagged PDF (PDF/UA-1), Swedish unless asked otherwise.

It names the municipality, the programme, the date of the decision, the period of validity and the
designation's number, with dates written out as Swedes write them ("8 september 2010").
"""

from django.utils import timezone, translation
from django.utils.formats import date_format

from .tagged_pdf import render_pdf

#: Day, month in words, year: "8 september 2010" in Swedish, "8 September 2010" in English.
LONG_DATE = "j F Y"


def decision_date(designation):
    """The day the programme decided: the approving decision's date, else the day the designation began."""
    decision = getattr(designation.application, "decision", None)
    return timezone.localdate(decision.decided_at) if decision is not None else designation.valid_from


def diploma_context(designation) -> dict:
    return {
        "designation": designation,
        "organisation": designation.organisation,
        "programme": designation.programme,
        "decided_on": date_format(decision_date(designation), LONG_DATE),
        "valid_from": date_format(designation.valid_from, LONG_DATE),
        "valid_until": date_format(designation.valid_until, LONG_DATE),
    }


def diploma_pdf(designation, language: str = "sv") -> bytes:
    # The dates are written in the diploma's language, not the caller's.
    with translation.override(language):
        return render_pdf("programme/diploma.html", diploma_context(designation), language)
