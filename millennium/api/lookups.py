"""Code → row look-ups that answer 404 with a sentence naming what was not found."""

from ninja.errors import HttpError

from millennium.frameworks.models import Framework, Goal
from millennium.places.models import Area
from millennium.statistics.models import Measure


def _one(rows, what: str, code: str, example: str) -> int:
    found = rows.values_list("id", flat=True).first()
    if found is None:
        raise HttpError(404, f"unknown {what} {code!r}, e.g. {example!r}")
    return found


def framework_id(code: str) -> int:
    return _one(Framework.objects.filter(code=code), "framework", code, "sdg")


def goal_id(framework: str, code: str) -> int:
    framework_id(framework)
    return _one(Goal.objects.filter(framework__code=framework, code=code), f"goal of {framework}", code, "11")


def area_id(code: str) -> int:
    return _one(Area.objects.filter(code=code), "area", code, "1280")


def measure_id(code: str) -> int:
    return _one(Measure.objects.filter(code=code), "measure", code, "N00945")
