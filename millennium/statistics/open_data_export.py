"""Bulk open data: every observation, key figure, area, source and assessment as CSV or Parquet files with a
frictionless data package description (datapackage.json): `millennium export --all --format csv|parquet -o DIR`.

Observations (3.2 M rows for the Kolada extract) and assessments are read in chunks by primary key (keyset
paging, the same on SQLite and PostgreSQL) and written chunk by chunk, so memory stays bounded whatever the
size of the store. Codes replace the database's ids (measure, area, source), so the files stand on their own;
`batch` is the import batch, described in import_batches.

Licences are the data's, not the code's (the AGPL covers the software only): each source's terms, listed in
the package, and each observation names its source.
"""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import Q
from django.utils import timezone

from millennium.places.models import Area

from .models import Assessment, ImportBatch, Measure, Observation, Source

FORMATS = ("csv", "parquet")
CHUNK_ROWS = 200_000

#: The data's terms per source code (Data Package `licenses`); unknown sources get `UNKNOWN_TERMS`.
LICENCES = {
    # Kolada publishes its key figures as open data, free to reuse with the source named; it has no licence
    # file (../shared/data/kolada/README.txt), hence Open Definition's "other-at" (other, attribution).
    "kolada": {"name": "other-at", "title": "Kolada (RKA): open data, free to reuse with attribution "
                                            "\"Källa: Kolada (RKA)\"", "path": "https://www.kolada.se/"},
    "gapminder": {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (Gapminder)",
                  "path": "https://creativecommons.org/licenses/by/4.0/"},
    "open-sdg": {"name": "other-at", "title": "The Open SDG data repository's terms (attribution)", "path": ""},
    "egen-data": {"name": "other-at", "title": "The municipality's own data: reuse with attribution to the "
                                               "municipality", "path": ""},
}
UNKNOWN_TERMS = {"name": "other-at", "title": "The source's own terms: see its address", "path": ""}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, datetime
    description: str
    required: bool = False


ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
         "datetime": pa.timestamp("us", tz="UTC")}


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(f.name, ARROW[f.type], nullable=not f.required) for f in self.fields])

    def descriptor(self, fmt: str) -> dict:
        return {
            "profile": "tabular-data-resource", "name": self.name, "title": self.title,
            "path": f"{self.name}.{fmt}", "format": fmt,
            "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
            **({"encoding": "utf-8", "dialect": {"delimiter": ",", "header": True}} if fmt == "csv" else {}),
            "schema": {
                "fields": [{"name": f.name, "type": f.type, "description": f.description,
                            **({"constraints": {"required": True}} if f.required else {})} for f in self.fields],
                "primaryKey": list(self.primary_key),
                **({"foreignKeys": [{"fields": field, "reference": {"resource": "" if target == self.name else target,
                                                                    "fields": ref}}
                                    for field, target, ref in self.foreign_keys]} if self.foreign_keys else {}),
            },
        }


F = Field
SOURCES = Resource("sources", "Sources of the data and their credits", (
    F("code", "string", "The source's code", True), F("name", "string", "Name", True),
    F("credit", "string", "How to credit the source (shown with every number)"), F("url", "string", "Address")),
    ("code",))
IMPORT_BATCHES = Resource("import_batches", "Imports that brought the observations", (
    F("id", "integer", "The import batch (observations.batch)", True), F("source", "string", "Source code", True),
    F("started_at", "datetime", "Start (UTC)"), F("finished_at", "datetime", "End (UTC)")),
    ("id",), (("source", "sources", "code"),))
AREAS = Resource("areas", "Sweden, its regions, municipalities and statistical areas", (
    F("code", "string", "Official code (municipalities with their leading zero: 0114)", True),
    F("name", "string", "Name", True),
    F("level", "string", "country, region, municipality, regso, deso or custom", True),
    F("parent", "string", "The code of the area it lies in")),
    ("code",), (("parent", "areas", "code"),))
MEASURES = Resource("measures", "Key figures (nyckeltal)", (
    F("code", "string", "Code, e.g. Kolada's N00945", True), F("source", "string", "Source code", True),
    F("title_sv", "string", "Title in Swedish", True), F("title_en", "string", "Title in English"),
    F("unit", "string", "Unit"), F("divided_by_sex", "boolean", "Values for women (K) and men (M) too"),
    F("direction", "string", "Desired direction: up, down or empty (none)"),
    F("natural_limit", "number", "A bound the value cannot pass, e.g. 100"),
    F("description_sv", "string", "Description in Swedish")),
    ("code",), (("source", "sources", "code"),))
