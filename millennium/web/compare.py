"""Compare up to five municipalities on one key figure: a line chart and a table of years × municipalities.

The page is a GET form, so its URL can be shared. Once every field is understood, the address is rewritten to
its canonical form (?nyckeltal=N00945&kommun=1280&kommun=0180: codes, no empty fields), whatever was typed.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from millennium.statistics.models import Observation

from .compare_chart import compare_spec
from .measure_choices import Municipality, goal_measure_groups, measure_or_none, measure_title, municipalities

MAX_MUNICIPALITIES = 5
SWEDEN = "0"


def _resolver():
    """A function from what a visitor typed (code, name, "Malmö kommun", any case) to a municipality or None."""
    areas = municipalities()
    by_code = {a.code: a for a in areas}
    by_name = {a.name.casefold(): a for a in areas}

    def resolve(text: str) -> Municipality | None:
        text = " ".join(text.split())
        if text.isdigit():
            return by_code.get(text.zfill(4))
        name = text.casefold()
        return by_name.get(name) or by_name.get(name.removesuffix(" kommun")) or by_name.get(
            name.removesuffix("s kommun"))

    return areas, resolve


def compare(request):
    areas, resolve = _resolver()
    measure_text = request.GET.get("nyckeltal", "").strip()
    measure = measure_or_none(measure_text)
    typed = [t.strip() for t in request.GET.getlist("kommun") if t.strip()]
    too_many = len(typed) > MAX_MUNICIPALITIES
    typed = typed[:MAX_MUNICIPALITIES]

    fields, chosen = [], []
    for i, text in enumerate(typed + [""] * (MAX_MUNICIPALITIES - len(typed)), start=1):
        area = resolve(text) if text else None
        error = (_('Kommunen "%(text)s" finns inte. Skriv namnet eller den fyrsiffriga kommunkoden.') % {"text": text}
                 if text and area is None else "")
        # A code the visitor or a shared link gave shows as the municipality's name.
        fields.append({"id": f"kommun-{i}", "label": _("Kommun %(n)s") % {"n": i},
                       "value": area.name if area else text, "error": error})
        if area is not None and area not in chosen:
            chosen.append(area)
    measure_error = (_('Nyckeltalet "%(text)s" finns inte. Välj ett i listan.') % {"text": measure_text}
                     if measure_text and measure is None else "")

    errors = [{"id": "nyckeltal", "text": measure_error}] if measure_error else []
    errors += [{"id": f["id"], "text": f["error"]} for f in fields if f["error"]]
    if not errors and not too_many and (measure or chosen):
        canonical = _query(measure, chosen)
        if request.GET.urlencode() != canonical:
            return redirect(f"{reverse('compare')}?{canonical}")

    context = {
        "groups": goal_measure_groups(), "areas": areas, "fields": fields, "measure": measure,
        "measure_error": measure_error, "errors": errors, "too_many": too_many, "max": MAX_MUNICIPALITIES,
        "chosen": chosen,
    }
    if measure and chosen:
        context.update(_comparison(measure, chosen))
    return render(request, "web/compare.html", context)


def _query(measure, areas: list[Municipality]) -> str:
    return urlencode(([("nyckeltal", measure.code)] if measure else []) + [("kommun", a.code) for a in areas])


def _comparison(measure, chosen: list[Municipality]) -> dict:
    """The table (one row per year, one column per municipality and Sweden) and the chart of the same numbers."""
    title = measure_title(measure)
    codes = [a.code for a in chosen]
    values: dict[tuple[str, int], float] = {
        (code, year): value for code, year, value in Observation.objects.filter(
            measure=measure, sex="T", area__code__in=codes + [SWEDEN]).values_list("area__code", "year", "value")
    }
    has_sweden = any(code == SWEDEN for code, _year in values)
    columns = [{"code": a.code, "name": a.name, "href": reverse("municipality", args=[a.code])} for a in chosen]
    if has_sweden:
        columns.append({"code": SWEDEN, "name": _("Riket"), "href": ""})
    years = sorted({year for _code, year in values})
    table = [{"year": year, "cells": [values.get((c["code"], year)) for c in columns]} for year in years]
    points = [{"year": year, "name": c["name"], "value": values[(c["code"], year)],
               **({"href": c["href"]} if c["href"] else {})}
              for c in columns for year in years if (c["code"], year) in values]
    names = [c["name"] for c in columns if c["code"] != SWEDEN]
    spec = compare_spec(points, names, _("Riket") if has_sweden else None, unit=measure.unit,
                        description=_("%(title)s: %(names)s, per år") % {"title": title, "names": ", ".join(names)})
    return {"title": title, "columns": columns, "table": table, "spec": spec if points else None,
            "has_sweden": has_sweden}
