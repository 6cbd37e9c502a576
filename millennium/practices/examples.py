"""Loads the example practices (data/example_practices.yaml) for the demo: published, marked as examples.

Idempotent: a practice is known by its municipality and title, so loading again changes what changed in the file
and creates nothing twice; one left unchanged is not saved (the pages' data version stays). All or nothing: a bad
entry stops the load with the file, line and what was expected, and nothing is written.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from millennium.frameworks.models import Goal
from millennium.frameworks.models import Target as GoalTarget
from millennium.places.models import Area
from millennium.readers import InputError
from millennium.statistics.models import Measure

from .models import Practice

EXAMPLES = Path(__file__).parent / "data" / "example_practices.yaml"
PREFIX = "Exempel:"
MDG = "mdg-"
TEXT_FIELDS = ("summary", "body", "results", "contact_role")


@dataclass(frozen=True)
class Summary:
    new: int
    changed: int
    unchanged: int


class _LineLoader(yaml.SafeLoader):
    """Keeps each entry's line number (as "__line__"), for error messages."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_examples(path: Path = EXAMPLES) -> Summary:
    path = Path(path)
    try:
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (a SafeLoader)
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        raise InputError(path, mark.line + 1 if mark else None, f"not valid YAML: {e.problem}",
                         mark.column + 1 if mark else None) from None
    if not isinstance(entries, list):
        raise InputError(path, 1, "expected a list of practices")
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    with transaction.atomic():
        for entry in entries:
            counts[_load_one(path, entry)] += 1
    return Summary(**counts)


def _load_one(path: Path, entry) -> str:
    if not isinstance(entry, dict):
        raise InputError(path, None, "expected each practice to be a mapping of fields")
    line = entry["__line__"]

    def fail(message: str):
        raise InputError(path, line, message)

    title = str(entry.get("title") or "")
    if not title.startswith(PREFIX):
        fail(f"an example's title must begin with {PREFIX!r}, got {title!r}")
    area = Area.objects.filter(code=str(entry.get("municipality", "")), level=Area.Level.MUNICIPALITY).first()
    if area is None:
        fail(f"unknown municipality {entry.get('municipality')!r}; expected a code such as 1280")
    period = entry.get("period") or [None, None]
    if not (isinstance(period, list) and len(period) == 2):
        fail("period: expected [start year, end year or null]")
    goals = [_goal(slug) or fail(f"unknown goal {slug!r}; expected e.g. \"5\" or \"mdg-3\"")
             for slug in map(str, entry.get("goals", []))]
    targets = [_target(code) or fail(f"unknown target {code!r}; expected e.g. \"5.4\" or \"mdg-3.A\"")
               for code in map(str, entry.get("targets", []))]
    codes = [str(c).upper() for c in entry.get("measures", [])]
    measures = list(Measure.objects.filter(code__in=codes))
    if missing := sorted(set(codes) - {m.code for m in measures}):
        fail(f"unknown key figure(s) {', '.join(missing)}; import the Kolada extract first")

    values = {f: str(entry.get(f) or "").strip() for f in TEXT_FIELDS}
    values.update(period_start=period[0], period_end=period[1])
    practice = Practice.objects.filter(municipality=area, title=title, is_example=True).first()
    created = practice is None
    if created:
        practice = Practice(municipality=area, title=title, is_example=True)
    changed = created or any(getattr(practice, f) != v for f, v in values.items()) or not practice.is_published
    if changed:
        for f, v in values.items():
            setattr(practice, f, v)
        if not practice.is_published:
            practice.status, practice.published_at = Practice.Status.PUBLISHED, timezone.now()
        try:
            practice.full_clean()
        except ValidationError as e:
            fail("; ".join(f"{field}: {' '.join(errors)}" for field, errors in e.message_dict.items()))
        practice.save()
    tagged = False
    for relation, wanted in (("goals", goals), ("targets", targets), ("measures", measures)):
        manager = getattr(practice, relation)
        if created or set(manager.values_list("pk", flat=True)) != {o.pk for o in wanted}:
            manager.set(wanted)
            tagged = True
    if tagged and not created:
        practice.save(update_fields=["updated_at"])  # a changed tag changes the pages' data version too
        changed = True
    return "new" if created else "changed" if changed else "unchanged"


def _goal(slug: str) -> Goal | None:
    framework, code = ("mdg", slug[len(MDG):]) if slug.startswith(MDG) else ("sdg", slug)
    return Goal.objects.filter(framework__code=framework, code=code).first()


def _target(code: str) -> GoalTarget | None:
    framework, code = ("mdg", code[len(MDG):]) if code.startswith(MDG) else ("sdg", code)
    return GoalTarget.objects.filter(goal__framework__code=framework, code=code).first()
