"""A real HTTP server on 127.0.0.1 that answers like SCB's PxWeb, both PxWebApi 2 and API v1, for one table.

The table is SCB's population table (PxWebApi 2 id TAB638; API v1 path BE/BE0101/BE0101A/BefolkningNy) with the
variables Region, Alder, Kon, ContentsCode, Tid as SCB names them. Its values are real: SCB is the source of
Kolada's N01951 "Invånare totalt, antal" (population on 31 December), so BE0101N1 "Folkmängd" is N01951 by
sex from `kolada/` (both sexes = women + men), and BE0101N2 "Folkökning" is the change from the year before
(the first year has none: null with status '..', as PxWeb writes a missing value). Alder has only its total
'tot' here (Kolada has no ages): it can be left out (eliminated) or selected.

Shapes (see `millennium/readers/pxweb.py` for where each was read):
  v2 GET  /v2/config                                  ConfigResponse
  v2 GET  /v2/tables/TAB638/metadata?lang=sv          JSON-stat 2.0 dataset, empty `value`
  v2 POST /v2/tables/TAB638/data?lang=sv&outputFormat=json-stat2   {"selection": [{variableCode, valueCodes}]}
  v1 GET  /v1/doris/sv/?config                        {"maxValues", "maxCalls", "timeWindow", "CORS"}
  v1 GET  /v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy   {"title", "variables": [...]}
  v1 POST the same                                    {"query": [...], "response": {"format": "json-stat2"}}
A data request over `max_cells` cells gets 403 (PxWebApi 2 ErrorResponse403), an unknown value 400, a
non-eliminable variable left out 400.

Faults are rules, e.g. `server.fail(status=429, times=1, retry_after=1)`, `server.fail(status=500)` (every
time), `server.fail(hang=2.0, times=1)`, `server.fail(malformed=True)`; `match` limits a rule to paths
containing it, `after=n` lets the first n matching requests through. `server.log` records (method, path, body,
status) of every request.
"""

import csv
import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TABLE_V2 = "TAB638"
TABLE_V1 = "BE/BE0101/BE0101A/BefolkningNy"
TITLE = "Folkmängden efter region, ålder, kön, tabellinnehåll och år"
REGIONS = {"00": "Riket", "01": "Stockholms län", "12": "Skåne län", "0114": "Upplands Väsby",
           "0180": "Stockholm", "1280": "Malmö", "1281": "Lund"}
YEARS = [str(y) for y in range(2010, 2023)]
CONTENTS = {"BE0101N1": "Folkmängd", "BE0101N2": "Folkökning"}
SEXES = {"1": "män", "2": "kvinnor"}
AGES = {"tot": "totalt ålder"}
# (code, label, values {code: text}, can be eliminated)
VARIABLES = [("Region", "region", REGIONS, True), ("Alder", "ålder", AGES, True), ("Kon", "kön", SEXES, True),
             ("ContentsCode", "tabellinnehåll", CONTENTS, False), ("Tid", "år", dict(zip(YEARS, YEARS)), False)]


@dataclass
class Rule:
    match: str | None
    status: int | None = None
    retry_after: float | None = None
    hang: float | None = None
    malformed: bool = False
    times: int | None = None
    after: int = 0  # let this many matching requests through first


def load_population(data: Path) -> dict[tuple[str, str, str], float]:
    """(SCB region code, Kon '1'/'2', year) → population on 31 December, from Kolada's N01951 by sex."""
    kon = {"m": "1", "k": "2"}
    values = {}
    path = data / "kolada" / "datapoints--by--geo--gender--year" / "ddf--datapoints--n01951--by--geo--gender--year.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            region = "00" if row["geo"] == "0" else row["geo"]
            if region in REGIONS and row["n01951"]:
                values[(region, kon[row["gender"]], row["year"])] = float(row["n01951"])
    return values


