"""The Open SDG import into the store: Canada's real repository, re-imports, changes, failures, targets and
assessments against Open SDG's own reference output."""

import csv
import shutil

import pytest
import yaml
from django.db.models import Count, Max, Sum

from millennium.places.models import Area
from millennium.readers import InputError
from millennium.statistics.models import (Assessment, ImportBatch, Measure, MeasureLink, Observation, Source,
                                          Target)
from millennium.statistics.open_sdg_import import import_open_sdg
from tests.conftest import DATA

pytestmark = pytest.mark.django_db

CANADA = DATA / "open-sdg-canada"
REFERENCE = CANADA / "indicator_calculation_components.yml"
SET_BY = "Open SDG-konfiguration (open-sdg-canada)"


# ----------------------------------------------------------------------------------------------------
# The measure rule, written again from the files with csv and yaml (no code shared with the import), so
# that the import's counts can be checked against it.

NOT_DISAGGREGATIONS = {"Year", "Value", "Units", "Series", "Progress", "GeoCode", "Observation status",
                       "Unit multiplier", "Unit measure"}
SEX_COLUMNS = {"sex", "gender", "sex at birth"}
SEX_OF = {**dict.fromkeys(["female", "females", "woman", "women", "woman+", "women+"], "K"),
          **dict.fromkeys(["male", "males", "man", "men", "man+", "men+"], "M")}
EVERYONE = {"", "canada", "can", "total", "all", "both sexes", "total population", "all persons", "all ages"}


def untranslated(text: str) -> str:
    """Canada writes some cells and headers as translation keys ('data.Sex'); without translations the
    text after 'data.' is read."""
    return text[5:] if text.startswith("data.") else text


def front_matter(path) -> dict:
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end])) or {}


def stands_for_everyone(cell: str, column: str) -> bool:
    cell, column = cell.casefold(), column.casefold()
    return (cell in EVERYONE or cell.startswith("total, all ")
            or cell in (f"total, {column}", f"total - {column}", f"total {column}", f"all {column}",
                        f"all {column}s"))


def expected_series() -> dict[tuple, dict]:
    """Every measure the rule makes: key → {'T'/'K'/'M': [value cells]}."""
    found = {}
    for path in sorted((CANADA / "data").glob("indicator_*.csv")):
        inid = path.stem.removeprefix("indicator_")
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = [untranslated(c) for c in next(reader)]
            rows = [dict(zip(header, map(untranslated, r))) for r in reader if any(c.strip() for c in r)]
        disaggregations = [c for c in header[:header.index("Value")] if c not in NOT_DISAGGREGATIONS]
        meta = front_matter(CANADA / "meta" / f"{inid}.md")
        options = ((meta.get("progress_calculation_options") or [{}])
                   if meta.get("auto_progress_calculation") else [])

        def pick(series=None, unit=None, chosen=None):
            chosen = chosen or {}
            picked = [r for r in rows
                      if (series is None or "Series" not in r or r["Series"] == series)
                      and (unit is None or "Units" not in r or r["Units"] == unit)
                      and all(r[c] == chosen.get(c, "") for c in disaggregations)]
            if len({(r.get("Series"), r.get("Units")) for r in picked}) != 1:
                return None
            return picked

        selections = [(pick(s, u), False) for s, u in
                      dict.fromkeys((r.get("Series"), r.get("Units")) for r in rows
                                    if all(r[c] == "" for c in disaggregations))]
        for option in options:
            chosen = {d["field"]: "" if d.get("value") is None else str(d["value"])
                      for d in option.get("disaggregation", [])}
            selections.append((pick(option.get("series"), option.get("unit"), chosen), True))
        for picked, by_option in selections:
            if not picked:
                continue
            first = picked[0]
            choices = tuple((c, first[c]) for c in disaggregations if first[c])
            key = (inid, first.get("Series", ""), first.get("Units", ""), choices)
            values = found.setdefault(key, {"T": [r["Value"] for r in picked]})
            if by_option and "Progress" in header:
                found.setdefault(key + ("progress",), {"T": [r["Progress"] for r in picked]})
            if len(values) == 1:
                values.update(sex_breakdown(rows, disaggregations, first, dict(choices)))
    return found


