"""The municipality report on the site: the HTML page and its PDF download, in the page's language.

Links in the report use settings.SITE_URL, never the request's Host: the page is cached and served to everyone.
"""

from django.http import HttpResponse
from django.utils import translation

from millennium.web.gap_pages import municipality_or_404

from .municipality_report import render_html, render_pdf


def municipality_report(request, code):
    area = municipality_or_404(code)
    return HttpResponse(render_html(area.code, translation.get_language()))


def municipality_report_pdf(request, code):
    area = municipality_or_404(code)
    language = translation.get_language()
    response = HttpResponse(render_pdf(area.code, language), content_type="application/pdf")
    name = f"millennium-{area.code}-{'rapport' if language == 'sv' else 'report'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