OBSERVATIONS = Resource("observations", "Observations: a key figure's value for an area, year and sex", (
    F("measure", "string", "Key figure code (measures.code)", True),
    F("area", "string", "Area code (areas.code)", True), F("year", "integer", "Year", True),
    F("sex", "string", "T total, K women, M men", True), F("value", "number", "Value", True),
    F("source", "string", "Source code (sources.code): whose terms apply", True),
    F("batch", "integer", "The import that brought the value (import_batches.id)", True)),
    ("measure", "area", "year", "sex"),
    (("measure", "measures", "code"), ("area", "areas", "code"), ("source", "sources", "code"),
     ("batch", "import_batches", "id")))
ASSESSMENTS = Resource("assessments", "Progress assessments of every series (key figure × area × sex)", (
    F("measure", "string", "Key figure code", True), F("area", "string", "Area code", True),
    F("sex", "string", "T, K or M", True), F("method", "string", "Method, e.g. opensdg (Open SDG / Statistics "
                                                                  "Canada) or mdg_path", True),
    F("status", "string", "The method's status", True), F("reason", "string", "Why not assessed"),
    F("base_year", "integer", "Base year"), F("base_value", "number", "Base value"),
    F("current_year", "integer", "Latest year"), F("current_value", "number", "Latest value"),
    F("target_value", "number", "Target value"), F("progress_value", "number", "The method's progress value"),
    F("score", "number", "Score")),
    ("measure", "area", "sex", "method"), (("measure", "measures", "code"), ("area", "areas", "code")))
RESOURCES = (SOURCES, IMPORT_BATCHES, AREAS, MEASURES, OBSERVATIONS, ASSESSMENTS)


