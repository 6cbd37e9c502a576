from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """obj.<field>_en on English pages when it has a text, else obj.<field>_sv: Swedish is the fallback.

    {{ goal|localized:"short" }}
    """
    language = (get_language() or "sv")[:2]
    if language != "sv":
        text = getattr(obj, f"{field}_{language}", "")
        if text:
            return text
    return getattr(obj, f"{field}_sv", "")
