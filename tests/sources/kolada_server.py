"""A real HTTP server on 127.0.0.1 that answers like Kolada's API v3, from the real data in the data folder.

Values come from the DDF extract (`kolada/`), KPI metadata from `kolada-meta/kpi_df.csv`, municipalities from
`kolada-meta/munic.csv` and groups from `kolada-meta/munic_g.csv` — the shapes documented in
`millennium/readers/kolada_api.py`: {"count", "values", "next_url", "previous_url"}, at most 25 ids per path
segment and per_page ≤ 5000 (else 422), paging by page/per_page with absolute next_url. Answers carry an ETag
and Last-Modified and honour If-None-Match / If-Modified-Since with 304.

Faults are rules: `server.fail(status=429, times=2, retry_after=1)`, `server.fail(status=500)` (always),
`server.fail(hang=2.0)`, `server.fail(malformed=True)`, each optionally only for paths containing `match`.
`server.log` records (path, If-None-Match, If-Modified-Since, status) of every request.
"""

import csv
import functools
import hashlib
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

MAX_IDS = 25
MAX_PER_PAGE = 5000
LAST_MODIFIED = 1_700_000_000  # a fixed time: the data do not change unless a test changes them


def kolada_id(geo: str) -> str:
    return "0000" if geo == "0" else ("00" + geo if len(geo) == 2 else geo)


@dataclass
class Rule:
    match: str | None
    status: int | None = None
    retry_after: float | None = None
    hang: float | None = None
    malformed: bool = False
    times: int | None = None  # None = for ever


def load_values(data: Path, kpis: list[str]) -> dict[tuple[str, str, int], dict[str, float]]:
    """(KPI, Kolada municipality id, year) → {gender: value} from the DDF datapoint files."""
    values: dict[tuple[str, str, int], dict[str, float]] = defaultdict(dict)
    for kpi in kpis:
        low = kpi.lower()
        for path in sorted((data / "kolada").glob(f"datapoints--*/ddf--datapoints--{low}--by--*.csv")):
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    if row[low] == "":
                        continue
                    gender = row.get("gender", "t").upper()
                    values[(kpi.upper(), kolada_id(row["geo"]), int(row["year"]))][gender] = float(row[low])
    return values


@functools.lru_cache(maxsize=4)
def _values(data: Path, kpis: tuple[str, ...]):
    return load_values(data, list(kpis))