class _Writer:
    """Appends pandas chunks to one CSV or Parquet file with the resource's schema."""

    def __init__(self, resource: Resource, directory: Path, fmt: str):
        self.resource, self.fmt = resource, fmt
        self.path = directory / f"{resource.name}.{fmt}"
        self.rows = 0
        self._parquet = pq.ParquetWriter(self.path, resource.arrow_schema()) if fmt == "parquet" else None
        if fmt == "csv":
            with self.path.open("w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerow([f.name for f in resource.fields])

    def write(self, frame: pd.DataFrame) -> None:
        frame = frame[[f.name for f in self.resource.fields]]
        if self._parquet is not None:
            self._parquet.write_table(pa.Table.from_pandas(frame, schema=self.resource.arrow_schema(),
                                                           preserve_index=False))
        else:
            frame.to_csv(self.path, mode="a", header=False, index=False, lineterminator="\n",
                         float_format=None, date_format="%Y-%m-%dT%H:%M:%SZ")
        self.rows += len(frame)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()


def _keyset(rows, columns: list[str], chunk: int):
    """(id, *columns) tuples of a query set, `chunk` at a time in primary-key order: bounded memory."""
    last = 0
    while True:
        page = list(rows.filter(id__gt=last).order_by("id").values_list("id", *columns)[:chunk])
        if not page:
            return
        yield page
        last = page[-1][0]


def _small(resource: Resource, writer: _Writer, records: list[tuple]) -> None:
    frame = pd.DataFrame.from_records(records, columns=[f.name for f in resource.fields])
    for field in resource.fields:
        if field.type == "integer":
            frame[field.name] = frame[field.name].astype("Int64")
        elif field.type == "datetime":
            frame[field.name] = pd.to_datetime(frame[field.name], utc=True)
    writer.write(frame)


def export_open_data(directory: Path, fmt: str = "parquet", *, measures: list[str] | None = None,
                     chunk_rows: int = CHUNK_ROWS,
                     on_progress: Callable[[str, int], None] = lambda resource, rows: None) -> dict[str, int]:
    """Write every resource and datapackage.json into `directory`; returns the rows written per resource.

    With `measures` (codes), observations and assessments of those key figures only (the other resources
    whole). Raises ValueError for an unknown format or key figure code.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    measure_filter = Q()
    if measures:
        found = dict(Measure.objects.filter(code__in=measures).values_list("code", "id"))
        unknown = [code for code in measures if code not in found]
        if unknown:
            raise ValueError(f"unknown key figure {unknown[0]!r}; expected a code such as N00945")
        measure_filter = Q(measure_id__in=list(found.values()))

    source_codes = dict(Source.objects.values_list("id", "code"))
    measure_codes = dict(Measure.objects.values_list("id", "code"))
    area_codes = dict(Area.objects.values_list("id", "code"))
    batch_sources = {batch: source_codes[source] for batch, source in ImportBatch.objects.values_list("id", "source_id")}
    counts = {}

    def small(resource: Resource, records: list[tuple]) -> None:
        writer = _Writer(resource, directory, fmt)
        _small(resource, writer, records)
        writer.close()
        counts[resource.name] = writer.rows
        on_progress(resource.name, writer.rows)

    small(SOURCES, list(Source.objects.order_by("code").values_list("code", "name", "credit", "url")))
    small(IMPORT_BATCHES, [(i, source_codes[s], start, end) for i, s, start, end in
                           ImportBatch.objects.order_by("id").values_list("id", "source_id", "started_at",
                                                                          "finished_at")])
    small(AREAS, list(Area.objects.order_by("code").values_list("code", "name", "level", "parent__code")))
    small(MEASURES, list(Measure.objects.order_by("code").values_list(
        "code", "source__code", "title_sv", "title_en", "unit", "divided_by_sex", "direction", "natural_limit",
        "description_sv")))

    def streamed(resource: Resource, rows, columns: list[str], shape: Callable[[pd.DataFrame], pd.DataFrame]):
        writer = _Writer(resource, directory, fmt)
        try:
            for page in _keyset(rows, columns, chunk_rows):
                writer.write(shape(pd.DataFrame.from_records(page, columns=["id", *columns])))
                on_progress(resource.name, writer.rows)
        finally:
            writer.close()
        counts[resource.name] = writer.rows

    def observation_rows(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "measure": frame["measure_id"].map(measure_codes), "area": frame["area_id"].map(area_codes),
            "year": frame["year"].astype("int64"), "sex": frame["sex"], "value": frame["value"].astype("float64"),
            "source": frame["batch_id"].map(batch_sources), "batch": frame["batch_id"].astype("int64")})

    streamed(OBSERVATIONS, Observation.objects.filter(measure_filter),
             ["measure_id", "area_id", "year", "sex", "value", "batch_id"], observation_rows)

    numbers = ["base_year", "base_value", "current_year", "current_value", "target_value", "progress_value", "score"]

    def assessment_rows(frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({"measure": frame["measure_id"].map(measure_codes),
                            "area": frame["area_id"].map(area_codes), "sex": frame["sex"],
                            "method": frame["method"], "status": frame["status"], "reason": frame["reason"]})
        for column in numbers:
            out[column] = frame[column].astype("Int64" if column.endswith("_year") else "float64")
        return out

    streamed(ASSESSMENTS, Assessment.objects.filter(measure_filter),
             ["measure_id", "area_id", "sex", "method", "status", "reason", *numbers], assessment_rows)

    (directory / "datapackage.json").write_text(
        json.dumps(package_descriptor(fmt, counts), ensure_ascii=False, indent=2), encoding="utf-8")
    return counts


def package_descriptor(fmt: str, counts: dict[str, int]) -> dict:
    """The frictionless Data Package (v1) description of the files: resources with their schemas, the data's
    licences and the sources' credits."""
    sources = list(Source.objects.order_by("code").values("code", "name", "credit", "url"))
    licences, seen = [], set()
    for source in sources:
        terms = LICENCES.get(source["code"], UNKNOWN_TERMS)
        key = (terms["name"], terms["title"])
        if key not in seen:
            seen.add(key)
            licences.append({k: v for k, v in terms.items() if v})
    resources = []
    for resource in RESOURCES:
        descriptor = resource.descriptor(fmt)
        descriptor["description"] = f"{counts.get(resource.name, 0)} rows"
        resources.append(descriptor)
    return {
        "profile": "tabular-data-package",
        "name": "millennium-open-data",
        "title": "Millennium: key figures, observations and assessments of Swedish municipalities",
        "description": "Bulk export of the Millennium platform's store. The data keep their sources' terms: "
                       "observations.source names the source of every value, and `licenses` lists each "
                       "source's terms; credit them as `sources` says (credit). The software's AGPL licence "
                       "does not apply to the data.",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": licences,
        "sources": [{"title": s["name"], "description": s["credit"], **({"path": s["url"]} if s["url"] else {})}
                    for s in sources],
        "contributors": [{"title": "Millennium", "role": "publisher"}],
        "resources": resources,
    }
