"""One polite HTTP session for every live source (Kolada, SCB PxWeb, …).

Polite means: a User-Agent that says who we are, at most one request per `min_interval` seconds (SCB allows
about 10 calls per 10 s; Kolada asks for moderation), retries with exponential backoff on 429/500/502/503/504
that honour the server's `Retry-After`, connect and read timeouts on every request, and an on-disk cache
(requests-cache, SQLite) that stores responses carrying a validator (ETag / Last-Modified) and revalidates them
on every use, so an unchanged resource costs a 304 and no download. Cache-Control from the server wins where
it is sent.

Everything that goes wrong talking to a source ends as `SourceUnavailable` (URL and reason): retries used up,
timeouts, refused connections, a non-2xx answer, a body that is not the JSON we asked for.
"""

import json
import threading
import time
from pathlib import Path
from typing import Any

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.util.retry import Retry

DEFAULT_USER_AGENT = "Millennium/1.0 (+https://github.com/; municipal SDG monitoring)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
CACHE_FILE = "http-cache.sqlite"


class SourceUnavailable(Exception):
    """A live source could not give us what we asked for; `url` and `reason` say which and why."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class PoliteAdapter(HTTPAdapter):
    """An adapter that keeps a minimum interval between the requests it sends and a default timeout.

    Only requests that really go to the network pass through here (cache hits never reach the adapter), so
    the rate limit costs nothing for cached answers. urllib3 retries run inside one `send`: their spacing is
    the backoff (or Retry-After), not `min_interval`.
    """

    def __init__(self, *, min_interval: float, timeout: float | tuple[float, float], **kwargs):
        self.min_interval = min_interval
        self.default_timeout = timeout
        self._lock = threading.Lock()
        self._last = 0.0
        super().__init__(**kwargs)

    def send(self, request, stream=False, timeout=None, **kwargs):
        with self._lock:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
        return super().send(request, stream=stream, timeout=timeout or self.default_timeout, **kwargs)


def polite_session(
    cache_dir: Path | None = None,
    *,
    user_agent: str = DEFAULT_USER_AGENT,
    min_interval: float = 0.2,
    retries: int = 4,
    backoff: float = 1.0,
    timeout: float | tuple[float, float] = (10.0, 60.0),
    max_retry_after: float = 120.0,
) -> requests.Session:
    """A session for one source. `cache_dir=None` means no cache (every call goes to the network).

    `timeout` is seconds, or (connect, read). `backoff` is urllib3's backoff_factor: waits of
    backoff·2^(n-1) seconds between retries. A Retry-After longer than `max_retry_after` is not waited for:
    the call fails (SourceUnavailable) instead of hanging a cron job for hours.
    POST is retried too: the sources we talk to (PxWeb queries) use it for idempotent reads.
    """
    if cache_dir is None:
        session: requests.Session = requests.Session()
    else:
        cache_dir = Path(cache_dir)
        cache_dir.mkdir(parents=True, exist_ok=True)
        # expire_after=0: keep a response only if it has a validator and revalidate it at every use.
        session = requests_cache.CachedSession(
            str(cache_dir / CACHE_FILE), backend="sqlite", expire_after=0, cache_control=True,
            allowable_codes=(200,), allowable_methods=("GET", "HEAD"), stale_if_error=False,
        )
    retry = _Retry(
        total=retries, connect=retries, read=retries, status=retries, other=0,
        backoff_factor=backoff, status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD", "POST"}),
        respect_retry_after_header=True, raise_on_status=False,
    )
    retry.max_retry_after = max_retry_after
    adapter = PoliteAdapter(min_interval=min_interval, timeout=timeout, max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = "application/json"
    return session


class _Retry(Retry):
    """urllib3 Retry that gives up (instead of sleeping) when the server asks for a very long Retry-After."""

    max_retry_after: float = 120.0

    def new(self, **kw):
        new = super().new(**kw)
        new.max_retry_after = self.max_retry_after
        return new

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        retry_after = self.get_retry_after(response) if response is not None else None
        if retry_after is not None and retry_after > self.max_retry_after:
            # With raise_on_status=False urllib3 hands the 429/503 back to us: request_json reports it.
            raise MaxRetryError(_pool, url, ResponseError(f"Retry-After {retry_after:.0f} s is too long to wait"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


def request_json(session: requests.Session, method: str, url: str, **kwargs) -> Any:
    """Send one request and return its JSON body, or raise `SourceUnavailable` with the URL and why."""
    response = _send(session, method, url, **kwargs)
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError) as error:
        raise SourceUnavailable(response.url or url,
                                f"the answer is not valid JSON ({error}){_snippet(response.text)}") from error


def request_bytes(session: requests.Session, method: str, url: str, **kwargs) -> tuple[bytes, str]:
    """Send one request and return its body and Content-Type (a file: SDMX-ML, CSV …), or raise
    `SourceUnavailable` with the URL and why."""
    response = _send(session, method, url, **kwargs)
    return response.content, response.headers.get("Content-Type", "")


def _send(session: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
    try:
        response = session.request(method, url, **kwargs)
    except requests.exceptions.RetryError as error:
        raise SourceUnavailable(url, f"gave up after retries: {_cause(error)}") from error
    except requests.exceptions.Timeout as error:
        raise SourceUnavailable(url, f"no answer in time (timeout): {_cause(error)}") from error
    except requests.exceptions.ConnectionError as error:
        # requests reports read timeouts that used up the retries as a ConnectionError.
        if isinstance(getattr(error.args[0] if error.args else None, "reason", None), ReadTimeoutError):
            raise SourceUnavailable(url, f"no answer in time (timeout) after retries: {_cause(error)}") from error
        raise SourceUnavailable(url, f"could not connect: {_cause(error)}") from error
    except requests.exceptions.RequestException as error:
        raise SourceUnavailable(url, f"request failed: {_cause(error)}") from error
    if not 200 <= response.status_code < 300:
        reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            reason += f" (Retry-After: {retry_after})"
        if response.status_code in RETRY_STATUSES:
            reason += ", still so after retrying"
        raise SourceUnavailable(response.url or url, reason + _snippet(response.text))
    return response


def get_json(session: requests.Session, url: str, params: dict | None = None, **kwargs) -> Any:
    return request_json(session, "GET", url, params=params, **kwargs)


def from_cache(response: requests.Response) -> bool:
    """True when requests-cache answered (including after a 304 revalidation)."""
    return bool(getattr(response, "from_cache", False))


def _cause(error: Exception) -> str:
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return str(reason or error)


def _snippet(text: str, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    if not text:
        return ""
    return f": {text[:limit]}{'…' if len(text) > limit else ''}"
