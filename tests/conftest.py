"""The test database holds the real data: frameworks, every Swedish area, the whole Kolada extract and
Gapminder's country series for the MDG indicators.

It is loaded once per run (about half a minute) and every test runs in a transaction rolled back after it.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(settings.DATA_DIR)
KOLADA = DATA / "kolada"
GAPMINDER = DATA / "gapminder-mdg"


def pytest_configure(config):
    if not KOLADA.exists():
        raise pytest.UsageError(f"the tests need the real data: {KOLADA} not found (set MILLENNIUM_DATA_DIR)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from millennium.frameworks.loading import load_frameworks
    from millennium.places.loading import load_areas
    from millennium.statistics.gapminder_import import import_gapminder_mdg
    from millennium.statistics.kolada_import import import_kolada_ddf

    with django_db_blocker.unblock():
        load_frameworks()
        load_areas(DATA)
        import_kolada_ddf(KOLADA)
        import_gapminder_mdg(GAPMINDER)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Pages are cached per data version; a test that changes data inside its rolled-back transaction must not
    leave a page behind for the next test with the same version."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def kolada_subset(tmp_path):
    """A Kolada DDF folder with the real metadata and area files and the data files of a few KPIs."""

    def make(*kpis: str) -> Path:
        folder = tmp_path / "kolada"
        folder.mkdir()
        for f in KOLADA.glob("ddf--*.csv"):
            shutil.copy(f, folder / f.name)
        for kpi in kpis:
            for f in KOLADA.glob(f"datapoints--*/ddf--datapoints--{kpi}--*.csv"):
                (folder / f.parent.name).mkdir(exist_ok=True)
                shutil.copy(f, folder / f.parent.name / f.name)
        return folder

    return make
