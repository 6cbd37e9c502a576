"""Whole public pages cached per data version, so a page is computed once per import, not once per visit.

The version is read from the store on every request (small queries): the newest import batch, the newest
change of a target, of an area programme and of a published practice. Any import or change therefore gives
every page a new key — nothing stale is served, in any worker process, with no signal to send. The same
version is the page's ETag, so a browser that already has the page gets 304 Not Modified. A new release (other
code, templates or translations) also changes the version, so neither the shared cache nor a browser keeps a page
made by the old code.
"""

import functools
import hashlib
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, Value
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import get_language

from millennium.practices.models import Practice
from millennium.statistics.models import AreaProgramme, ImportBatch, Target


def data_version() -> str:
    batches = ImportBatch.objects.aggregate(n=Count("id"), last=Max("id"), finished=Max("finished_at"))
    # Targets, area programmes (`millennium area-programme add`, shown on the district pages) and published
    # practices (on goal and key-figure pages) change pages without an import: their count and newest change,
    # in one query. Publishing, editing or deleting a published practice changes one or the other.
    changes = _count_and_newest(Target, 0).union(_count_and_newest(AreaProgramme, 1),
                                                  _count_and_newest(Practice.objects.published(), 2), all=True)
    targets, programmes, practices = sorted(changes, key=lambda row: row[0])
    raw = (f"{batches['n']}:{batches['last']}:{batches['finished']}:{targets[1:]}:{programmes[1:]}:"
           f"{practices[1:]}")
    return hashlib.sha256(f"{raw}:{code_version()}".encode()).hexdigest()[:16]


@functools.cache
def code_version() -> str:
    """The newest change to the code, templates, translations or styles that make the pages (once per process)."""
    package = Path(__file__).resolve().parent.parent
    newest = max(path.stat().st_mtime_ns for pattern in ("**/*.py", "templates/**/*", "locale/**/*.mo",
                                                         "static/millennium/*")
                 for path in package.glob(pattern) if path.is_file())
    return str(newest)


def _count_and_newest(rows, order: int):
    """(order, count, newest updated_at) of a model's rows (or a queryset's), as a query to combine with others."""
    rows = rows.objects.all() if isinstance(rows, type) else rows
    return (rows.order_by().annotate(order_=Value(order, output_field=IntegerField())).values("order_")
            .annotate(n=Count("id"), changed=Max("updated_at")).values_list("order_", "n", "changed"))


def cached_page(view):
    """Caches the view's successful GET responses under (data version, language, full path)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = data_version()
        etag = quote_etag(f"{version}-{get_language()}")
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        key = f"page:{version}:{get_language()}:{request.get_full_path()}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render"):
                    response = response.render()
                response["ETag"] = etag
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                cache.set(key, response)
        return response

    return wrapper
