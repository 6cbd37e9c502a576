"""Malmö's report in both languages and both formats, written by `millennium report`: a tagged PDF that passes
a PDF/UA structure check (pikepdf; veraPDF is not available here), text in the right language and number format
that equals Kolada's own files, the HTML with the same key figures, the pages on the site, and a renderer that
never fetches anything from outside."""

import io
import logging
import re
import subprocess
import time

import pikepdf
import pytest

from django.utils import translation
from django.utils.translation import gettext

from millennium.cli import main
from millennium.frameworks.models import Goal
from millennium.reports.municipality_report import STATIC_ROOT
from millennium.reports.pdf import LocalFetcher, html_to_pdf
from tests.web.kolada_values import series, swedish

pytestmark = pytest.mark.django_db

MALMO = "1280"
# Medellivslängd, män (goal 3) and adults with long-term financial assistance (goal 1): both with decimals.
KNOWN = ["N00923", "N31816"]


def _title(language: str) -> str:
    """The report's title as the catalogue has it (the English one once the translations are compiled)."""
    with translation.override(language):
        return gettext("%(name)s: Frivillig lokal granskning av Agenda 2030") % {"name": "Malmö"}


def _figure(value: float, language: str) -> str:
    """A value as the report writes it: Swedish (tests/web/kolada_values) or English, at most two decimals."""
    return swedish(value) if language == "sv" else f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker, tmp_path_factory):
    """The four files, made once by the command line (the test database is only read)."""
    folder = tmp_path_factory.mktemp("reports")
    warnings = _Warnings()
    logging.getLogger("weasyprint").addHandler(warnings)
    files, seconds = {}, {}
    try:
        with django_db_blocker.unblock():
            for language in ("sv", "en"):
                for form in ("html", "pdf"):
                    path = folder / f"malmo-{language}.{form}"
                    started = time.perf_counter()
                    assert main(["report", MALMO, "--lang", language, "--format", form, "-o", str(path)]) == 0
                    seconds[language, form] = time.perf_counter() - started
                    files[language, form] = path
    finally:
        logging.getLogger("weasyprint").removeHandler(warnings)
    print("render seconds:", {f"{k[0]}-{k[1]}": round(v, 1) for k, v in seconds.items()})
    return {"files": files, "warnings": warnings.messages, "seconds": seconds}


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pdf_is_tagged_for_pdf_ua(reports, language):
    pdf = pikepdf.open(reports["files"][language, "pdf"])
    root = pdf.Root

    assert root.MarkInfo.Marked is True
    assert str(root.Lang) in ({"sv-SE", "sv"} if language == "sv" else {"en", "en-GB", "en-US"})
    assert str(pdf.docinfo.Title) == _title(language)
    with pdf.open_metadata() as xmp:
        assert _title(language) in str(xmp.get("dc:title"))
        assert "pdfuaid:part" in str(xmp) or xmp.get("pdfuaid:part") == "1"
    assert root.ViewerPreferences.DisplayDocTitle is True

    elements = _structure(pdf)
    kinds = [str(e.S) for e in elements]
    for kind in ("/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure", "/Caption"):
        assert kind in kinds, kind
    figures = [e for e in elements if e.S == "/Figure"]
    assert len(figures) >= 17  # a chart or more for most goals
    assert all(str(f.get("/Alt", "")).strip() for f in figures), "a Figure without alternative text"
    # Headings in order: one h1 first, and never a level skipped on the way down.
    levels = [int(k[2]) for k in kinds if re.fullmatch(r"/H[1-6]", k)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))

    # Every font embedded: each font descriptor carries its font program.
    descriptors = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"]
    assert descriptors
    assert all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pdf_reads_in_its_language_with_kolada_s_numbers(reports, language):
    text = re.sub(r"\s+", " ", _text(reports["files"][language, "pdf"]))

    assert "Malmö" in text
    goals = Goal.objects.filter(framework__code="sdg").order_by("number")
    for goal in goals:
        assert getattr(goal, f"short_{language}") in text
    if language == "sv":
        assert "Sammanfattning" in text and "Ingen fattigdom" in text
    else:
        assert "No poverty" in text and "Ingen fattigdom" not in text
    for code in KNOWN:
        values = series(code, MALMO)
        latest = values[max(values)]
        written = _figure(latest, language)
        assert "," in written or "." in written  # a decimal, so the format shows
        assert re.search(rf"(?<![\d,.]){re.escape(written)}(?![\d])", text), (code, written)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_html_has_the_same_key_figures(reports, language):
    html = reports["files"][language, "html"].read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", _text(reports["files"][language, "pdf"]))

    assert f'<html lang="{language}">' in html
    assert f"<title>{_title(language)}</title>" in html
    codes = set(re.findall(r'id="figure-\d+-([A-Z0-9]+)"', html))
    assert len(codes) >= 60
    for code in codes:
        assert code in text
    for code in KNOWN:
        values = series(code, MALMO)
        written = _figure(values[max(values)], language)
        assert f'{written}</td>' in html
    # Every chart is an image with its description, and a table of the same numbers follows it.
    images = re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)">', html)
    assert len(images) == html.count('<table class="chart-values">') >= 17
    # Nothing the HTML needs lives elsewhere: no stylesheet, script or image by address.
    assert not re.search(r'<(link|script)\b', html)
    assert not re.search(r'<img [^>]*src="(?!data:)', html)


