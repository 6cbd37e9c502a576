"""`millennium subscribe scb` and `millennium refresh` for an SCB table, against the PxWeb test server."""

import pytest

from millennium.cli import main
from millennium.sources.models import Subscription
from millennium.statistics.models import ImportBatch, Observation
from tests.conftest import DATA
from tests.sources.pxweb_server import TABLE_V2, PxWebServer

pytestmark = pytest.mark.django_db

QUERY = ["--query", "Region=1280", "--query", "Kon=1,2", "--query", "Tid=2018-2022"]


@pytest.fixture(scope="module")
def server():
    s = PxWebServer(DATA, max_cells=20).start()
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def fresh(server):
    server.clear()
    server.max_cells, server.calls, server.window = 20, 1000, 10


def refresh(tmp_path) -> int:
    return main(["refresh", "--cache-dir", str(tmp_path / "cache"), "--retries", "0", "--timeout", "5"])


def test_an_scb_subscription_is_refreshed_and_a_second_refresh_changes_nothing(server, tmp_path, capsys):
    assert main(["subscribe", "scb", TABLE_V2, *QUERY, "--base-url", server.v2]) == 0
    assert main(["subscribe", "scb", TABLE_V2, *QUERY, "--base-url", server.v2]) == 0  # the same: not twice
    assert Subscription.objects.filter(kind="scb").count() == 1
    capsys.readouterr()

    assert refresh(tmp_path) == 0
    first = capsys.readouterr().out
    stored = Observation.objects.filter(measure__code__startswith=f"SCB:{TABLE_V2}:", area__code="1280").count()
    assert stored > 0 and stored % 10 == 0  # women and men × 5 years, per content code of the table
    assert f": changes: rows {stored} new, 0 changed" in first

    batches = ImportBatch.objects.count()
    assert refresh(tmp_path) == 0
    second = capsys.readouterr().out
    assert ": no changes: rows 0 new, 0 changed" in second
    assert ImportBatch.objects.count() == batches + 1
    assert Subscription.objects.get(kind="scb").last_status == "ok"


def test_a_failing_scb_source_keeps_its_data_and_exits_1(server, tmp_path, capsys):
    main(["subscribe", "scb", TABLE_V2, *QUERY, "--base-url", server.v2])
    assert refresh(tmp_path) == 0
    before = sorted(Observation.objects.filter(measure__code__startswith=f"SCB:{TABLE_V2}:")
                    .values_list("area__code", "year", "sex", "value"))
    server.fail(status=500)

    assert refresh(tmp_path) == 1
    assert "FAILED" in capsys.readouterr().out
    after = sorted(Observation.objects.filter(measure__code__startswith=f"SCB:{TABLE_V2}:")
                   .values_list("area__code", "year", "sex", "value"))
    assert after == before
    assert Subscription.objects.get(kind="scb").last_status == "failed"


def test_a_query_without_a_variable_is_refused(capsys):
    assert main(["subscribe", "scb", TABLE_V2, "--query", "1280"]) == 1
    assert "expected VARIABLE=VALUES" in capsys.readouterr().err
    assert not Subscription.objects.filter(kind="scb").exists()
