"""`millennium subscribe` and `millennium refresh` against a Kolada API served on 127.0.0.1 from the real extract."""

import pytest

from millennium.cli import main
from millennium.places.models import Area
from millennium.sources.models import Subscription
from millennium.sources.refresh import RefreshLocked, refresh_all, refresh_lock
from millennium.statistics.models import ImportBatch, Observation
from tests.conftest import DATA
from tests.sources.kolada_server import KoladaServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    s = KoladaServer(DATA, ["N00945", "N01951"]).start()
    yield s
    s.stop()


@pytest.fixture
def live(server, tmp_path):
    """The options every refresh in these tests gets: our server, a cache of the test's own, short waits."""
    return ["--base-url", server.base_url, "--cache-dir", str(tmp_path / "cache"), "--retries", "1",
            "--timeout", "2"]


def subscribe(*args) -> int:
    return main(["subscribe", "kolada", *args])


def value(kpi, area, year, sex="T"):
    return Observation.objects.get(measure__code=kpi, area__code=area, year=year, sex=sex).value


def test_subscribe_records_the_request_once(capsys):
    first = subscribe("--kpi", "N00945,n01951", "--municipality", "1280", "--years", "2015-2022")
    again = subscribe("--kpi", "N01951,N00945", "--municipality", "1280", "--years", "2015-2022")

    s = Subscription.objects.get()
    assert (first, again) == (0, 0)
    assert (s.kind, s.area.code, s.last_status) == ("kolada", "1280", "never")
    assert s.parameters == {"kpis": ["N00945", "N01951"], "municipalities": ["1280"], "years": [2015, 2022]}
    out = capsys.readouterr().out
    assert "Subscribed: #" in out and "Already subscribed" in out


def test_subscribe_refuses_an_unknown_municipality(capsys):
    assert subscribe("--kpi", "N00945", "--municipality", "9999") == 1
    assert "unknown code 9999" in capsys.readouterr().err
    assert not Subscription.objects.exists()


def test_refresh_twice_the_second_reports_no_changes(server, live, capsys):
    subscribe("--kpi", "N00945", "--municipality", "1280", "--years", "2010-2022")
    subscribe("--kpi", "N01951", "--municipality", "0180,1280", "--years", "2018-2022")
    server.set_value("N00945", "1280", 2020, "T", 41.5)  # Kolada revised a figure since our extract
    Observation.objects.filter(measure__code="N01951", area__code="0180", year=2022).delete()
    capsys.readouterr()

    first = main(["refresh", *live])
    first_out = capsys.readouterr().out
    second = main(["refresh", *live])
    second_out = capsys.readouterr().out

    assert (first, second) == (0, 0)
    lines = first_out.splitlines()
    assert "changes: rows 0 new, 1 changed" in lines[0]
    assert "changes: rows 3 new, 0 changed" in lines[1]
    assert lines[2] == "2 subscriptions: 2 refreshed, 0 failed."
    assert [line.split(": ")[1] for line in second_out.splitlines()[:2]] == ["no changes", "no changes"]
    assert second_out.count("rows 0 new, 0 changed") == 2
    assert value("N00945", "1280", 2020) == 41.5
    assert all(s.last_status == "ok" and s.last_error == "" for s in Subscription.objects.all())
    assert 304 in server.statuses()  # the second run revalidated the cached pages


def test_a_failing_subscription_keeps_its_data_and_the_others_are_refreshed(server, live, capsys):
    subscribe("--kpi", "N00945", "--municipality", "1280", "--years", "2010-2022")
    subscribe("--kpi", "N01951", "--municipality", "1280", "--years", "2010-2022")
    main(["refresh", *live])
    capsys.readouterr()
    ok, failing = Subscription.objects.order_by("id")
    ok_batch = ok.last_batch_id
    # Both figures revised at Kolada, but the second subscription's source breaks half-way.
    server.set_value("N00945", "1280", 2021, "T", 40.25)
    server.set_value("N01951", "1280", 2010, "T", 1.0)
    server.set_value("N01951", "1280", 2022, "K", 2.0)
    server.fail(match="/data/kpi/N01951", status=500)
    before = value("N01951", "1280", 2010), value("N01951", "1280", 2022, "K")
    batches = ImportBatch.objects.count()

    code = main(["refresh", *live])

    out = capsys.readouterr().out
    ok.refresh_from_db()
    failing.refresh_from_db()
    assert code == 1
    assert f"#{failing.id} Kolada N01951 × 1280 2010–2022: FAILED:" in out and "HTTP 500" in out
    assert out.splitlines()[-1] == "2 subscriptions: 1 refreshed, 1 failed."
    assert value("N00945", "1280", 2021) == 40.25
    assert (value("N01951", "1280", 2010), value("N01951", "1280", 2022, "K")) == before
    assert ImportBatch.objects.count() == batches + 1
    assert (ok.last_status, failing.last_status) == ("ok", "failed")
    assert ok.last_batch_id != ok_batch
    assert "HTTP 500" in failing.last_error and failing.last_refreshed_at is not None


def test_malformed_answer_and_timeout_fail_the_subscription_cleanly(server, tmp_path):
    subscribe("--kpi", "N01951", "--municipality", "1280", "--years", "2010-2022")
    options = {"kolada": {"base_url": server.base_url, "cache_dir": tmp_path / "c", "retries": 0, "timeout": 2.0,
                          "per_page": 5}}
    server.set_value("N01951", "1280", 2010, "T", 1.0)
    before = value("N01951", "1280", 2010)

    server.fail(match="page=2", malformed=True, times=1)
    malformed = refresh_all(options, home=tmp_path)[0]
    server.fail(match="page=2", hang=6.0, times=1)
    slow = refresh_all(options, home=tmp_path)[0]

    assert not malformed.ok and "not valid JSON" in malformed.error
    assert not slow.ok and "timeout" in slow.error
    assert value("N01951", "1280", 2010) == before
    assert Subscription.objects.get().last_status == "failed"


def test_a_second_refresh_while_one_runs_is_refused(live, capsys, settings):
    subscribe("--kpi", "N00945", "--municipality", "1280")

    with refresh_lock():
        code = main(["refresh", *live])
        with pytest.raises(RefreshLocked):
            refresh_all({})

    assert code == 1
    assert "another refresh is running" in capsys.readouterr().err
    assert Subscription.objects.get().last_status == "never"


def test_without_subscriptions_refresh_does_nothing(live, capsys):
    assert main(["refresh", *live]) == 0
    assert capsys.readouterr().out == "0 subscriptions: 0 refreshed, 0 failed.\n"
    assert Area.objects.filter(subscriptions__isnull=False).count() == 0
