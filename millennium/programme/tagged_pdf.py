"""A template → a tagged PDF (PDF/UA-1) in a given language, with the site's static folder as its only source.

The rendering (WeasyPrint, nothing fetched from the network) is reports/pdf.py's: <html lang> becomes the
document language and <title> its title; fonts are embedded as subsets.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from millennium.reports.pdf import html_to_pdf

STATIC = Path(settings.BASE_DIR) / "static"


def render_pdf(template: str, context: dict, language: str) -> bytes:
    with translation.override(language):
        return html_to_pdf(render_to_string(template, {**context, "LANGUAGE_CODE": language}), STATIC)
