"""Importing a municipality's own district figures: the example file, idempotence, all or nothing."""

from pathlib import Path

import pytest

from millennium.places.models import Area
from millennium.readers import InputError
from millennium.statistics.areas_csv_import import import_areas_csv
from millennium.statistics.models import ImportBatch, Measure, Observation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "millennium" / "statistics" / "data"
EXAMPLE = DATA / "omradesdata-exempel-FIKTIVA-VARDEN.csv"
TEMPLATE = DATA / "omradesdata-mall.csv"
HEADER = "kommun;omradeskod;omradesnamn;nivå;nyckeltal;nyckeltalsnamn;år;kön;värde"


def write(tmp_path, *lines):
    path = tmp_path / "omradesdata.csv"
    path.write_text("\n".join((HEADER,) + lines) + "\n", encoding="utf-8")
    return path


def store_counts():
    return (Observation.objects.count(), Area.objects.count(), Measure.objects.count(),
            ImportBatch.objects.count())


def test_example_file_says_fictional_on_first_line():
    first = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()[0]

    assert first.startswith("# EXEMPEL MED FIKTIVA VÄRDEN - INTE VERKLIG STATISTIK.")


def test_import_areas_csv_example_file_stores_every_row():
    summary = import_areas_csv(EXAMPLE)

    measure = Measure.objects.get(code="local:1280:EXEMPEL-FIKTIV")
    assert (summary.new, summary.changed, summary.unchanged, summary.rejected) == (728, 0, 0, 0)
    assert measure.source.code == "egen-data"
    assert measure.title_sv == "EXEMPEL: fiktivt nyckeltal (påhittade värden)"
    assert Observation.objects.filter(measure=measure).count() == 728
    assert Observation.objects.filter(measure=measure).values("area").distinct().count() == 91
    assert Observation.objects.get(measure=measure, area__code="1280R001", year=2015, sex="T").value == 41.7


def test_import_areas_csv_second_import_reports_nothing_new():
    import_areas_csv(EXAMPLE)

    summary = import_areas_csv(EXAMPLE)

    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, 728)


def test_import_areas_csv_template_as_delivered_has_no_data():
    with pytest.raises(InputError) as e:
        import_areas_csv(TEMPLATE)

    assert str(e.value) == f"{TEMPLATE}: no data rows; expected one row per district, key figure, year and sex"


def test_import_areas_csv_unknown_deso_refused_and_store_unchanged(tmp_path):
    path = write(tmp_path,
                 "1280;OMR01;Centrum;eget;TRYGG;Trygghet (%);2022;T;70",
                 "1280;1280C1010;Tygelsjö by omland (1010);deso;N00945;;2022;T;12,5",
                 "1280;1280C9999;Finns inte;deso;N00945;;2022;T;12,5")
    before = store_counts()

    with pytest.raises(InputError) as e:
        import_areas_csv(path)

    assert str(e.value) == (f"{path}:4:omradeskod: DeSO 1280C9999 is not in the store; expected an official code "
                            "from the Kolada extract's area files (loaded by millennium init), or nivå eget for "
                            "the municipality's own district")
    assert store_counts() == before


@pytest.mark.parametrize(("line", "expected"), [
    ("2599;OMR01;Centrum;eget;TRYGG;Trygghet;2022;T;70",
     "2:kommun: municipality 2599 is not in the store; expected a Swedish municipality code, e.g. 1280"),
    ("1280;1280R001;Almvik;regso;N99999;;2022;T;70",
     "2:nyckeltal: Kolada key figure N99999 is not in the store; expected a Kolada id that is imported "
     "(millennium import kolada-ddf), or the municipality's own code with nyckeltalsnamn"),
])
def test_import_areas_csv_unknown_codes_refused(tmp_path, line, expected):
    path = write(tmp_path, line)
    before = store_counts()

    with pytest.raises(InputError) as e:
        import_areas_csv(path)

    assert str(e.value) == f"{path}:{expected}"
    assert store_counts() == before


def test_import_areas_csv_custom_districts_created_under_malmo(tmp_path):
    path = write(tmp_path,
                 "1280;OMR01;Centrum;eget;TRYGG;Trygghet i området (%);2021;K;70,5",
                 "1280;OMR01;Centrum;eget;TRYGG;Trygghet i området (%);2021;M;80",
                 "1280;OMR02;Hamnen;eget;TRYGG;Trygghet i området (%);2021;T;",
                 "1280;OMR02;Hamnen;eget;N00945;;2021;T;33,3")

    summary = import_areas_csv(path)

    custom = Area.objects.filter(level=Area.Level.CUSTOM, parent__code="1280").order_by("code")
    assert [(a.code, a.name) for a in custom] == [("1280-OMR01", "Centrum"), ("1280-OMR02", "Hamnen")]
    assert (summary.new, summary.rejected) == (3, 1)
    assert Observation.objects.get(area__code="1280-OMR01", measure__code="local:1280:TRYGG", sex="K").value == 70.5
    assert Observation.objects.get(area__code="1280-OMR02", measure__code="N00945", year=2021).value == 33.3