def sex_breakdown(rows, disaggregations, first, chosen) -> dict:
    sex_columns = [c for c in disaggregations if c.casefold() in SEX_COLUMNS]
    if any(chosen[c].casefold() in SEX_OF for c in sex_columns if c in chosen):
        return {}
    candidates = [c for c in sex_columns if c in chosen] or sex_columns
    for lenient in (False, True):
        for column in candidates:
            by_sex = {"K": [], "M": []}
            for r in rows:
                if (r.get("Series") == first.get("Series") and r.get("Units") == first.get("Units")
                        and r[column].casefold() in SEX_OF
                        and all(r[c] == chosen[c] if c in chosen else
                                (stands_for_everyone(r[c], c) if lenient else r[c] == "")
                                for c in disaggregations if c != column)):
                    by_sex[SEX_OF[r[column].casefold()]].append(r)
            if not by_sex["K"] and not by_sex["M"]:
                continue
            if any(len({r["Year"][:4] for r in rs}) != len(rs) for rs in by_sex.values()):
                return {}
            return {sex: [r["Value"] for r in rs] for sex, rs in by_sex.items()}
    return {}


def expected_counts() -> tuple[int, int, int]:
    """(measures, values, cells without a value) of the rule."""
    measures = values = empty = 0
    for by_sex in expected_series().values():
        cells = [c for sex_cells in by_sex.values() for c in sex_cells]
        present = sum(1 for c in cells if c.strip() != "")
        measures += present > 0
        values += present
        empty += len(cells) - present
    return measures, values, empty


# ----------------------------------------------------------------------------------------------------


def canada_observations():
    return Observation.objects.filter(measure__source__code="open-sdg", area__code="CAN")


def store_fingerprint():
    """Counts per import batch and the highest id catch new, deleted and updated rows (an update moves a
    row to the new batch); the value sum catches anything else, to within summation order; then the
    other tables an import writes."""
    return (sorted(Observation.objects.values_list("batch").annotate(n=Count("id"))),
            Observation.objects.aggregate(m=Max("id"))["m"],
            pytest.approx(Observation.objects.aggregate(s=Sum("value"))["s"], rel=1e-12),
            Measure.objects.count(), ImportBatch.objects.count(), Source.objects.count(), Area.objects.count(),
            Target.objects.count(), MeasureLink.objects.count(), Assessment.objects.count(),
            Assessment.objects.aggregate(m=Max("id"))["m"])


@pytest.fixture
def canada_copy(tmp_path):
    folder = tmp_path / "open-sdg-canada"
    shutil.copytree(CANADA, folder)
    return folder


def test_import_stores_exactly_the_series_of_the_rule():
    measures, values, empty = expected_counts()

    summary = import_open_sdg(CANADA, country="CAN")

    batch = ImportBatch.objects.get(id=summary.batch_id)
    assert (summary.new, summary.changed, summary.unchanged, summary.rejected) == (values, 0, 0, empty)
    assert (summary.measures, summary.files) == (measures, 86)
    assert canada_observations().count() == values
    assert Measure.objects.filter(source__code="open-sdg").count() == measures
    assert (batch.rows_new, batch.rows_rejected, batch.source.name) == (values, empty, "Open SDG: open-sdg-canada")


def test_import_counts_for_canada():
    """The numbers themselves, so that a change of the rule shows here (and in the report)."""
    summary = import_open_sdg(CANADA, country="CAN")

    by_sex = dict(canada_observations().values_list("sex").annotate(n=Count("id")))
    assert (summary.measures, summary.new, summary.rejected) == (133, 1471, 6)
    assert by_sex == {"T": 1317, "K": 78, "M": 76}


