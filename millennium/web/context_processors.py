"""What every page needs to offer the other language."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def language_links(request):
    """For each other language, the same page in it (query string kept), so a switch never loses the place."""
    current = get_language()
    path = request.get_full_path()
    return {"language_links": [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES if code != current
    ]}