@functools.lru_cache(maxsize=1)
def _metadata(data: Path):
    with (data / "kolada-meta" / "kpi_df.csv").open(encoding="utf-8", newline="") as f:
        kpis = {r["id"]: r for r in csv.DictReader(f)}
    with (data / "kolada-meta" / "munic.csv").open(encoding="utf-8", newline="") as f:
        municipalities = list(csv.DictReader(f))
    groups: dict[str, dict] = {}
    with (data / "kolada-meta" / "munic_g.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            g = groups.setdefault(r["group_id"], {"id": r["group_id"], "title": r["group_title"], "members": []})
            g["members"].append({"member_id": r["member_id"], "member_title": r["member_title"]})
    return kpis, municipalities, list(groups.values())


class KoladaServer:
    def __init__(self, data: Path, kpis: list[str]):
        self.values = {key: dict(figures) for key, figures in _values(Path(data), tuple(kpis)).items()}
        kpis, self.municipalities, self.groups = _metadata(Path(data))
        self.kpis = dict(kpis)  # a test may revise one key figure's metadata: replace its row, do not edit it
        self.rules: list[Rule] = []
        self.log: list[tuple[str, str | None, str | None, int]] = []
        self.last_modified = LAST_MODIFIED
        self.etags = True
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"api": self})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/v3"

    def start(self) -> "KoladaServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, *, match: str | None = None, status: int | None = None, retry_after: float | None = None,
             hang: float | None = None, malformed: bool = False, times: int | None = None) -> None:
        self.rules.append(Rule(match, status, retry_after, hang, malformed, times))

    def heal(self) -> None:
        self.rules.clear()

    def set_value(self, kpi: str, municipality: str, year: int, gender: str, value: float | None) -> None:
        """Change a figure (as Kolada revises one); the answers' ETags and Last-Modified change with it."""
        self.values.setdefault((kpi, municipality, year), {})[gender] = value
        self.last_modified += 60

    def statuses(self, part: str = "") -> list[int]:
        return [status for path, _, _, status in self.log if part in path]

    # -- answers ---------------------------------------------------------------------------------------------------

    def rule_for(self, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if (rule.match is None or rule.match in path) and rule.times != 0:
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def answer(self, path: str, query: dict) -> tuple[int, list | None, str]:
        """(status, every value of the resource or None, error text)."""
        parts = [p for p in path.split("/") if p]
        if not parts or parts[0] != "v3":
            return 404, None, "not found"
        parts = parts[1:]
        segments = {}
        for name, ids in zip(parts[1::2], parts[2::2]) if parts[:1] == ["data"] else []:
            segments[name] = ids.split(",")
        listed = [ids.split(",") for ids in parts[1:2]]
        for ids in list(segments.values()) + listed:
            if len(ids) > MAX_IDS:
                return 422, None, f"at most {MAX_IDS} ids per path segment"
        if parts[:1] == ["kpi"]:
            wanted = listed[0] if listed else None
            return 200, [_kpi_json(self.kpis[i]) for i in (wanted or self.kpis) if i in self.kpis], ""
        if parts[:1] == ["municipality"]:
            rows = [m for m in self.municipalities if not listed or m["id"] in listed[0]]
            return 200, [{"id": m["id"], "title": m["title"], "type": m["type"]} for m in rows], ""
        if parts[:1] == ["municipality_groups"]:
            return 200, [g for g in self.groups if not listed or g["id"] in listed[0]], ""
        if parts[:1] == ["data"] and len(parts) % 2 == 1 and set(segments) <= {"kpi", "municipality", "year"}:
            if len(segments) < 2:
                return 400, None, "give two of kpi, municipality and year"
            kpis, places, years = segments.get("kpi"), segments.get("municipality"), segments.get("year")
            out = []
            for (kpi, place, year), figures in sorted(self.values.items()):
                if ((kpis and kpi not in kpis) or (places and place not in places)
                        or (years and str(year) not in years)):
                    continue
                out.append({"kpi": kpi, "municipality": place, "period": year, "values": [
                    {"gender": g, "count": 1, "status": "", "value": figures[g], "isdeleted": False}
                    for g in ("T", "K", "M") if g in figures]})
            return 200, out, ""
        return 404, None, "not found"


def _kpi_json(r: dict) -> dict:
    return {
        "id": r["id"], "title": r["title"], "description": r["description"],
        "is_divided_by_gender": r["is_divided_by_gender"] == "True", "municipality_type": r["municipality_type"],
        "auspice": r["auspice"], "operating_area": r["operating_area"], "perspective": r["perspective"],
        "prel_publication_date": r["prel_publication_date"] or None, "publication_date": r["publication_date"],
        "publ_period": r["publ_period"], "has_ou_data": r["has_ou_data"] == "True",
    }


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up waiting (the timeout tests) closes the connection: not a server error


class _Handler(BaseHTTPRequestHandler):
    api: KoladaServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        api = self.api
        split = urlsplit(self.path)
        rule = api.rule_for(self.path)
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if rule and rule.hang:
            time.sleep(rule.hang)
        if rule and rule.status:
            headers = {"Retry-After": f"{rule.retry_after:g}"} if rule.retry_after is not None else {}
            return self._send(rule.status, {"error": "test fault"}, headers, split.path, inm, ims)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        status, values, error = api.answer(split.path, query)
        if values is None:
            return self._send(status, {"error": error}, {}, split.path, inm, ims)
        try:
            page, per_page = int(query.get("page", 1)), int(query.get("per_page", MAX_PER_PAGE))
        except ValueError:
            return self._send(422, {"error": "page and per_page are numbers"}, {}, split.path, inm, ims)
        if not 1 <= per_page <= MAX_PER_PAGE or page < 1:
            return self._send(422, {"error": f"per_page must be 1 … {MAX_PER_PAGE}"}, {}, split.path, inm, ims)
        here = f"http://{self.headers['Host']}{split.path}"
        start = (page - 1) * per_page
        body = {
            "count": len(values[start:start + per_page]),
            "values": values[start:start + per_page],
            "next_url": f"{here}?page={page + 1}&per_page={per_page}" if start + per_page < len(values) else None,
            "previous_url": f"{here}?page={page - 1}&per_page={per_page}" if page > 1 else None,
        }
        if rule and rule.malformed:
            return self._send_raw(200, b'{"count": 3, "values": [{"kpi": "N0', {}, split.path, inm, ims)
        raw = json.dumps(body, ensure_ascii=False).encode()
        etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'
        headers = {"Last-Modified": formatdate(api.last_modified, usegmt=True)}
        if api.etags:
            headers["ETag"] = etag
        if api.etags and inm is not None and inm == etag:
            return self._send_raw(304, b"", headers, split.path, inm, ims)
        if inm is None and ims is not None and parsedate_to_datetime(ims).timestamp() >= api.last_modified:
            return self._send_raw(304, b"", headers, split.path, inm, ims)
        return self._send_raw(200, raw, headers, split.path, inm, ims)

    def _send(self, status, body, headers, path, inm, ims):
        self._send_raw(status, json.dumps(body).encode(), headers, path, inm, ims)

    def _send_raw(self, status, raw, headers, path, inm, ims):
        self.api.log.append((self.path, inm, ims, status))
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(raw)