def test_second_import_finds_nothing_new():
    first = import_open_sdg(CANADA, country="CAN")

    second = import_open_sdg(CANADA, country="CAN")

    assert (second.new, second.changed, second.unchanged) == (0, 0, first.new)
    assert canada_observations().count() == first.new


def test_changed_value_is_updated_and_counted(canada_copy):
    first = import_open_sdg(CANADA, country="CAN")
    path = canada_copy / "data" / "indicator_1-1-1.csv"
    text = path.read_text(encoding="utf-8")
    assert '2023,"","","","",,10.4\n' in text
    path.write_text(text.replace('2023,"","","","",,10.4\n', '2023,"","","","",,10.9\n'), encoding="utf-8")

    summary = import_open_sdg(canada_copy, country="CAN")

    stored = canada_observations().get(measure__code="open-sdg:1-1-1", year=2023, sex="T")
    assert (summary.new, summary.changed, summary.unchanged) == (0, 1, first.new - 1)
    assert (stored.value, stored.batch_id) == (10.9, summary.batch_id)


def test_bad_number_stops_import_and_changes_nothing(canada_copy):
    path = canada_copy / "data" / "indicator_3-2-1.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n").rsplit(",", 1)[0] + ",4.5x\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = store_fingerprint()

    with pytest.raises(InputError) as error:
        import_open_sdg(canada_copy, country="CAN")

    assert str(error.value) == (f"{path}:2:Value: '4.5x' is not a number; expected a finite number with a "
                                "decimal point, e.g. 12.5, or nothing")
    assert store_fingerprint() == before


def test_missing_year_column_stops_import_and_changes_nothing(canada_copy):
    path = canada_copy / "data" / "indicator_6-5-1.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace('"Year"', '"Period"').replace("Year", "Period")
    path.write_text("".join(lines), encoding="utf-8")
    before = store_fingerprint()

    with pytest.raises(InputError) as error:
        import_open_sdg(canada_copy, country="CAN")

    assert (error.value.path, error.value.line) == (path, 1)
    assert "missing column(s) Year" in error.value.message
    assert store_fingerprint() == before


def test_failure_while_writing_rolls_back_everything(monkeypatch):
    before = store_fingerprint()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("millennium.statistics.open_sdg_import.recompute_assessments", fail)
    with pytest.raises(RuntimeError):
        import_open_sdg(CANADA, country="XCA", country_name="Kanada (prov)")

    assert store_fingerprint() == before
    assert not Area.objects.filter(code="XCA").exists()


def test_missing_country_is_created():
    summary = import_open_sdg(CANADA, country="XCA", country_name="Kanada (prov)")

    area = Area.objects.get(code="XCA")
    assert (area.name, area.level) == ("Kanada (prov)", Area.Level.COUNTRY)
    assert Observation.objects.filter(area=area).count() == summary.new


@pytest.mark.parametrize("country", ["can", "CANADA", "1280"])
def test_country_must_be_an_iso3_code(country):
    with pytest.raises(ValueError, match="`country` must be an ISO 3166-1 alpha-3 code"):
        import_open_sdg(CANADA, country=country)


def test_targets_and_direction_from_the_options_of_1_1_1():
    import_open_sdg(CANADA, country="CAN")

    measure = Measure.objects.get(code="open-sdg:1-1-1")
    target = Target.objects.get(measure=measure)
    assert (measure.direction, measure.natural_limit, measure.unit, measure.divided_by_sex) == \
        ("down", None, "Percentage", True)
    assert (target.area, target.kind, target.value, target.factor, target.base_year, target.target_year) == \
        (None, "absolute", 7.25, None, 2015, 2030)
    assert (target.set_by, target.reason) == \
        (SET_BY, "meta/1-1-1.md: progress_calculation_options, alternativ 1, rad 78")


