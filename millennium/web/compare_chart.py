"""The Vega-Lite spec of the compare page: one line per municipality (colour and point shape), Sweden dashed."""

from django.utils.translation import gettext as _

# Okabe & Ito's colour-blind-safe colours (the darker ones, ≥ 3:1 on white), then grey for Sweden.
COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00"]
SWEDEN_COLOUR = "#595959"
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross"]
SWEDEN_SHAPE = "triangle-down"


def compare_spec(points: list[dict], names: list[str], sweden: str | None, *, unit: str, description: str) -> dict:
    """points: [{"year", "name", "value", "href"?}, …]; names: the municipalities in order; sweden: its series name.

    Each series is told apart by colour, by point shape and (Sweden) by a dashed line, so not by colour alone.
    """
    domain = names + ([sweden] if sweden else [])
    colours = COLOURS[:len(names)] + ([SWEDEN_COLOUR] if sweden else [])
    shapes = SHAPES[:len(names)] + ([SWEDEN_SHAPE] if sweden else [])
    dashes = [[1, 0]] * len(names) + ([[6, 4]] if sweden else [])
    series = {"field": "name", "type": "nominal", "title": _("Område")}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "width": "container",
        "height": 320,
        "data": {"values": points},
        "mark": {"type": "line", "point": {"size": 60, "filled": True}, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "year", "type": "quantitative", "title": _("År"),
                  "axis": {"format": "d", "tickMinStep": 1}, "scale": {"zero": False}},
            "y": {"field": "value", "type": "quantitative", "title": unit or _("Värde"),
                  "scale": {"zero": False}},
            "color": {**series, "scale": {"domain": domain, "range": colours}},
            "shape": {**series, "scale": {"domain": domain, "range": shapes}},
            "strokeDash": {**series, "scale": {"domain": domain, "range": dashes}},
            "tooltip": [
                {"field": "name", "type": "nominal", "title": _("Område")},
                {"field": "year", "type": "quantitative", "title": _("År"), "format": "d"},
                {"field": "value", "type": "quantitative", "title": _("Värde"), "format": ",.2~f"},
            ],
        },
        "config": {"legend": {"orient": "bottom", "direction": "horizontal", "labelLimit": 260, "labelFontSize": 13,
                              "titleFontSize": 13, "symbolSize": 120},
                   "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }
