"""Values on the import pages in full precision: a change from 12.501 to 12.502 must not read "12,5 → 12,5"."""

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def exact(value):
    """Every digit of a stored value (its shortest exact text), in the active locale: sv 1 234,501."""
    if value is None or value == "":
        return "–"
    return formats.number_format(Decimal(repr(float(value))), use_l10n=True, force_grouping=True)
