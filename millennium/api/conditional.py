"""Conditional GET for the API: the data version of the pages (web/page_cache.py) is the ETag of every read.

Any import or data change gives a new version, so a client that already has a response gets 304 Not Modified
until something changed, and one query of the version replaces the whole read.
"""

import functools

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
