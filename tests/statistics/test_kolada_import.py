"""The Kolada import into the store: the whole real extract, re-imports, changes and failures."""

import csv

import pytest
from django.db.models import Count, Max, Sum

from millennium.readers import InputError
from millennium.statistics.goal_mapping import read_goal_mapping
from millennium.statistics.kolada_import import import_kolada_ddf
from millennium.statistics.models import ImportBatch, Measure, MeasureLink, Observation
from tests.conftest import KOLADA

pytestmark = pytest.mark.django_db


def kolada_file_rows() -> int:
    return sum(sum(1 for _ in f.open(encoding="utf-8")) - 1 for f in KOLADA.glob("datapoints--*/*.csv"))


def store_fingerprint():
    """Counts per import batch and the highest id catch new, deleted and updated rows (an update moves a
    row to the new batch); the value sum catches anything else, to within summation order."""
    return (sorted(Observation.objects.values_list("batch").annotate(n=Count("id"))),
            Observation.objects.aggregate(m=Max("id"))["m"],
            pytest.approx(Observation.objects.aggregate(s=Sum("value"))["s"], rel=1e-12),
            Measure.objects.count(), ImportBatch.objects.count())


def test_whole_extract_is_in_the_store():
    batch = ImportBatch.objects.get(source__code="kolada")

    assert Observation.objects.filter(measure__source__code="kolada").count() == kolada_file_rows() == \
        batch.rows_new
    assert (batch.files, batch.rows_changed, batch.rows_unchanged) == (743, 0, 0)
    assert Measure.objects.filter(source__code="kolada").count() == 505


def test_second_import_of_whole_extract_finds_nothing_new():
    kolada = Observation.objects.filter(measure__source__code="kolada")
    before = kolada.count()

    summary = import_kolada_ddf(KOLADA)

    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, before)
    assert kolada.count() == before


def test_changed_value_is_updated_and_counted(kolada_subset):
    folder = kolada_subset("n00945")
    path = folder / "datapoints--by--geo--year/ddf--datapoints--n00945--by--geo--year.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("1280,2020,"))
    lines[index] = "1280,2020,99.5\n"
    path.write_text("".join(lines), encoding="utf-8")

    summary = import_kolada_ddf(folder)

    stored = Observation.objects.get(measure__code="N00945", area__code="1280", year=2020, sex="T")
    assert (summary.new, summary.changed) == (0, 1)
    assert summary.unchanged == Observation.objects.filter(measure__code="N00945").count() - 1
    assert (stored.value, stored.batch_id) == (99.5, summary.batch_id)


def test_corrupted_file_stops_import_and_changes_nothing(kolada_subset):
    folder = kolada_subset("n00945", "n00401", "n01951")
    path = folder / "datapoints--by--geo--year/ddf--datapoints--n01951--by--geo--year.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[41] = lines[41].rsplit(",", 1)[0] + ",12.5x\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = store_fingerprint()

    with pytest.raises(InputError) as error:
        import_kolada_ddf(folder)

    assert str(error.value).startswith(f"{path}:42:n01951: '12.5x' is not a number")
    assert store_fingerprint() == before


def test_failure_while_writing_rolls_back_everything(kolada_subset, monkeypatch):
    folder = kolada_subset("n00945")
    Observation.objects.filter(measure__code="N00945", area__code="1280").delete()
    before = store_fingerprint()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("millennium.statistics.kolada_import.apply_goal_mapping", fail)
    with pytest.raises(RuntimeError):
        import_kolada_ddf(folder)

    assert store_fingerprint() == before


def test_malmo_values_equal_the_kolada_files():
    for kpi in ["n00945", "n01951", "n00401"]:
        for f in KOLADA.glob(f"datapoints--*/ddf--datapoints--{kpi}--*.csv"):
            with f.open(encoding="utf-8", newline="") as fh:
                expected = {(int(r["year"]), r.get("gender", "t").upper()): float(r[kpi])
                            for r in csv.DictReader(fh) if r["geo"] == "1280"}
            sexes = {"K", "M"} if "gender" in f.name else {"T"}
            stored = {(y, s): v for y, s, v in Observation.objects.filter(
                measure__code=kpi.upper(), area__code="1280", sex__in=sexes).values_list("year", "sex", "value")}
            assert stored == expected and expected, f


def test_goal_mapping_applied_to_imported_measures():
    emissions = Measure.objects.get(code="N00401")
    links = {(link.goal.framework.code, link.goal.code, link.target.code if link.target else None)
             for link in MeasureLink.objects.filter(measure=emissions).select_related("goal__framework", "target")}

    assert emissions.direction == "down"
    assert ("sdg", "13", "13.2") in links
    with_data = {r["kpi"] for r in read_goal_mapping()
                 if any(KOLADA.glob(f"datapoints--*/ddf--datapoints--{r['kpi'].lower()}--*.csv"))}
    linked = MeasureLink.objects.filter(goal__framework__code="sdg").values_list("measure__code", flat=True)
    assert set(linked) == with_data
    assert len(with_data) == 83  # N07713 (public charging points) has no data in the extract