def test_rendering_fetched_nothing(reports):
    """Every image made it into the PDF (a refused or missing resource is left out with a warning)."""
    assert not [m for m in reports["warnings"] if "load" in m.lower() or "fetch" in m.lower()], reports["warnings"]
    html = reports["files"]["sv", "html"].read_text(encoding="utf-8")
    pdf = pikepdf.open(reports["files"]["sv", "pdf"])
    assert len([e for e in _structure(pdf) if e.S == "/Figure"]) == html.count("<img ")


def test_the_fetcher_refuses_anything_not_local(tmp_path):
    html = ('<html lang="sv"><head><title>Prov</title><link rel="stylesheet" href="https://example.org/a.css">'
            '</head><body><h1>Prov</h1><img src="http://192.0.2.1/x.png" alt="x">'
            '<img src="file:///etc/hostname" alt="y"><img src="millennium/site.css" alt="z"></body></html>')
    fetcher = LocalFetcher(STATIC_ROOT)
    pdf = html_to_pdf(html, STATIC_ROOT, fetcher=fetcher)

    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == sorted(["https://example.org/a.css", "http://192.0.2.1/x.png",
                                              "file:///etc/hostname"])


def test_an_unknown_municipality_is_refused(tmp_path, capsys):
    output = tmp_path / "x.pdf"
    assert main(["report", "9999", "--format", "pdf", "-o", str(output)]) == 1
    assert "unknown municipality code '9999'" in capsys.readouterr().err
    assert main(["report", "12", "--format", "html", "-o", str(output)]) == 1  # a region, not a municipality
    assert not output.exists()


def test_the_pages_on_the_site(client):
    page = client.get(f"/kommun/{MALMO}/rapport/")
    assert page.status_code == 200
    assert "Frivillig lokal granskning" in page.content.decode()
    english = client.get(f"/en/kommun/{MALMO}/rapport/")
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    assert client.get("/kommun/9999/rapport/").status_code == 404
    assert client.get("/kommun/12/rapport.pdf").status_code == 404

    pdf = client.get(f"/kommun/{MALMO}/rapport.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="millennium-1280-rapport.pdf"' in pdf["Content-Disposition"]
    assert pikepdf.open(io.BytesIO(pdf.content)).Root.Lang == "sv"

    overview = client.get(f"/kommun/{MALMO}/").content.decode()
    assert f'href="/kommun/{MALMO}/rapport.pdf"' in overview and f'href="/kommun/{MALMO}/rapport/"' in overview
