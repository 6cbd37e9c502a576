"""The `millennium` command: everything a person does at a terminal.

Exit codes: 0 done, 1 bad input (the message says file, line and what was expected), 2 wrong usage.
"""

import argparse
import csv
import json
import os
import sys
from pathlib import Path

from millennium.readers import InputError

OK, BAD_INPUT, USAGE = 0, 1, 2


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "millennium.settings")
    import django

    django.setup()


def _console():
    from rich.console import Console

    # soft_wrap: a summary stays on one line, whatever the terminal width (logs and scripts read it).
    return Console(stderr=True, soft_wrap=True)


def _database_ready() -> str | None:
    """None when the database is migrated, else what to tell the user."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        name = connection.settings_dict["NAME"]
        return f"the database {name} is not initialised; run `millennium init` first"
    return None


def cmd_init(args) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from millennium.frameworks.loading import load_frameworks
    from millennium.places.loading import load_areas

    console = _console()
    call_command("migrate", verbosity=0, interactive=False)
    counts = load_frameworks()
    for code in ("mdg", "sdg"):
        goals, targets, indicators = counts[code]
        console.print(f"{code.upper()}: {goals} goals, {targets} targets, {indicators} indicators")
    console.print(f"MDG → SDG crosswalk: {counts['crosswalk']} rows")
    kolada = Path(settings.DATA_DIR) / "kolada"
    if not kolada.exists():
        console.print(f"[yellow]No area lists: {kolada} not found.[/] Set MILLENNIUM_DATA_DIR to the data folder.")
        return OK
    areas = load_areas(Path(settings.DATA_DIR))
    console.print("Areas: " + ", ".join(f"{n} {level}" for level, n in areas.items()))
    return OK


def cmd_import_kolada_ddf(args) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from millennium.statistics.kolada_import import import_kolada_ddf

    console = _console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=args.quiet) as progress:
        reading = progress.add_task("Reading files", total=None)
        summary = import_kolada_ddf(
            Path(args.dir),
            on_read=lambda done, total: progress.update(reading, completed=done, total=total),
            on_phase=lambda name: progress.update(reading, description=name.capitalize()),
        )
    console.print(
        f"Imported {args.dir}: {summary.files} files, {summary.measures} key figures; rows "
        f"{summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, "
        f"{summary.rejected} rejected (no value). Import batch {summary.batch_id}."
    )
    return OK


def _kolada_client_options(args) -> dict:
    return {"base_url": args.base_url, "cache_dir": Path(args.cache_dir) if args.cache_dir else None,
            "retries": args.retries, "timeout": args.timeout}


def cmd_import_kolada(args) -> int:
    from millennium.readers.http import SourceUnavailable
    from millennium.statistics.kolada_api_import import (KoladaRequestError, import_kolada_api, kolada_client,
                                                         parse_request)

    try:
        request = parse_request(args.kpi, args.municipality, args.all, args.years)
        summary = import_kolada_api(request, kolada_client(**_kolada_client_options(args)))
    except (KoladaRequestError, SourceUnavailable) as e:
        print(f"error: {e}\nNothing was changed.", file=sys.stderr)
        return BAD_INPUT
    _console().print(
        f"Imported from Kolada: {summary.measures} key figures, {summary.files} requests; rows {summary.new} new, "
        f"{summary.changed} changed, {summary.unchanged} unchanged, {summary.rejected} without a value. "
        f"Import batch {summary.batch_id}. Källa: Kolada.")
    return OK


def cmd_import_kolada_groups(args) -> int:
    from millennium.readers.http import SourceUnavailable
    from millennium.statistics.kolada_api_import import kolada_client, save_municipality_groups

    try:
        groups, members = save_municipality_groups(kolada_client(**_kolada_client_options(args)),
                                                   args.id.split(",") if args.id else None)
    except SourceUnavailable as e:
        print(f"error: {e}\nNothing was changed.", file=sys.stderr)
        return BAD_INPUT
    _console().print(f"Kolada municipality groups: {groups} groups, {members} members. Källa: Kolada.")
    return OK


def cmd_subscribe_kolada(args) -> int:
    from millennium.organisations.models import Organisation
    from millennium.places.models import Area
    from millennium.readers.kolada_api import area_code
    from millennium.sources.models import Subscription
    from millennium.sources.refresh import subscribe
    from millennium.statistics.kolada_api_import import KoladaRequestError, parse_request

    try:
        request = parse_request(args.kpi, args.municipality, args.all, args.years)
        known = set(Area.objects.filter(code__in=request.municipalities or []).values_list("code", flat=True))
        if unknown := sorted(set(request.municipalities or []) - known):
            raise KoladaRequestError(f"--municipality: unknown code {', '.join(unknown)}")
        area_code_ = area_code(args.area) if args.area else (
            request.municipalities[0] if request.municipalities and len(request.municipalities) == 1 else None)
        area = Area.objects.get(code=area_code_) if area_code_ else None
        organisation = Organisation.objects.get(id=args.organisation) if args.organisation else None
    except (KoladaRequestError, Area.DoesNotExist, Organisation.DoesNotExist) as e:
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT
    subscription, created = subscribe(Subscription.Kind.KOLADA, request.as_parameters(), organisation=organisation,
                                      area=area)
    verb = "Subscribed" if created else "Already subscribed"
    print(f"{verb}: #{subscription.id} {subscription}. `millennium refresh` fetches it.")
    return OK


def cmd_subscribe_scb(args) -> int:
    from millennium.sources.models import Subscription
    from millennium.sources.refresh import subscribe

    query = args.query or []
    if bad := [q for q in query if "=" not in q]:
        print(f"error: --query {bad[0]!r}: expected VARIABLE=VALUES, e.g. Region=1280", file=sys.stderr)
        return BAD_INPUT
    parameters = {"table": args.table, "query": query, "api": args.api, "base_url": args.base_url}
    subscription, created = subscribe(Subscription.Kind.SCB, parameters)
    verb = "Subscribed" if created else "Already subscribed"
    print(f"{verb}: #{subscription.id} {subscription}. `millennium refresh` fetches it.")
    return OK


def cmd_refresh(args) -> int:
    from millennium.sources.refresh import RefreshLocked, describe_result, refresh_all

    kolada = {k: v for k, v in _kolada_client_options(args).items() if v is not None}
    try:
        # --base-url is Kolada's; an SCB subscription keeps its own server address in its parameters.
        scb = {k: v for k, v in kolada.items() if k != "base_url"}
        results = refresh_all({"kolada": kolada, "scb": scb},
                              on_result=lambda r: print(describe_result(r), flush=True))
    except RefreshLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT
    failed = sum(not r.ok for r in results)
    print(f"{len(results)} subscriptions: {len(results) - failed} refreshed, {failed} failed.")
    return BAD_INPUT if failed else OK


def cmd_import_scb(args) -> int:
    from millennium.readers.http import SourceUnavailable
    from millennium.statistics.scb_import import QueryError, import_scb, scb_client

    try:
        client = scb_client(args.api, args.base_url, Path(args.cache_dir) if args.cache_dir else None,
                            retries=args.retries, timeout=args.timeout)
        summary = import_scb(args.table, args.query or [], client)
    except (QueryError, SourceUnavailable) as e:
        print(f"error: {e}\nNothing was changed.", file=sys.stderr)
        return BAD_INPUT
    _console().print(
        f"Imported SCB {args.table}: {summary.measures} key figures, {summary.files} requests; rows {summary.new} "
        f"new, {summary.changed} changed, {summary.unchanged} unchanged, {summary.rejected} without a value. "
        f"Import batch {summary.batch_id}. Källa: SCB.")
    return OK


def _download_sdmx(url: str, folder: Path, args) -> Path:
    """The SDMX API's answer (SDMX-ML or SDMX-CSV) as a file, fetched politely; SourceUnavailable if it fails."""
    from millennium.readers.http import polite_session, request_bytes

    session = polite_session(None, retries=args.retries, timeout=args.timeout)
    body, content_type = request_bytes(session, "GET", url, headers={
        "Accept": "application/vnd.sdmx.structurespecificdata+xml, application/xml, text/csv;q=0.9, */*;q=0.1"})
    path = folder / ("data.csv" if "csv" in content_type else "data.xml")
    path.write_bytes(body)
    return path


