from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value):
    """A key-figure value in the active locale: up to two decimals, no trailing zeros, grouped thousands.

    sv: 1 234,5. Rounded first, so that 2.0049 shows as 2 rather than 2,00.
    """
    if value is None or value == "":
        return "–"
    rounded = round(float(value), 2)
    decimals = next(d for d in (0, 1, 2) if round(rounded, d) == rounded)
    return floatformat(rounded, f"{decimals}g")