class PxWebServer:
    def __init__(self, data: Path, *, max_cells: int = 150_000, calls: int = 1000, window: int = 10):
        self.population = load_population(data)
        self.max_cells, self.calls, self.window = max_cells, calls, window
        self.rules: list[Rule] = []
        self.log: list[tuple[str, str, dict | None, int]] = []
        self.stamps: list[float] = []  # time.monotonic() of each request's arrival
        self.cleared = 0  # how many times clear() ran: a request that hung past it is not logged
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"api": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def v2(self) -> str:
        return self.root + "/v2"

    @property
    def v1(self) -> str:
        return self.root + "/v1/doris/sv"

    def start(self) -> "PxWebServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, *, match: str | None = None, status: int | None = None, retry_after: float | None = None,
             hang: float | None = None, malformed: bool = False, times: int | None = None, after: int = 0) -> None:
        self.rules.append(Rule(match, status, retry_after, hang, malformed, times, after))

    def clear(self) -> None:
        self.cleared += 1
        self.rules.clear()
        self.log.clear()
        self.stamps.clear()

    def data_requests(self) -> list[dict]:
        return [body for method, _, body, status in self.log if method == "POST" and status == 200]

    def rule_for(self, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if (rule.match is None or rule.match in path) and (rule.times is None or rule.times > 0):
                    if rule.after > 0:
                        rule.after -= 1
                        continue
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    # -- the table ----------------------------------------------------------------------------------

    def value(self, region: str, kon: str | None, content: str, year: str) -> float | None:
        def population(y: str) -> float | None:
            sexes = [kon] if kon else ["1", "2"]
            found = [self.population.get((region, s, y)) for s in sexes]
            return None if None in found else sum(found)

        if content == "BE0101N1":
            return population(year)
        if str(int(year) - 1) not in YEARS:
            return None  # the table's first year has no change from the year before
        before, now = population(str(int(year) - 1)), population(year)
        return None if before is None or now is None else now - before

    def dataset(self, selection: dict[str, list[str]]) -> tuple[int, dict]:
        """(HTTP status, body) for a selection {variable: value codes}; variables left out are eliminated."""
        for code, _, values, _ in VARIABLES:
            unknown = [v for v in selection.get(code, []) if v not in values]
            if unknown:
                return 400, problem(400, f"Value, {unknown[0]} is not a valid value code for variable {code}")
        unknown = [code for code in selection if code not in {v[0] for v in VARIABLES}]
        if unknown:
            return 400, problem(400, f"Variable {unknown[0]} does not exist")
        missing = [code for code, _, _, eliminable in VARIABLES if not eliminable and not selection.get(code)]
        if missing:
            return 400, problem(400, f"Mandatory variable {missing[0]} is missing in the selection")
        kept = [(code, label, values) for code, label, values, _ in VARIABLES if selection.get(code)]
        cells = 1
        for code, _, _ in kept:
            cells *= len(selection[code])
        if cells > self.max_cells:
            return 403, problem(403, "The query resulted in cell that exceeds the number of allowed.")
        value, status = [], {}
        for position, combination in enumerate(itertools.product(*(selection[code] for code, _, _ in kept))):
            chosen = dict(zip((code for code, _, _ in kept), combination))
            v = self.value(chosen.get("Region", "00"), chosen.get("Kon"), chosen["ContentsCode"], chosen["Tid"])
            value.append(v)
            if v is None:
                status[str(position)] = ".."
        dimension = {}
        for code, label, values in kept:
            codes = selection[code]
            category = {"index": {c: i for i, c in enumerate(codes)}, "label": {c: values[c] for c in codes}}
            if code == "ContentsCode":
                category["unit"] = {c: {"base": "antal", "decimals": 0} for c in codes}
            dimension[code] = {"label": label, "category": category}
        body = {"version": "2.0", "class": "dataset", "label": TITLE, "source": "SCB",
                "updated": "2023-02-21T07:00:00Z", "id": [c for c, _, _ in kept],
                "size": [len(selection[c]) for c, _, _ in kept], "dimension": dimension, "value": value,
                "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
                "extension": {"px": {"tableid": TABLE_V2, "decimals": 0}}}
        if status:
            body["status"] = status
        return 200, body

    def metadata_v2(self) -> dict:
        dimension = {}
        for code, label, values, eliminable in VARIABLES:
            category = {"index": {c: i for i, c in enumerate(values)}, "label": dict(values)}
            if code == "ContentsCode":
                category["unit"] = {c: {"base": "antal", "decimals": 0} for c in values}
            extension = {"elimination": eliminable}
            if code == "Region":
                extension["eliminationValueCode"] = "00"
            if code == "Alder":
                extension["eliminationValueCode"] = "tot"
            dimension[code] = {"label": label, "category": category, "extension": extension}
        return {"version": "2.0", "class": "dataset", "label": TITLE, "source": "SCB",
                "updated": "2023-02-21T07:00:00Z", "id": [v[0] for v in VARIABLES],
                "size": [len(v[2]) for v in VARIABLES], "dimension": dimension,
                "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
                "extension": {"px": {"tableid": TABLE_V2, "matrix": "BE0101N", "language": "sv"}}, "value": []}

    def metadata_v1(self) -> dict:
        variables = []
        for code, label, values, eliminable in VARIABLES:
            v = {"code": code, "text": label, "values": list(values), "valueTexts": list(values.values())}
            if eliminable:
                v["elimination"] = True
            if code == "Tid":
                v["time"] = True
            variables.append(v)
        return {"title": TITLE + " " + YEARS[0] + "-" + YEARS[-1], "variables": variables}


def problem(status: int, detail: str) -> dict:
    titles = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 429: "Too many requests",
              500: "Internal Server Error"}
    return {"title": titles.get(status, "Error"), "status": status, "detail": detail}


