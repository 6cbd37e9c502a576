"""Conditional GET for the API: the data version of the pages (web/page_cache.py) is the ETag of every read.

Any import or data change gives a new version, so a client that already has a response gets 304 Not Modified
until something changed, and one query of the version replaces the whole read.
"""

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag

from millennium.web.page_cache import data_version


def etag_view(view):
    """A Django view decorator (used through ninja's `decorate_view`): ETag on 200s, 304 on If-None-Match."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        etag = quote_etag(f"api-{data_version()}")
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


def cached_etag_view(view):
    """`etag_view`, and the 200 responses kept in the shared cache under (data version, full path).

    For reads that cost more than a cache hit: every observation of a key figure, gap computations. Only for
    data covered by `data_version` (imports, targets, area programmes, published practices), so a response is
    never served after the data behind it changed.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        version = data_version()
        etag = quote_etag(f"api-{version}")
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        # Hashed: query strings can be longer than some cache backends' keys may be.
        key = f"api:{version}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                response["ETag"] = etag
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                cache.set(key, response)
        return response

    return wrapper
