"""Which of a municipality's key figures improved most, and which worsened most, since the base year.

Ranked by the relative annual change in the desired direction, (current / base)^(1 / years) − 1 with its sign
turned so that positive is better: the growth rate Open SDG's method judges a figure without a target value
by (analysis/progress/opensdg.py). The assessment's score would do too, but it stops at ±5 (a change of two
per cent a year), so many figures would tie at the top.
"""

from millennium.analysis.progress.opensdg import ZERO_REPLACEMENT
from millennium.statistics.models import Assessment, Measure

TOP = 5
DIRECTIONS = {Measure.Direction.UP: 1, Measure.Direction.DOWN: -1}


def annual_change(assessment: Assessment, direction: str) -> float | None:
    """The relative annual change from the base to the current value, positive when it goes the desired way.

    None when it cannot be told: no direction, not assessed, less than a year, a base value of zero (which the
    method replaces by 0.001, making any change look enormous) or values of opposite signs.
    """
    sign = DIRECTIONS.get(direction)
    base, current = assessment.base_value, assessment.current_value
    if (sign is None or assessment.status == "not_available" or base is None or current is None
            or assessment.base_year is None or assessment.current_year is None
            or assessment.current_year - assessment.base_year < 1 or abs(base) <= ZERO_REPLACEMENT
            or current / base <= 0):
        return None
    growth = (current / base) ** (1 / (assessment.current_year - assessment.base_year)) - 1
    return sign * (-1 if base < 0 else 1) * growth


def largest_changes(figures: list[dict]) -> tuple[list[dict], list[dict]]:
    """The TOP figures that improved most and the TOP that worsened most; each figure a dict with measure
    and assessment, returned with its change added."""
    ranked = []
    for figure in figures:
        assessment = figure["assessment"]
        change = annual_change(assessment, figure["measure"].direction) if assessment else None
        if change is not None:
            ranked.append({**figure, "change": change, "change_percent": 100 * change})
    ranked.sort(key=lambda f: f["change"], reverse=True)
    improved = [f for f in ranked if f["change"] > 0][:TOP]
    worsened = [f for f in reversed(ranked) if f["change"] < 0][:TOP]
    return improved, worsened
