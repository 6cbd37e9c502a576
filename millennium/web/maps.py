"""The map: one key figure across all 290 municipalities, coloured by value or by status, with its table.

The boundaries are served once as GeoJSON (`/karta/kommuner.json`), built from places.Area.geometry on first
use and kept in memory; the map refers to it with a version in the URL, so a browser caches it for a year.
"""

import gzip
import hashlib
import json
import threading

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import quote_etag, urlencode
from django.utils.translation import gettext as _

from millennium.places.models import Area
from millennium.statistics.assessing import DEFAULT_METHOD
from millennium.statistics.models import Assessment, Observation

from .map_chart import map_spec
from .measure_choices import goal_measure_groups, measure_or_none, measure_title, municipalities
from .statuses import METHOD_NAMES, status_display

VIEWS = ("varde", "status")
SWEDEN = "0"
# Four decimals of a degree are about 10 m, far finer than the simplified boundaries: half the bytes.
COORDINATE_DECIMALS = 4


def map_index(request):
    """The choice of key figure; the form sends ?nyckeltal=…, which leads to that figure's map."""
    measure = measure_or_none(request.GET.get("nyckeltal", ""))
    if measure is not None:
        query = {k: request.GET[k] for k in ("ar", "visa") if request.GET.get(k)}
        url = reverse("map_measure", args=[measure.code])
        return redirect(f"{url}?{urlencode(query)}" if query else url)
    return render(request, "web/map.html", {
        "groups": goal_measure_groups(), "views": _view_choices(), "view": "varde",
        "unknown": request.GET.get("nyckeltal", "").strip(),
    })


def map_measure(request, measure_code):
    measure = measure_or_none(measure_code)
    if measure is None:
        raise Http404("unknown key figure")
    if measure.code != measure_code:
        return redirect(f"{reverse('map_measure', args=[measure.code])}?{request.GET.urlencode()}")
    observations = Observation.objects.filter(measure=measure, sex="T")
    years = sorted(set(observations.filter(area__level=Area.Level.MUNICIPALITY)
                       .values_list("year", flat=True).distinct()), reverse=True)
    asked = request.GET.get("ar", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else (years[0] if years else None)
    view = request.GET.get("visa") if request.GET.get("visa") in VIEWS else "varde"
    values = dict(observations.filter(year=year, area__level__in=[Area.Level.MUNICIPALITY, Area.Level.COUNTRY])
                  .values_list("area__code", "value")) if year else {}
    rows = _rows(measure, values)
    present = [r["value"] for r in rows if r["value"] is not None]
    title = measure_title(measure)
    spec = map_spec(
        [{"code": r["code"], "name": r["name"], "region": r["region"], "value": r["value"],
          "status": r["status"]["label"], "level": r["status"]["level"], "href": r["href"]} for r in rows],
        geometries_url(), by_status=view == "status",
        description=_("Karta över Sveriges kommuner: %(title)s") % {"title": title},
    )
    return render(request, "web/map.html", {
        "groups": goal_measure_groups(), "views": _view_choices(), "view": view,
        "measure": measure, "title": title, "years": years, "year": year,
        "asked_year": asked if asked and asked != str(year) else "",
        "rows": rows, "spec": spec, "n_values": len(present),
        "low": min(present, default=None), "high": max(present, default=None),
        "sweden": values.get(SWEDEN), "method": METHOD_NAMES[DEFAULT_METHOD],
        "direction": {"up": _("Högre värde är bättre."), "down": _("Lägre värde är bättre.")}.get(
            measure.direction, ""),
        "status_counts": _status_counts(rows) if view == "status" else [],
    })


def _rows(measure, values: dict[str, float]) -> list[dict]:
    """One row per municipality: its value that year and its status (assessed on the whole series)."""
    assessments = {code: (status, base, current) for code, status, base, current in Assessment.objects.filter(
        measure=measure, sex="T", method=DEFAULT_METHOD, area__level=Area.Level.MUNICIPALITY,
    ).values_list("area__code", "status", "base_year", "current_year")}
    statuses: dict[str, dict] = {}  # one display per status code, its label translated once
    rows = []
    for area in municipalities():
        status, base_year, current_year = assessments.get(area.code, ("not_available", None, None))
        if status not in statuses:
            shown = status_display(status)
            statuses[status] = {**shown, "label": str(shown["label"])}
        rows.append({"code": area.code, "name": area.name, "region": area.region or "",
                     "value": values.get(area.code), "status": statuses[status],
                     "period": f"{base_year}–{current_year}" if base_year and current_year else "",
                     "href": reverse("municipality", args=[area.code])})
    return rows


def _view_choices() -> list[tuple[str, str]]:
    return [("varde", _("Värde")), ("status", _("Utveckling (status)"))]


def _status_counts(rows: list[dict]) -> list[dict]:
    counts: dict[int, dict] = {}
    for row in rows:
        entry = counts.setdefault(row["status"]["level"], {**row["status"], "n": 0})
        entry["n"] += 1
    return [counts[level] for level in sorted(counts)]


# ---- the boundaries, as one GeoJSON file ----

_lock = threading.Lock()
_geometries: dict | None = None


def _ring(ring: list, clockwise: bool) -> list:
    """A ring rounded and turned the way d3-geo (inside Vega) reads it: outer rings clockwise, holes not.

    GeoJSON files usually wind the other way (RFC 7946); d3 would then fill the whole globe but the area.
    """
    ring = [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y, *_ in ring]
    twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))
    return ring[::-1] if (twice_area < 0) != clockwise else ring


def _polygon(rings: list) -> list:
    return [_ring(ring, clockwise=i == 0) for i, ring in enumerate(rings)]


def _for_d3(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [_polygon(p) for p in geometry["coordinates"]]}
    return geometry


def _built_geometries() -> dict:
    """{"body", "gzip", "version"} of the FeatureCollection of every municipality with a boundary; built once."""
    global _geometries
    with _lock:
        if _geometries is None:
            features = [
                {"type": "Feature", "properties": {"code": code, "name": name},
                 "geometry": _for_d3(geometry)}
                for code, name, geometry in Area.objects.filter(level=Area.Level.MUNICIPALITY)
                .order_by("code").values_list("code", "name", "geometry") if geometry
            ]
            body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                              separators=(",", ":")).encode()
            built = {"body": body, "gzip": gzip.compress(body, mtime=0),
                     "version": hashlib.sha256(body).hexdigest()[:16]}
            if not features:  # areas not loaded yet: do not keep an empty map for the life of the process
                return built
            _geometries = built
        return _geometries


def geometries_url() -> str:
    """The same URL on Swedish and English pages (one cached copy), with the version that makes it immutable."""
    with translation.override("sv"):
        return f"{reverse('map_geometries')}?v={_built_geometries()['version']}"


def map_geometries(request):
    built = _built_geometries()
    # Weak: the plain and the gzip body are the same document, so either answers a revalidation.
    etag = f'W/{quote_etag(built["version"])}'
    if request.headers.get("If-None-Match") in (etag, quote_etag(built["version"])):
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(built["gzip"], content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(built["body"], content_type="application/geo+json")
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    # With the current version in the URL the file never changes; without it, a browser asks again after a day.
    versioned = request.GET.get("v") == built["version"]
    response["Cache-Control"] = "public, max-age=31536000, immutable" if versioned else "public, max-age=86400"
    return response