def cmd_import_sdmx(args) -> int:
    import tempfile

    from millennium.readers.http import SourceUnavailable
    from millennium.statistics.sdmx_import import import_sdmx

    try:
        with tempfile.TemporaryDirectory() as folder:
            is_url = args.file.startswith(("http://", "https://"))
            path = _download_sdmx(args.file, Path(folder), args) if is_url else Path(args.file)
            summary = import_sdmx(path, structure=Path(args.structure) if args.structure else None,
                                  area_map=Path(args.area_map) if args.area_map else None,
                                  location=args.file if is_url else None)
    except SourceUnavailable as e:
        print(f"error: {e}\nNothing was changed.", file=sys.stderr)
        return BAD_INPUT
    except ValueError as e:
        if isinstance(e, InputError):
            raise
        print(f"error: {e}\nNothing was changed.", file=sys.stderr)
        return BAD_INPUT
    _console().print(
        f"Imported {args.file}: {summary.measures} series; rows {summary.new} new, {summary.changed} changed, "
        f"{summary.unchanged} unchanged, {summary.rejected} left out (no value, an unknown area or a breakdown "
        f"other than sex). Import batch {summary.batch_id}.")
    return OK


def cmd_import_gapminder_mdg(args) -> int:
    from millennium.statistics.gapminder_import import import_gapminder_mdg

    summary = import_gapminder_mdg(Path(args.dir))
    _console().print(
        f"Imported {args.dir}: {summary.files} series, rows {summary.new} new, {summary.changed} changed, "
        f"{summary.unchanged} unchanged. Import batch {summary.batch_id}.")
    return OK