class _Handler(BaseHTTPRequestHandler):
    api: PxWebServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        self._answer("GET", None)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        self._answer("POST", body)

    def _answer(self, method: str, body):
        self.api.stamps.append(time.monotonic())
        url = urlsplit(self.path)
        rule = self.api.rule_for(url.path)
        if rule is not None and rule.hang:
            cleared = self.api.cleared
            time.sleep(rule.hang)
            if self.api.cleared != cleared:
                return  # the client gave up long ago and the next test has begun: its log stays its own
        if rule is not None and rule.status:
            self._send(rule.status, problem(rule.status, "fault injected by the test"), method, url.path, body,
                       retry_after=rule.retry_after)
            return
        if rule is not None and rule.malformed:
            self._send(200, b'{"version": "2.0", "class": "dataset", "value": [1, 2', method, url.path, body)
            return
        status, answer = self._route(method, url.path, url.query, body)
        self._send(status, answer, method, url.path, body)

    def _route(self, method, path, query, body):
        api, params = self.api, parse_qs(query)
        if method == "GET" and path == "/v2/config":
            return 200, {"apiVersion": "2.0.0", "appVersion": "test", "languages": [{"id": "sv", "label": "Svenska"}],
                         "defaultLanguage": "sv", "maxDataCells": api.max_cells,
                         "maxCallsPerTimeWindow": api.calls, "timeWindow": api.window,
                         "license": "https://creativecommons.org/publicdomain/zero/1.0/",
                         "sourceReferences": [{"language": "sv", "text": "Källa: SCB"}],
                         "defaultDataFormat": "json-stat2", "dataFormats": ["json-stat2", "csv", "px"]}
        if method == "GET" and path == f"/v2/tables/{TABLE_V2}/metadata":
            return 200, api.metadata_v2()
        if method == "POST" and path == f"/v2/tables/{TABLE_V2}/data":
            if params.get("outputFormat") != ["json-stat2"]:
                return 400, problem(400, "expected outputFormat=json-stat2 in this test server")
            if not isinstance(body, dict) or not isinstance(body.get("selection"), list):
                return 400, problem(400, "expected a VariablesSelection")
            return api.dataset({s["variableCode"]: s["valueCodes"] for s in body["selection"]})
        if method == "GET" and path == "/v1/doris/sv/" and query == "config":
            return 200, {"maxValues": api.max_cells, "maxCalls": api.calls, "timeWindow": api.window, "CORS": True}
        if path == f"/v1/doris/sv/ssd/{TABLE_V1}":
            if method == "GET":
                return 200, api.metadata_v1()
            if not isinstance(body, dict) or body.get("response", {}).get("format") != "json-stat2":
                return 400, problem(400, "expected a query with response.format json-stat2")
            return api.dataset({q["code"]: q["selection"]["values"] for q in body["query"]
                                if q["selection"]["filter"] == "item"})
        return 404, problem(404, f"Node with id, {path} can not be found")

    def _send(self, status, answer, method, path, body, retry_after=None):
        payload = answer if isinstance(answer, bytes) else json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.api.log.append((method, path, body, status))
        self.send_response(status)
        kind = "application/json" if status == 200 else "application/problem+json"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if retry_after is not None:
            self.send_header("Retry-After", str(int(retry_after)))
        self.end_headers()
        try:
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout) before the answer
