"""The Vega-Lite line chart of one key figure in one municipality: total, women and men, base year, target path.

charts.js draws it; the table beside it on the page holds the same numbers for screen readers.
"""

from django.utils.translation import gettext as _

# Dark enough for 4.5:1 against white, and told apart by point shape as well, never by colour alone.
COLOURS = {"T": "#0b5394", "K": "#a8005f", "M": "#2e6b30"}
SHAPES = {"T": "circle", "K": "triangle-up", "M": "square"}
GUIDE = "#595959"


def series_labels() -> dict[str, str]:
    return {"T": _("Totalt"), "K": _("Kvinnor"), "M": _("Män")}


def measure_chart(series: dict[str, list[tuple[int, float]]], *, description: str, unit: str,
                  base_year: int | None = None, path: list[tuple[int, float]] | None = None,
                  target: tuple[int, float] | None = None) -> dict:
    """A layered Vega-Lite spec (a dict).

    `series` maps a sex code (T, K, M) to its (year, value) points in year order; `path` is the required
    path from the base-year value to the `target` (year, value); `base_year` gets a vertical rule.
    """
    labels = series_labels()
    sexes = [s for s in ("T", "K", "M") if series.get(s)]
    year_title, value_title = _("År"), unit or _("Värde")
    values = [{"year": year, "value": value, "series": labels[s]} for s in sexes for year, value in series[s]]
    x = {"field": "year", "type": "quantitative", "title": year_title,
         "axis": {"format": "d", "tickMinStep": 1}, "scale": {"zero": False, "nice": False}}
    y = {"field": "value", "type": "quantitative", "title": value_title, "scale": {"zero": False}}
    tooltip = [{"field": "series", "type": "nominal", "title": _("Serie")},
               {"field": "year", "type": "quantitative", "title": year_title, "format": "d"},
               {"field": "value", "type": "quantitative", "title": value_title, "format": ",.2~f"}]
    legend = {"field": "series", "type": "nominal", "title": None,
              "scale": {"domain": [labels[s] for s in sexes], "range": [COLOURS[s] for s in sexes]},
              "legend": {"orient": "bottom"}}
    shape = {**legend, "scale": {"domain": legend["scale"]["domain"], "range": [SHAPES[s] for s in sexes]}}
    layers = [{
        "data": {"values": values},
        "mark": {"type": "line", "point": {"filled": True, "size": 50}, "strokeWidth": 2},
        "encoding": {"x": x, "y": y, "color": legend, "shape": shape, "tooltip": tooltip},
    }]
    if path:
        label = _("Takt som krävs för att nå målet")
        layers.append({
            "data": {"values": [{"year": year, "value": value, "series": label} for year, value in path]},
            "mark": {"type": "line", "strokeDash": [6, 4], "color": GUIDE, "strokeWidth": 1.5},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        })
    if target:
        year, value = target
        layers.append({
            "data": {"values": [{"year": year, "value": value, "series": _("Målvärde")}]},
            "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 120, "color": "#1b1b1b"},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        })
    if base_year is not None:
        layers.append({
            "data": {"values": [{"year": base_year, "label": _("Basår %(year)s") % {"year": base_year}}]},
            "layer": [
                {"mark": {"type": "rule", "color": GUIDE, "strokeDash": [2, 2]}, "encoding": {"x": x}},
                {"mark": {"type": "text", "align": "left", "baseline": "top", "dx": 4, "dy": 4, "color": GUIDE,
                          "y": 0},
                 "encoding": {"x": x, "text": {"field": "label", "type": "nominal"}}},
            ],
        })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "width": "container",
        "height": 300,
        "layer": layers,
    }