def cmd_import_open_sdg(args) -> int:
    from millennium.statistics.open_sdg_import import import_open_sdg

    try:
        summary = import_open_sdg(Path(args.dir), country=args.country, country_name=args.country_name,
                                  language=args.language)
    except ValueError as e:
        if isinstance(e, InputError):
            raise
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT
    _console().print(
        f"Imported {args.dir}: {summary.files} files, {summary.measures} series; rows {summary.new} new, "
        f"{summary.changed} changed, {summary.unchanged} unchanged, {summary.rejected} without a value. "
        f"Import batch {summary.batch_id}.")
    return OK


def cmd_import_areas_csv(args) -> int:
    from millennium.statistics.areas_csv_import import import_areas_csv

    summary = import_areas_csv(Path(args.file))
    _console().print(
        f"Imported {args.file}: rows {summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, "
        f"{summary.rejected} without a value. Import batch {summary.batch_id}.")
    return OK


def cmd_import_spreadsheet(args) -> int:
    from millennium.places.models import Area
    from millennium.readers.cells import InputErrors
    from millennium.statistics.spreadsheet_import import import_spreadsheet

    municipality = None
    if args.municipality:
        municipality = Area.objects.filter(code=args.municipality, level=Area.Level.MUNICIPALITY).first()
        if municipality is None:
            print(f"error: unknown municipality {args.municipality!r}; expected a code such as 1280", file=sys.stderr)
            return BAD_INPUT
    try:
        summary = import_spreadsheet(Path(args.file), municipality)
    except InputErrors as e:
        print("\n".join(f"error: {line}" for line in e.lines()), file=sys.stderr)
        return BAD_INPUT
    _console().print(
        f"Imported {args.file}: rows {summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, "
        f"{summary.rejected} without a value. Import batch {summary.batch_id}.")
    return OK


def cmd_spreadsheet_export(args) -> int:
    from millennium.places.models import Area
    from millennium.statistics.spreadsheet_export import municipality_rows, write

    municipality = Area.objects.filter(code=args.municipality, level=Area.Level.MUNICIPALITY).first()
    if municipality is None:
        print(f"error: unknown municipality {args.municipality!r}; expected a code such as 1280", file=sys.stderr)
        return BAD_INPUT
    if Path(args.output).suffix.lower() not in (".csv", ".xlsx"):
        print(f"error: {args.output}: expected a file name ending in .xlsx or .csv", file=sys.stderr)
        return USAGE
    # Kolada ids in any case (n00945); the municipality's own key figures by their short code or full code.
    written = [m.strip() for m in (args.measure or "").split(",") if m.strip()]
    measures = [c for m in written for c in (m, m.upper(), f"local:{municipality.code}:{m}")]
    rows = municipality_rows(municipality, measures or None)
    write(rows, Path(args.output))
    _console().print(f"Wrote {len(rows)} rows of {municipality.name} ({municipality.code}) to {args.output}.")
    return OK


def cmd_spreadsheet_template(args) -> int:
    from millennium.statistics.spreadsheet_export import template_rows, write

    if Path(args.output).suffix.lower() not in (".csv", ".xlsx"):
        print(f"error: {args.output}: expected a file name ending in .xlsx or .csv", file=sys.stderr)
        return USAGE
    write(template_rows(), Path(args.output))
    _console().print(f"Wrote the template (one example row) to {args.output}.")
    return OK


def cmd_area_programme_add(args) -> int:
    from millennium.statistics.area_programmes import ProgrammeError, add_programme

    try:
        programme = add_programme(args.municipality, args.name, args.areas.split(","), start_year=args.start,
                                  description=args.description)
    except ProgrammeError as e:
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT
    _console().print(f"Area programme {programme.name!r} of {programme.municipality.name}: "
                     f"{programme.areas.count()} areas, start {programme.start_year or '-'}.")
    return OK


def cmd_assess_mdg(args) -> int:
    from millennium.statistics.mdg_outcomes import COLUMNS, UnknownTarget, mdg_outcomes

    try:
        outcomes = mdg_outcomes(args.target)
    except UnknownTarget as e:
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT
    for year in ("base_year", "current_year"):
        outcomes[year] = outcomes[year].astype("Int64")
    rows = outcomes[COLUMNS].astype(object).where(outcomes[COLUMNS].notna(), None).to_dict("records")
    _write(rows, COLUMNS, args.format)
    return OK


