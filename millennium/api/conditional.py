"""Conditional GET for the API: the data version of the pages (web/page_cache.py) is the ETag of every read.

Any import or data change gives a new version, so a client that already has a response gets 304 Not Modified
until something changed, and one query of the version replaces the whole read.
"""

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag

from millennium.statistics.models import ImportBatch
from millennium.web.page_cache import code_version, data_version

from .throttles import refused


def etag_view(view=None, *, version: Callable[[], str] | None = None, prefix: str = "api"):
    """A Django view decorator (used through ninja's `decorate_view`): ETag on 200s, 304 on If-None-Match.

    The ETag is `version()` (default: the data version of the pages); the rate limit counts every request,
    304s included. `etag_view(version=f, prefix="registry")` for answers with a version of their own.
    """
    if view is None:
        return functools.partial(etag_view, version=version, prefix=prefix)
    current = version or data_version

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (too_many := refused(request)) is not None:
            return too_many
        etag = quote_etag(f"{prefix}-{current()}")
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapper


class _Recent:
    """The most recent responses of this process, by cache key, up to `limit` bytes of content.

    In front of the shared file cache: a response of every observation of a key figure is 0.3–0.7 MB, and
    reading, decompressing and unpickling it from the file cache cost more than the rest of the request. Keys
    hold the data version, so nothing here is ever stale; the oldest entries go first.
    """

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.entries: OrderedDict[str, tuple[bytes, dict]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, dict] | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple[bytes, dict]) -> None:
        with self.lock:
            if key not in self.entries:
                self.entries[key] = entry
                self.size += len(entry[0])
            while self.size > self.limit and self.entries:
                _, (content, _) = self.entries.popitem(last=False)
                self.size -= len(content)


_recent = _Recent(64 * 2**20)


def observations_version() -> str:
    """The version of what observations and gaps are computed from: the import batches (and the code).

    Every change of observations is an import batch (files, the API's writes), which also creates or renames
    the municipality's own districts; targets, area programmes and practices — the rest of `data_version` —
    do not enter these answers. One small query in plain SQL (the same on SQLite and PostgreSQL) instead of
    `data_version`'s two, which took most of a cached answer's time.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id), MAX(finished_at) FROM {ImportBatch._meta.db_table}")
        raw = ":".join(map(str, cursor.fetchone()))
    return hashlib.sha256(f"observations:{raw}:{code_version()}".encode()).hexdigest()[:16]


def cached_etag_view(view=None, *, version: Callable[[], str] = data_version):
    """`etag_view`, and the 200 responses kept under (data version, full path): in this process (`_Recent`) and in
    the shared cache, so each is computed once per import for every worker.

    For reads that cost more than a cache hit: every observation of a key figure, gap computations. `version`
    must cover everything the answer is made from (`data_version`: imports, targets, area programmes, published
    practices; `observations_version`: imports), so a response is never served after its data changed.
    """
    if view is None:
        return functools.partial(cached_etag_view, version=version)
    current_version = version

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (too_many := refused(request)) is not None:
            return too_many
        version = current_version()
        etag = quote_etag(f"api-{version}")
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        # Hashed: query strings can be longer than some cache backends' keys may be.
        key = f"api:{version}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"
        entry = _recent.get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                _recent.put(key, entry)
        if entry is not None:
            content, headers = entry
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            entry = (response.content, dict(response.headers))
            cache.set(key, entry)
            _recent.put(key, entry)
        return response

    return wrapper
