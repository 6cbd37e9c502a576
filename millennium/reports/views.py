"""The municipality report on the site: the HTML page and its PDF download, in the page's language."""

from django.http import HttpResponse
from django.utils import translation

from millennium.web.gap_pages import municipality_or_404

from .municipality_report import render_html, render_pdf


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def municipality_report(request, code):
    area = municipality_or_404(code)
    return HttpResponse(render_html(area.code, translation.get_language(), _site(request)))


def municipality_report_pdf(request, code):
    area = municipality_or_404(code)
    language = translation.get_language()
    response = HttpResponse(render_pdf(area.code, language, _site(request)), content_type="application/pdf")
    name = f"millennium-{area.code}-{'rapport' if language == 'sv' else 'report'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