def cmd_report(args) -> int:
    import time

    from millennium.reports.municipality_report import UnknownMunicipality, municipality, render_html, render_pdf

    try:
        area = municipality(args.code)
    except UnknownMunicipality as e:
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT
    output = Path(args.output)
    if not output.parent.is_dir():
        print(f"error: {output.parent}: no such folder for the report", file=sys.stderr)
        return BAD_INPUT
    started = time.perf_counter()
    if args.format == "pdf":
        output.write_bytes(render_pdf(area.code, args.lang))
    else:
        output.write_text(render_html(area.code, args.lang), encoding="utf-8")
    _console().print(f"Wrote the {args.format.upper()} report of {area.name} ({area.code}, {args.lang}) to {output} "
                     f"in {time.perf_counter() - started:.1f} s.")
    return OK


def cmd_peers(args) -> int:
    from millennium.statistics.peers import MissingFigures, UnknownMunicipality, similar_municipalities

    try:
        peers = similar_municipalities(args.code, k=args.k)
    except (UnknownMunicipality, MissingFigures) as e:
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT
    rows = [{"code": r.code, "name": r.name, "distance": round(float(r.distance), 4),
             "similar_on": "; ".join(r.similar_on), "differs_on": "; ".join(r.differs_on)}
            for r in peers.itertuples()]
    _write(rows, ["code", "name", "distance", "similar_on", "differs_on"], args.format)
    return OK


def cmd_frameworks_show(args) -> int:
    from millennium.frameworks.models import Goal, Indicator, Target

    rows = []
    if args.level == "goal":
        for g in Goal.objects.filter(framework__code=args.framework):
            rows.append({"code": g.code, "title_en": g.title_en, "title_sv": g.title_sv, "parent": ""})
    elif args.level == "target":
        for t in Target.objects.filter(goal__framework__code=args.framework).select_related("goal"):
            rows.append({"code": t.code, "title_en": t.title_en, "title_sv": t.title_sv, "parent": t.goal.code})
    else:
        for i in Indicator.objects.filter(goal__framework__code=args.framework).prefetch_related("targets"):
            parents = ";".join(t.code for t in i.targets.all())
            rows.append({"code": i.code, "title_en": i.title_en, "title_sv": i.title_sv, "parent": parents})
    if not rows:
        print(f"error: framework {args.framework!r} is not loaded; run `millennium init`", file=sys.stderr)
        return BAD_INPUT
    _write(rows, ["code", "title_en", "title_sv", "parent"], args.format)
    return OK


def cmd_export_all(args) -> int:
    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    from millennium.statistics.open_data_export import export_open_data

    if not args.output or args.format not in ("csv", "parquet") or args.area:
        print("error: --all writes a folder: expected -o DIR and --format csv or parquet (no --area)", file=sys.stderr)
        raise SystemExit(USAGE)  # as argparse does for its own usage errors
    # Kolada ids in any case (n00945), other codes as written.
    measures = [m.upper() if len(m) == 6 and m[0] in "nNuU" and m[1:].isdigit() else m
                for m in (m.strip() for m in (args.measure or "").split(",")) if m]
    console = _console()
    with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True,
                  disable=args.quiet) as progress:
        task = progress.add_task("Exporting", total=None)
        try:
            counts = export_open_data(Path(args.output), args.format, measures=measures or None,
                                      on_progress=lambda name, rows: progress.update(
                                          task, description=f"{name}: {rows:,} rows"))
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return BAD_INPUT
    console.print(f"Wrote {args.output}/datapackage.json and " + ", ".join(
        f"{name}.{args.format} ({rows} rows)" for name, rows in counts.items()) + ".")
    return OK


def cmd_export(args) -> int:
    from millennium.statistics.models import Measure, Observation

    if args.all:
        return cmd_export_all(args)
    if not args.measure or args.format not in ("csv", "json") or args.output:
        print("error: expected --measure CODE (and --format csv or json, to standard output), or --all -o DIR",
              file=sys.stderr)
        raise SystemExit(USAGE)
    measure = Measure.objects.filter(code=args.measure.upper()).first()
    if measure is None:
        print(f"error: unknown key figure {args.measure!r}; expected a code such as N00945", file=sys.stderr)
        return BAD_INPUT
    observations = Observation.objects.filter(measure=measure)
    if args.area:
        observations = observations.filter(area__code=args.area)
        if not observations.exists() and not _area_exists(args.area):
            print(f"error: unknown area {args.area!r}; expected a code such as 1280", file=sys.stderr)
            return BAD_INPUT
    rows = [
        {"measure": measure.code, "area": area, "year": year, "sex": sex, "value": value}
        for area, year, sex, value in observations.order_by("area__code", "year", "sex").values_list(
            "area__code", "year", "sex", "value")
    ]
    _write(rows, ["measure", "area", "year", "sex", "value"], args.format)
    return OK


