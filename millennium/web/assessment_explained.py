"""One stored assessment explained in plain words: base year, value then and now, yearly change, what was
needed, and why that status.

The rules are Open SDG's (Statistics Canada, sdg-build 2.4.0), as `analysis.progress.opensdg.assess`
implements them: the compound annual growth rate (CAGR) from the base year to the latest year, compared
with fixed rates (1.5 % and 0.5 % a year, lowered near a natural limit) when there is no target value,
or with the rate needed to reach the target value in the target year (95 % and 60 % of it) when there is.
"""

import numpy as np
from django.utils.translation import gettext as _

from millennium.analysis.progress import opensdg

from .statuses import METHOD_NAMES, status_display
from .templatetags.numbers import figure


def _rate(value: float) -> str:
    """A yearly rate as signed per cent: 0.0123 → '+1,23 %'."""
    sign = "+" if value > 0 else ""
    return f"{sign}{figure(value * 100)} %"


def _share(value: float) -> str:
    return f"{figure(value * 100)} %"


def direction_text(direction: str) -> str:
    return {"up": _("Högre är bättre"), "down": _("Lägre är bättre")}.get(direction, _("Ingen önskad riktning"))


def reason_text(reason: str, base_year) -> str:
    """Why a series cannot be assessed, from the method's reason (sdg-build's wording) to plain Swedish."""
    year = base_year if base_year is not None else 2015
    texts = {
        "no data": _("Det finns inga värden."),
        "duplicate years": _("Det finns två värden för samma år."),
        "direction must be +1 or -1": _("Nyckeltalet har ingen önskad riktning."),
        "no data in or after the base year": _("Det finns inga värden från basåret %(year)s eller senare.")
        % {"year": year},
        "target year equals base year": _("Målåret är detsamma som basåret."),
        "base and current values differ in sign": _("Basårets och det senaste årets värden har olika tecken, så "
                                                    "förändringstakten går inte att räkna ut."),
        "fewer than two years of data": _("Det finns bara ett år med värden från basåret %(year)s, så ingen "
                                          "förändring kan räknas ut.") % {"year": year},
        "no target year": _("Målet saknar målår."),
        "target and base value differ in sign": _("Målvärdet och basårets värde har olika tecken."),
        "progress value undefined (0/0 or overflow)": _("Förändringstakten går inte att räkna ut."),
    }
    return texts.get(reason, _("Utvecklingen kan inte bedömas."))


def target_text(target, target_value) -> str:
    """What the key figure should reach, as the Target says, and who set it."""
    if target is None:
        return _("Inget mål är satt.")
    year = target.target_year
    if target.kind == "absolute":
        text = _("Målvärde %(value)s år %(year)s.") % {"value": figure(target.value), "year": year}
    elif target.kind == "relative":
        text = _("%(share)s av basårets värde år %(year)s, det vill säga %(value)s.") % {
            "share": _share(target.factor), "year": year, "value": figure(target_value)}
    elif target.kind == "relative_gap":
        text = _("Avståndet till %(limit)s ska vara %(share)s av basårets avstånd år %(year)s, det vill säga "
                 "värdet %(value)s.") % {"limit": figure(target.value), "share": _share(target.factor),
                                         "year": year, "value": figure(target_value)}
    else:
        text = _("Inget målvärde: bara utvecklingen i önskad riktning från basåret bedöms.")
    return f"{text} " + _("Satt av %(who)s.") % {"who": target.set_by}


