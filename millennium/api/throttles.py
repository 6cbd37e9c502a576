"""Rate limits of the API (ninja's throttling): reads per client address, writes per token.

The rates are settings (`API_READ_RATE`, `API_WRITE_RATE`, from MILLENNIUM_API_READ_RATE and
MILLENNIUM_API_WRITE_RATE), read at every request so a deployment or a test can change them. "off" turns a
limit off.

A fixed window per client: one counter in the shared cache per (client, window) rather than ninja's
SimpleRateThrottle, which keeps every request's timestamp in one list and rewrites it on each request — with
10,000 reads a minute that list would be pickled to the file cache on every read. The counter costs one small
write. Across worker processes the file cache's increment is not atomic, so under a burst a client may get a
few requests more than the limit; never fewer.
"""

import math
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from ninja.throttling import BaseThrottle

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|m|min|h|hour|d|day)\s*$")
_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """'60/m' → (60, 60): requests per that many seconds; None when off."""
    if rate is None or rate.strip().lower() in ("", "off", "none"):
        return None
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"rate {rate!r}: expected requests/period, e.g. 60/m, 10000/min or 5/10s")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


class WindowThrottle(BaseThrottle):
    #: The name of the Django setting holding the rate, and a prefix of the counters' cache keys.
    setting = ""
    scope = ""

    def __init__(self):
        self._local = threading.local()

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        # Counted once per request: the conditional and cached reads (conditional.py) check before ninja does.
        counted = getattr(request, "_millennium_throttled", set())
        if self.scope in counted:
            return True
        request._millennium_throttled = counted | {self.scope}
        rate = parse_rate(getattr(settings, self.setting, None))
        ident = self.ident(request)
        if rate is None or ident is None:
            return True
        limit, period = rate
        now = time.time()
        window = int(now // period)
        key = f"throttle:{self.scope}:{ident}:{period}:{window}"
        cache.add(key, 0, period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, period + 1)
            count = 1
        self._local.wait = (window + 1) * period - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


def refused(request) -> HttpResponse | None:
    """The 429 answer (as ninja's) if the client's address is over the read limit, else None.

    For the reads answered before ninja's own checks run: 304s and cached responses are cheap, but still count.
    """
    if _read.allow_request(request):
        return None
    wait = _read.wait()
    response = JsonResponse({"detail": "Request was throttled."}, status=429)
    if wait is not None:
        response["Retry-After"] = str(math.ceil(wait))
    return response


class ReadThrottle(WindowThrottle):
    """Per client address (REMOTE_ADDR, or X-Forwarded-For behind NINJA_NUM_PROXIES trusted proxies)."""

    setting = "API_READ_RATE"
    scope = "ip"

    def ident(self, request) -> str | None:
        return self.get_ident(request)


class WriteThrottle(WindowThrottle):
    """Per API token: one municipality's script cannot crowd out another's."""

    setting = "API_WRITE_RATE"
    scope = "token"

    def ident(self, request) -> str | None:
        token = getattr(request, "auth", None)
        return None if token is None else str(token.pk)


_read = ReadThrottle()