def _area_exists(code: str) -> bool:
    from millennium.places.models import Area

    return Area.objects.filter(code=code).exists()


def _write(rows: list[dict], columns: list[str], fmt: str) -> None:
    if fmt == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def cmd_assess_csv(args) -> int:
    """Assess series from two CSV files, without a database."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pv

    from millennium.analysis.progress.methods import assess
    from millennium.analysis.progress.panel import Panel, Settings
    from millennium.readers.progress_csv import read_progress_csv

    data = read_progress_csv(Path(args.values), Path(args.config))
    # Series are numbered in the order of the settings file; their ids stay in Arrow for the output.
    panel = Panel.from_codes(data.series, data.year, data.value, labels=np.arange(len(data.labels)))
    settings = Settings(data.base_year, data.target_year, data.direction, data.target, data.limit)
    result = assess(args.method, panel, settings)
    status = pd.Categorical(result["status"])
    table = pa.table({
        "series_id": data.labels,
        "status": pa.DictionaryArray.from_arrays(status.codes, pa.array(status.categories.astype(str))),
        # Only some methods score; the column stays empty for the others.
        **{c: pa.array(result[c].to_numpy("float64") if c in result else np.full(len(result), np.nan),
                       pa.float64(), from_pandas=True)
           for c in ["score", "progress_value", "base_year", "base_value", "current_year", "current_value"]},
    })
    pv.write_csv(table, args.output)
    return OK


def cmd_assess_open_sdg(args) -> int:
    """Open SDG's indicator_calculation_components.yml for a data repository, without a database."""
    from millennium.analysis.progress.opensdg_components import calculation_components, dump_components
    from millennium.readers.open_sdg import read_open_sdg

    components = calculation_components(read_open_sdg(Path(args.dir), language=args.language))
    with open(args.output, "w", encoding="utf-8") as f:
        dump_components(components, f)
    return OK


def cmd_serve(args) -> int:
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"Millennium: http://{args.host}:{args.port}/", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "millennium.wsgi:application",
                              "--bind", f"{args.host}:{args.port}", "--workers", str(args.workers),
                              "--access-logfile", "-"])
    return OK  # not reached: gunicorn replaces this process


def cmd_practices_load_examples(args) -> int:
    from millennium.practices.examples import EXAMPLES, load_examples

    path = Path(args.file) if getattr(args, "file", None) else EXAMPLES
    summary = load_examples(path)
    _console().print(f"Example practices from {path}: {summary.new} new, {summary.changed} changed, "
                     f"{summary.unchanged} unchanged.")
    return OK


def cmd_programme_lapse(args) -> int:
    import datetime

    from millennium.programme.lapsing import lapse_and_remind

    today = datetime.date.fromisoformat(args.today) if args.today else None
    summary = lapse_and_remind(today)
    _console().print(f"Designations: {summary.lapsed} lapsed, {summary.reminders} reminders sent.")
    return OK


