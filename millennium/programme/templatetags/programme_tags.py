from django import template

from millennium.web.statuses import status_display

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """An assessment status code as the site reads it ("substantial_progress" → "I rätt takt")."""
    return status_display(code or "not_available")["label"]
