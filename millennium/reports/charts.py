"""The site's Vega-Lite charts drawn on the server as SVG (vl-convert), for the report's PDF and HTML.

The specs are the site's own (web/measure_chart.py); only what a browser would decide is fixed here: the
width (the site's charts fill their container) and the number format of the language (decimal comma in
Swedish). vl-convert runs Vega in an embedded JavaScript engine: no browser, and no network (no data URL is
allowed; the specs carry their values inline).
"""

import base64
import copy
import hashlib
import json

import vl_convert
from django.core.cache import cache

#: Points wide; at 96 dpi the image is printed some 15 cm wide, the text column of an A4 page.
WIDTH = 520
HEIGHT = 150
#: d3-format locales by the site's language codes.
FORMAT_LOCALES = {"sv": "sv-SE", "en": "en-US"}
#: The font the PDF embeds (WeasyPrint draws the SVG's text with it).
CONFIG = {"font": "DejaVu Sans", "axis": {"labelFontSize": 11, "titleFontSize": 11},
          "legend": {"labelFontSize": 11}, "background": "white"}


def chart_svg(spec: dict, language: str, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    """The SVG of a Vega-Lite `spec`, `width` × `height` points plotting area, numbers in `language`'s format.

    Drawing takes a tenth of a second or more per chart, so each SVG is cached under a hash of everything that
    makes it: the same chart in the HTML and the PDF, or in the next report before an import, is drawn once.
    """
    spec = copy.deepcopy(spec)
    spec["width"], spec["height"] = width, height
    locale = FORMAT_LOCALES.get(language[:2], "en-US")
    made_of = json.dumps([spec, CONFIG, locale, vl_convert.get_vega_version()], sort_keys=True, default=str)
    key = "millennium:chart-svg:" + hashlib.sha256(made_of.encode("utf-8")).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec, config=CONFIG, allowed_base_urls=[], format_locale=locale)
        cache.set(key, svg, timeout=7 * 24 * 3600)
    return svg


def data_uri(svg: str) -> str:
    """An SVG as a data: URI, for <img src>: WeasyPrint tags an <img> with its alt text (inline <svg> it tags
    as a Figure without /Alt, which PDF/UA does not allow)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