def test_women_and_men_of_1_1_1_are_its_sex_breakdown():
    import_open_sdg(CANADA, country="CAN")

    stored = dict(((y, s), v) for y, s, v in canada_observations().filter(
        measure__code="open-sdg:1-1-1", year=2015).values_list("year", "sex", "value"))
    # indicator_1-1-1.csv: the headline (every cell blank) and Canada / Total / Woman+ and Man+ / Total.
    assert stored == {(2015, "T"): 14.5, (2015, "K"): 14.8, (2015, "M"): 14.1}


def test_option_without_target_gives_direction_and_limit():
    import_open_sdg(CANADA, country="CAN")

    target = Target.objects.get(measure__code="open-sdg:1-2-1")
    measure = target.measure
    assert (measure.direction, measure.natural_limit) == ("up", 100.0)
    assert (target.kind, target.value, target.base_year, target.target_year) == ("direction", None, 2015, 2030)


def test_automatic_calculation_without_options_gets_open_sdg_default():
    import_open_sdg(CANADA, country="CAN")

    target = Target.objects.get(measure__code="open-sdg:1-3-1")
    assert (target.measure.direction, target.kind, target.value, target.base_year, target.target_year) == \
        ("down", "direction", None, 2015, 2030)
    assert target.reason == ("meta/1-3-1.md: auto_progress_calculation utan progress_calculation_options, så "
                             "Open SDG:s standard (lägre är bättre, 2015–2030)")


def test_no_direction_without_automatic_calculation():
    import_open_sdg(CANADA, country="CAN")

    measure = Measure.objects.get(code="open-sdg:13-1-1")  # auto_progress_calculation: false

    assert (measure.direction, measure.targets.count(), measure.assessments.count()) == ("", 0, 0)


def test_measures_link_to_goal_and_existing_global_codes():
    import_open_sdg(CANADA, country="CAN")

    def link(code):
        found = MeasureLink.objects.select_related("goal", "target", "indicator").get(measure__code=code)
        return (found.goal.code, found.target and found.target.code, found.indicator and found.indicator.code,
                found.relation)

    assert link("open-sdg:1-1-1") == ("1", "1.1", "1.1.1", "proxy")
    assert link("open-sdg:3-15-1") == ("3", None, None, "proxy")  # Canada's own 3.15 exists in no UN list


REFERENCE_SERIES = [
    # measure code, indicator and series key in indicator_calculation_components.yml
    ("open-sdg:1-1-1", "1-1-1", "1-1-1"),
    ("open-sdg:11-1-1/Number of shelter users experiencing chronic homelessness/Number", "11-1-1",
     "11-1-1 / Number of shelter users experiencing chronic homelessness / Number"),
    ("open-sdg:3-10-1/Cancer", "3-10-1", "3-10-1 / Cancer"),
    ("open-sdg:5-4-1/Total, unpaid work activities/Total, all persons/Total, 15 years and over/Canada/progress",
     "5-4-1", "5-4-1 / Canada / Total, unpaid work activities / Total, 15 years and over / Total, all persons"),
    ("open-sdg:3-9-1/Canada/Human Papillomavirus (HPV)/Recommended vaccines for 14-year-old children/"
     "Total - Gender", "3-9-1",
     "3-9-1 / Human Papillomavirus (HPV) / Recommended vaccines for 14-year-old children / Canada / Total - Gender"),
]


@pytest.fixture(scope="module")
def reference():
    with REFERENCE.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.mark.parametrize(("code", "indicator", "key"), REFERENCE_SERIES)
def test_stored_assessment_equals_open_sdg_reference(reference, code, indicator, key):
    expected = reference[indicator][key]
    import_open_sdg(CANADA, country="CAN")

    stored = Assessment.objects.get(measure__code=code, area__code="CAN", sex="T", method="opensdg")

    assert stored.status == expected["status"]
    assert stored.score == pytest.approx(expected["score"], abs=1e-9)
    assert (stored.base_year, stored.base_value, stored.current_year, stored.current_value, stored.target_value) == \
        (expected["base_year"], expected["base_value"], expected["current_year"], expected["current_value"],
         expected["target"])
    assert stored.progress_value == pytest.approx(expected["progress_value"], abs=1e-9)
