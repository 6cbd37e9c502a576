"""HTML to a tagged PDF (PDF/UA-1) with WeasyPrint, fetching nothing from the network.

A report is rendered on the server from our own HTML: its charts are data: URIs and its stylesheet is inline,
so it needs nothing from outside. `LocalFetcher` makes sure of that: data: URIs and files inside one folder
(the static folder) are read, anything else (http, https, ftp, files elsewhere) is refused and remembered,
so a test can prove that rendering never leaves the machine. Any other PDF the site makes (the programme's
diplomas, say) can use the same fetcher.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: PDF/UA-1: tagged structure, document language, title shown by viewers, fonts embedded (ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    pass


class LocalFetcher(URLFetcher):
    """Reads data: URIs and files under `root`; refuses every other address (and records it in `refused`).

    A refused resource is left out of the PDF with a warning (WeasyPrint's way with a missing image), never
    fetched.
    """

    def __init__(self, root: Path, **kwargs):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, **kwargs)
        self.root = Path(root).resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.append(url)
        raise RefusedURL(f"not fetched: {url} (only data: URIs and files under {self.root})")


def html_to_pdf(html: str, root: Path, *, fetcher: LocalFetcher | None = None) -> bytes:
    """The PDF/UA-1 of `html`, relative addresses resolved against the folder `root` (and nothing outside it).

    The document's language is the <html lang>, its title the <title>; WeasyPrint tags headings, tables
    (<th> as TH), lists and images (<img alt> as a Figure with /Alt) and embeds the fonts it uses.
    """
    fetcher = fetcher or LocalFetcher(root)
    return HTML(string=html, base_url=Path(root).resolve().as_uri() + "/", url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT)
