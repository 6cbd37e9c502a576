"""`millennium refresh`: fetch every subscription again, each in its own transaction, and say what changed.

Safe from cron: one run at a time (a lock file in MILLENNIUM_HOME, and on PostgreSQL also an advisory lock, so
runs on several machines sharing the database do not overlap either). A subscription that fails (source down,
malformed answer) is recorded as failed with its error; its transaction is rolled back, so its previous data
stay, and the other subscriptions are refreshed all the same.

A source kind is refreshed by the function in `REFRESHERS` (kind → function(subscription, options) →
ImportSummary); a new live source adds itself there. `options` are per kind ({"kolada": {"base_url": …}}),
so one source's address or cache never reaches another.
"""

import fcntl
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from millennium.statistics.loading import ImportSummary
from millennium.statistics.models import ImportBatch

from .models import Subscription

LOCK_FILE = "refresh.lock"
_ADVISORY_KEY = zlib.crc32(b"millennium refresh")


class RefreshLocked(RuntimeError):
    """Another `millennium refresh` is running."""


@dataclass
class RefreshResult:
    subscription: Subscription
    summary: ImportSummary | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.summary is not None


def _refresh_kolada(subscription: Subscription, options: dict) -> ImportSummary:
    from millennium.statistics.kolada_api_import import KoladaRequest, import_kolada_api, kolada_client

    client = kolada_client(**options)
    return import_kolada_api(KoladaRequest.from_parameters(subscription.parameters), client)


def _refresh_scb(subscription: Subscription, options: dict) -> ImportSummary:
    from millennium.statistics.scb_import import import_scb, scb_client

    p = subscription.parameters
    client = scb_client(p.get("api", "v2"), p.get("base_url"), options.get("cache_dir"),
                        **{k: options[k] for k in ("retries", "timeout") if options.get(k) is not None})
    return import_scb(p["table"], p["query"], client)


REFRESHERS: dict[str, Callable[[Subscription, dict], ImportSummary]] = {
    Subscription.Kind.KOLADA: _refresh_kolada,
    Subscription.Kind.SCB: _refresh_scb,
}


@contextmanager
def refresh_lock(home: Path | None = None) -> Iterator[None]:
    """Hold the refresh lock for the block; raise RefreshLocked at once when another run holds it."""
    home = Path(home or settings.HOME)
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefreshLocked(f"another refresh is running (lock {home / LOCK_FILE})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        with _database_lock():
            yield
    finally:
        os.close(fd)  # closing releases the flock


@contextmanager
def _database_lock() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield  # SQLite lives in MILLENNIUM_HOME on one machine: the lock file is enough
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY_KEY])
        if not cursor.fetchone()[0]:
            raise RefreshLocked("another refresh is running (PostgreSQL advisory lock held)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])


def refresh_subscription(subscription: Subscription, options: dict | None = None) -> RefreshResult:
    """Fetch one subscription again and record how it went; never raises for a failing source.

    `options` maps a source kind to the keyword arguments of its client (e.g. base_url, cache_dir, retries).
    """
    refresher = REFRESHERS.get(subscription.kind)
    summary, error = None, ""
    if refresher is None:
        error = f"no refresher for source kind {subscription.kind!r}"
    else:
        try:
            summary = refresher(subscription, dict((options or {}).get(subscription.kind, {})))
        except Exception as e:  # noqa: BLE001 - one failing source must not stop the others; its error is kept
            error = f"{type(e).__name__}: {e}" if not str(e) else str(e)
    subscription.last_refreshed_at = timezone.now()
    subscription.last_status = Subscription.Status.OK if summary else Subscription.Status.FAILED
    subscription.last_error = error
    if summary:
        subscription.last_batch = ImportBatch.objects.get(id=summary.batch_id)
    subscription.save(update_fields=["last_refreshed_at", "last_status", "last_error", "last_batch"])
    return RefreshResult(subscription, summary, error)


def refresh_all(options: dict | None = None, *, home: Path | None = None,
                on_result: Callable[[RefreshResult], None] | None = None) -> list[RefreshResult]:
    """Refresh every subscription in turn under the refresh lock; raise RefreshLocked if another run holds it."""
    results = []
    with refresh_lock(home):
        for subscription in Subscription.objects.all():
            result = refresh_subscription(subscription, options)
            results.append(result)
            if on_result:
                on_result(result)
    return results


def subscribe(kind: str, parameters: dict, *, organisation=None, area=None) -> tuple[Subscription, bool]:
    """The subscription with these parameters (created if new); (subscription, created)."""
    for existing in Subscription.objects.filter(kind=kind, organisation=organisation, area=area):
        if existing.parameters == parameters:
            return existing, False
    return Subscription.objects.create(kind=kind, parameters=parameters, organisation=organisation, area=area), True


def describe_result(result: RefreshResult) -> str:
    s = result.subscription
    head = f"#{s.id} {s.get_kind_display()} {s.describe()}"
    if not result.ok:
        return f"{head}: FAILED: {result.error}"
    m = result.summary
    changes = "no changes" if m.new == 0 and m.changed == 0 else "changes"
    return (f"{head}: {changes}: rows {m.new} new, {m.changed} changed, {m.unchanged} unchanged, "
            f"{m.rejected} without a value. Import batch {m.batch_id}.")