def cmd_programme_report(args) -> int:
    from millennium.programme.models import Programme
    from millennium.programme.programme_report import report_csv, report_pdf

    programme = Programme.objects.filter(slug=args.slug).first()
    if programme is None:
        known = ", ".join(Programme.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        print(f"error: unknown programme {args.slug!r} (programmes: {known})", file=sys.stderr)
        return BAD_INPUT
    if args.days < 0:
        print("error: --days must be 0 or more", file=sys.stderr)
        return BAD_INPUT
    if args.format == "pdf":
        content = report_pdf(programme, args.lang, args.days)
    else:
        content = report_csv(programme, args.lang, args.days).encode("utf-8")
    Path(args.output).write_bytes(content)
    _console().print(f"Programme report of {programme.slug} ({args.format}, {args.lang}): {args.output}")
    return OK


def cmd_programme_load_demo(args) -> int:
    from millennium.programme.demo import DEMO, load_demo

    # The demo accounts' passwords go to stdout once, at the start (demo only: never in production).
    load_demo(DEMO, out=sys.stdout)
    return OK


def cmd_demo(args) -> int:
    from django.conf import settings

    from millennium.statistics.models import ImportBatch

    cmd_init(args)
    kolada = Path(settings.DATA_DIR) / "kolada"
    if not ImportBatch.objects.filter(source__code="kolada").exists():
        if not kolada.exists():
            print(f"error: no data to show. Looked for the Kolada extract in {kolada}.\n"
                  "Set MILLENNIUM_DATA_DIR to a folder holding kolada/ (a Kolada DDF dump, e.g. "
                  "open-numbers/ddf--kolada--dump) and run `millennium demo` again.", file=sys.stderr)
            return BAD_INPUT
        args.dir, args.quiet = kolada, False
        cmd_import_kolada_ddf(args)
    gapminder = Path(settings.DATA_DIR) / "gapminder-mdg"
    if gapminder.exists() and not ImportBatch.objects.filter(source__code="gapminder").exists():
        args.dir = gapminder
        cmd_import_gapminder_mdg(args)
    args.file = None
    cmd_practices_load_examples(args)  # the good-practice library's examples, marked as such
    cmd_programme_load_demo(args)  # the three programmes, Malmö's 2010 application and demo accounts
    return cmd_serve(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="millennium", description="Millennium: follow municipalities' work "
                                "towards the UN development goals.")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="create or migrate the database; load frameworks and areas").set_defaults(
        func=cmd_init)

    imp = sub.add_parser("import", help="import data").add_subparsers(dest="source", required=True)
    kolada = imp.add_parser("kolada-ddf", help="a Kolada DDF-CSV dump folder")
    kolada.add_argument("dir")
    kolada.add_argument("--quiet", action="store_true", help="no progress bar")
    kolada.set_defaults(func=cmd_import_kolada_ddf)

    def live_source_options(command, base_url_help="Kolada's API address (default https://api.kolada.se/v3)"):
        command.add_argument("--base-url", help=base_url_help)
        command.add_argument("--cache-dir", help="the HTTP cache (default MILLENNIUM_HOME/http-cache)")
        command.add_argument("--retries", type=int, default=4, help="retries on 429/5xx/timeouts (default 4)")
        command.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for an answer")

    def kolada_selection(command):
        command.add_argument("--kpi", required=True, help="key figures, e.g. N00945,N01951")
        where = command.add_mutually_exclusive_group(required=True)
        where.add_argument("--municipality", help="area codes, e.g. 1280,0180 (regions 12 or 0012, Sweden 0)")
        where.add_argument("--all", action="store_true", help="every municipality, region and Sweden")
        command.add_argument("--years", help="a year or a span, e.g. 2010-2024 (default every year)")

    kolada_api = imp.add_parser("kolada", help="key figures from Kolada's API v3 (Källa: Kolada)")
    kolada_selection(kolada_api)
    live_source_options(kolada_api)
    kolada_api.set_defaults(func=cmd_import_kolada)

    kolada_groups = imp.add_parser("kolada-groups", help="Kolada's municipality groups (e.g. Liknande kommuner)")
    kolada_groups.add_argument("--id", help="only these groups, e.g. G37411,G35951 (default all)")
    live_source_options(kolada_groups)
    kolada_groups.set_defaults(func=cmd_import_kolada_groups)

    subscribe = sub.add_parser("subscribe", help="keep figures current: `millennium refresh` fetches them "
                               "again").add_subparsers(dest="source", required=True)
    subscribe_kolada = subscribe.add_parser("kolada", help="key figures from Kolada's API v3")
    kolada_selection(subscribe_kolada)
    subscribe_kolada.add_argument("--area", help="the municipality the subscription is for (default: the one "
                                  "--municipality names, if only one)")
    subscribe_kolada.add_argument("--organisation", type=int, help="the organisation's id")
    subscribe_kolada.set_defaults(func=cmd_subscribe_kolada)
    subscribe_scb = subscribe.add_parser("scb", help="a table of SCB's statistical database (PxWeb)")
    subscribe_scb.add_argument("table", help="PxWebApi 2 table id, e.g. TAB638 (API v1: its path)")
    subscribe_scb.add_argument("--query", action="append", metavar="VARIABLE=VALUES",
                               help="as for `millennium import scb` (repeat for more variables)")
    subscribe_scb.add_argument("--api", choices=["v2", "v1"], default="v2")
    subscribe_scb.add_argument("--base-url", help="another PxWeb server than SCB's")
    subscribe_scb.set_defaults(func=cmd_subscribe_scb)

    refresh = sub.add_parser("refresh", help="fetch every subscription again and report what changed (for cron: "
                             "exit 1 if any failed or another refresh runs)")
    live_source_options(refresh)
    refresh.set_defaults(func=cmd_refresh)

    scb = imp.add_parser("scb", help="a table of SCB's statistical database through PxWeb (Källa: SCB)")
    scb.add_argument("table", help="PxWebApi 2 table id, e.g. TAB638 (API v1: its path, e.g. "
                     "BE/BE0101/BE0101A/BefolkningNy)")
    scb.add_argument("--query", action="append", metavar="VARIABLE=VALUES",
                     help="values of one variable, e.g. Region=1280,0180 or Tid=2015-2022 (repeat for more "
                     "variables; a variable left out is eliminated where the table allows it)")
    scb.add_argument("--api", choices=["v2", "v1"], default="v2", help="PxWebApi 2 (default) or the older API v1")
    live_source_options(scb, "the PxWeb API's address (default SCB's, for the --api version)")
    scb.set_defaults(func=cmd_import_scb)

    sdmx_import = imp.add_parser("sdmx", help="an SDMX-ML or SDMX-CSV data file, e.g. from the UN SDG database")
    sdmx_import.add_argument("file", help="a file, or the URL of an SDMX API's data request (e.g. the UN SDG "
                             "database's https://data.un.org/ws/rest/data/IAEG-SDGs,DF_SDG_GLH,1.8/…)")
    sdmx_import.add_argument("--retries", type=int, default=4, help="retries on 429/5xx/timeouts (a URL)")
    sdmx_import.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for an answer (a URL)")
    sdmx_import.add_argument("--structure", help="an SDMX-ML structure message (DSD, codelists) for the file")
    sdmx_import.add_argument("--area-map", help="CSV with columns code,area: the file's area codes → the store's")
    sdmx_import.set_defaults(func=cmd_import_sdmx)

    gapminder = imp.add_parser("gapminder-mdg", help="Gapminder's country series for the MDG indicators")
    gapminder.add_argument("dir")
    gapminder.set_defaults(func=cmd_import_gapminder_mdg)

    open_sdg_import = imp.add_parser("open-sdg", help="an Open SDG data repository (national SDG data)")
    open_sdg_import.add_argument("dir")
    open_sdg_import.add_argument("--country", required=True, help="ISO 3166 alpha-3 code of its country, e.g. CAN")
    open_sdg_import.add_argument("--country-name", help="the country's name, if it is not in the store yet")
    open_sdg_import.add_argument("--language", help="apply the repository's translations/<language>/")
    open_sdg_import.set_defaults(func=cmd_import_open_sdg)

    areas_csv = imp.add_parser("areas-csv", help="a municipality's own district figures (the template in "
                                                 "millennium/statistics/data/omradesdata-mall.csv)")
    areas_csv.add_argument("file")
    areas_csv.set_defaults(func=cmd_import_areas_csv)

    spreadsheet_import = imp.add_parser("spreadsheet", help="the municipality's own key figures (CSV or XLSX in the "
                                                          "template of docs/kalkylark.md)")
    spreadsheet_import.add_argument("file")
    spreadsheet_import.add_argument("--municipality", help="municipality code, e.g. 1280 (default: the one the "
                                                           "file's areas belong to)")
    spreadsheet_import.set_defaults(func=cmd_import_spreadsheet)

    sheet = sub.add_parser("spreadsheet", help="the municipality's key-figure spreadsheet (docs/kalkylark.md)"
                           ).add_subparsers(dest="action", required=True)
    sheet_export = sheet.add_parser("export", help="a municipality's stored figures in the template")
    sheet_export.add_argument("--municipality", required=True, help="municipality code, e.g. 1280")
    sheet_export.add_argument("--measure", help="only these key figures, comma-separated, e.g. N00945,N01951")
    sheet_export.add_argument("-o", "--output", required=True, help="FILE.xlsx or FILE.csv")
    sheet_export.set_defaults(func=cmd_spreadsheet_export)
    sheet_template = sheet.add_parser("template", help="the empty template with one example row")
    sheet_template.add_argument("-o", "--output", required=True, help="FILE.xlsx or FILE.csv")
    sheet_template.set_defaults(func=cmd_spreadsheet_template)

    fw = sub.add_parser("frameworks", help="goal frameworks").add_subparsers(dest="action", required=True)
    show = fw.add_parser("show", help="list goals, targets or indicators")
    show.add_argument("framework", choices=["mdg", "sdg"])
    show.add_argument("--level", choices=["goal", "target", "indicator"], default="goal")
    show.add_argument("--format", choices=["csv", "json"], default="csv")
    show.set_defaults(func=cmd_frameworks_show)

    peers = sub.add_parser("peers", help="the most similar municipalities, and what makes them similar")
    peers.add_argument("code", help="municipality code, e.g. 1280")
    peers.add_argument("--k", type=int, default=7)
    peers.add_argument("--format", choices=["csv", "json"], default="csv")
    peers.set_defaults(func=cmd_peers)

    report = sub.add_parser("report", help="a municipality's report (Voluntary Local Review style), PDF/UA or HTML")
    report.add_argument("code", help="municipality code, e.g. 1280")
    report.add_argument("--lang", choices=["sv", "en"], default="sv")
    report.add_argument("--format", choices=["pdf", "html"], default="pdf")
    report.add_argument("-o", "--output", required=True, help="the file to write")
    report.set_defaults(func=cmd_report)

    export = sub.add_parser("export", help="observations of one key figure, or --all: the open data package")
    export.add_argument("--measure", help="a key figure; with --all, key figures (comma-separated) to limit "
                                          "observations and assessments to")
    export.add_argument("--area")
    export.add_argument("--format", choices=["csv", "json", "parquet"], default="csv")
    export.add_argument("--all", action="store_true", help="every table as CSV or Parquet files with a "
                                                           "frictionless datapackage.json, into -o DIR")
    export.add_argument("-o", "--output", help="the folder for --all")
    export.add_argument("--quiet", action="store_true")
    export.set_defaults(func=cmd_export)

    assess = sub.add_parser("assess", help="progress towards targets").add_subparsers(dest="source", required=True)
    from_csv = assess.add_parser("csv", help="series in a CSV file, settings in another; no database needed")
    from_csv.add_argument("--values", required=True, help="CSV with series_id,year,value")
    from_csv.add_argument("--config", required=True,
                          help="CSV with series_id,base_year,target_year,direction,target,limit")
    from_csv.add_argument("--method", default="opensdg",
                          choices=["opensdg", "unsd2022", "unsd2023", "eurostat", "mdg_path"])
    from_csv.add_argument("--output", required=True)
    from_csv.set_defaults(func=cmd_assess_csv, needs_database=False)

    open_sdg = assess.add_parser("open-sdg", help="an Open SDG data repository → indicator_calculation_components.yml")
    open_sdg.add_argument("dir")
    open_sdg.add_argument("--output", required=True)
    open_sdg.add_argument("--language", help="apply the repository's translations/<language>/ to column names")
    open_sdg.set_defaults(func=cmd_assess_open_sdg, needs_database=False)

    mdg = assess.add_parser("mdg", help="each country's outcome on an MDG target, 1990 → 2015 (from the store)")
    mdg.add_argument("--target", required=True, help="an MDG target with a quantified goal, e.g. 4.A")
    mdg.add_argument("--format", choices=["csv", "json"], default="csv")
    mdg.set_defaults(func=cmd_assess_mdg)

    programme = sub.add_parser("area-programme", help="area programmes: targeted districts followed against the "
                               "rest of the city").add_subparsers(dest="action", required=True)
    programme_add = programme.add_parser("add", help="add a programme, or replace the one of that name")
    programme_add.add_argument("--municipality", required=True, help="municipality code, e.g. 1280")
    programme_add.add_argument("--name", required=True)
    programme_add.add_argument("--areas", required=True,
                               help="comma-separated codes of one level: RegSO (1280R001), DeSO (1280C1010) or "
                                    "own districts (1280-OMR01)")
    programme_add.add_argument("--start", type=int, help="the year the programme began (base year of its trend)")
    programme_add.add_argument("--description", default="")
    programme_add.set_defaults(func=cmd_area_programme_add)

    practices = sub.add_parser("practices", help="the good-practice library").add_subparsers(dest="action",
                                                                                          required=True)
    examples = practices.add_parser("load-examples", help="load (or update) the example practices, marked as "
                                    "examples; loading again creates no duplicates")
    examples.add_argument("--file", help="a YAML file of practices (default: the bundled examples)")
    examples.set_defaults(func=cmd_practices_load_examples)

    designations = sub.add_parser("programme", help="designation programmes: applications, designations, "
                                  "follow-ups").add_subparsers(dest="action", required=True)
    lapse = designations.add_parser("lapse", help="mark designations not renewed in time as lapsed; send the "
                                    "reminders due 60 and 14 days before (each once)")
    lapse.add_argument("--today", help="the date to act as of (YYYY-MM-DD; default today)")
    lapse.set_defaults(func=cmd_programme_lapse)
    load_demo = designations.add_parser("load-demo", help="the programmes, Malmö's 2010 application, an example "
                                        "designation and demo accounts (prints their passwords)")
    load_demo.set_defaults(func=cmd_programme_load_demo)
    report = designations.add_parser("report", help="the programme's report: designated municipalities, "
                                     "applications by state, follow-ups due, the count over time against the goal")
    report.add_argument("slug", help="the programme, e.g. millenniekommun")
    report.add_argument("--format", choices=["pdf", "csv"], default="pdf")
    report.add_argument("--lang", choices=["sv", "en"], default="sv")
    report.add_argument("--days", type=int, default=90, help="follow-ups due within this many days (default 90)")
    report.add_argument("-o", "--output", required=True, help="the file to write")
    report.set_defaults(func=cmd_programme_report)

    for name, func, text in [("serve", cmd_serve, "serve the website"),
                             ("demo", cmd_demo, "init, import the Kolada extract if needed, and serve")]:
        s = sub.add_parser(name, help=text)
        s.add_argument("--host", default="127.0.0.1")
        s.add_argument("--port", type=int, default=8000)
        s.add_argument("--workers", type=int, default=2)
        s.set_defaults(func=func)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    uses_database = getattr(args, "needs_database", True)
    if uses_database:  # file-only commands skip Django's start-up
        _setup_django()
    if uses_database and args.func not in (cmd_init, cmd_demo) and (problem := _database_ready()):
        print(f"error: {problem}", file=sys.stderr)
        return BAD_INPUT
    try:
        return args.func(args)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
