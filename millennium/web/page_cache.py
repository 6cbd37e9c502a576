"""Whole public pages cached per data version, so a page is computed once per import, not once per visit.

The version is read from the store on every request (one small query): the newest import batch and the newest
change of a target. Any import or target change therefore gives every page a new key — nothing stale is
served, in any worker process, with no signal to send. The same version is the page's ETag, so a browser that
already has the page gets 304 Not Modified.
"""

import functools
import hashlib

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language

from millennium.statistics.models import ImportBatch, Target


def data_version() -> str:
    batches = ImportBatch.objects.aggregate(n=Count("id"), last=Max("id"), finished=Max("finished_at"))
    targets = Target.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    raw = f"{batches['n']}:{batches['last']}:{batches['finished']}:{targets['n']}:{targets['changed']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def cached_page(view):
    """Caches the view's successful GET responses under (data version, language, full path)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = data_version()
        etag = quote_etag(f"{version}-{get_language()}")
        if request.headers.get("If-None-Match") == etag:
            from django.http import HttpResponseNotModified

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