def explain(assessment, target, measure) -> dict:
    """The assessment of the total series as shown on the key-figure page.

    Returns status (label and colour level), method (its name), facts (term, text pairs for a definition
    list), needed (what rate was needed) and why (why this status); facts, needed and why are empty where
    they do not apply.
    """
    result = {"status": status_display(assessment.status if assessment else "not_available"),
              "method": METHOD_NAMES.get("opensdg"), "facts": [], "needed": "", "why": ""}
    if not measure.direction:
        result["why"] = _("Nyckeltalet har ingen önskad riktning – om högre eller lägre är bättre beror på "
                          "sammanhanget – så utvecklingen bedöms inte.")
        return result
    facts = result["facts"]
    facts.append((_("Önskad riktning"), direction_text(measure.direction)))
    facts.append((_("Mål"), target_text(target, assessment.target_value if assessment else None)))
    if assessment is None:
        result["why"] = reason_text("no data", target.base_year if target else None)
        return result
    a = assessment
    asked = target.base_year if target else 2015
    if a.base_year is not None and a.base_value is not None:
        note = "" if a.base_year == asked else " " + _("(första året med värde från %(year)s)") % {"year": asked}
        facts.append((_("Basår"), _("%(year)s: %(value)s") % {"year": a.base_year, "value": figure(a.base_value)}
                      + note))
    if a.current_year is not None and a.current_value is not None:
        facts.append((_("Senaste år"), _("%(year)s: %(value)s") % {"year": a.current_year,
                                                                  "value": figure(a.current_value)}))
    if a.status == "not_available":
        result["why"] = reason_text(a.reason, a.base_year if a.base_year is not None else asked)
        return result
    if a.status == "target_achieved" and a.target_value is not None:
        result["why"] = _("Det senaste värdet, %(current)s, har nått målvärdet %(target)s.") % {
            "current": figure(a.current_value), "target": figure(a.target_value)}
        return result
    span = a.current_year - a.base_year
    cagr = float((a.current_value / a.base_value) ** (1.0 / span) - 1.0)
    facts.append((_("Förändring per år"), _("%(rate)s i genomsnitt (%(start)s–%(end)s)") % {
        "rate": _rate(cagr), "start": a.base_year, "end": a.current_year}))
    if a.target_value is None:
        _explain_trend(result, a, measure)
    else:
        _explain_target(result, a, target)
    if a.score is not None:
        facts.append((_("Poäng"), _("%(score)s på en skala från −5 till 5") % {"score": figure(a.score)}))
    return result


def _explain_trend(result: dict, a, measure) -> None:
    """Without a target value: the yearly change in the desired direction against fixed rates."""
    high, med = opensdg.THRESHOLDS_TREND[0], opensdg.THRESHOLDS_TREND[1]
    lowered = ""
    if measure.natural_limit is not None:
        # The method's own scaling factor C (private there; one value here, no reason to copy the formula).
        c = float(opensdg._limit_coefficient(np.array([a.base_value]), np.array([measure.natural_limit]))[0])
        if c < 1:
            lowered = " " + _("Gränserna är sänkta från 1,5 och 0,5 procent eftersom basårets värde ligger nära "
                              "den naturliga gränsen %(limit)s: ju närmare gränsen, desto svårare att förbättra.") % {
                "limit": figure(measure.natural_limit)}
            high, med = high * c, med * c
    result["needed"] = _("Utan målvärde bedöms takten i önskad riktning: minst %(high)s per år räknas som i rätt "
                         "takt, %(med)s–%(high)s som framsteg där takten behöver öka, 0–%(med)s som begränsade "
                         "framsteg och en förändring åt fel håll som försämring.") % {
        "high": _share(high), "med": _share(med)} + lowered
    p = a.progress_value
    texts = {
        "substantial_progress": _("Förändringen i önskad riktning är %(p)s per år, minst %(high)s."),
        "moderate_progress": _("Förändringen i önskad riktning är %(p)s per år, mellan %(med)s och %(high)s."),
        "limited_progress": _("Förändringen i önskad riktning är %(p)s per år, mindre än %(med)s."),
        "deterioration": _("Värdet har gått åt fel håll sedan basåret: %(p)s per år i önskad riktning."),
    }
    result["why"] = texts.get(a.status, "") % {"p": _rate(p), "high": _share(high), "med": _share(med)}


def _explain_target(result: dict, a, target) -> None:
    """With a target value: the yearly change as a share of the change needed to reach it in the target year."""
    target_year = target.target_year
    required = (a.target_value / a.base_value) ** (1.0 / (target_year - a.base_year)) - 1.0
    result["needed"] = _("För att nå målvärdet %(target)s år %(year)s behövs %(rate)s per år från basåret. Minst "
                         "95 procent av den takten räknas som i rätt takt, 60–95 procent som framsteg där takten "
                         "behöver öka, 0–60 procent som begränsade framsteg och en förändring åt fel håll som "
                         "försämring.") % {"target": figure(a.target_value), "year": target_year,
                                           "rate": _rate(required)}
    texts = {
        "substantial_progress": _("Takten är %(ratio)s av den som behövs."),
        "moderate_progress": _("Takten är %(ratio)s av den som behövs: den behöver öka."),
        "limited_progress": _("Takten är bara %(ratio)s av den som behövs."),
        "deterioration": _("Värdet har gått åt fel håll sedan basåret."),
    }
    result["why"] = texts.get(a.status, "") % {"ratio": _share(a.progress_value)}
