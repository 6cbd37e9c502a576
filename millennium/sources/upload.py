"""Uploaded spreadsheets waiting for confirmation: stored, checked, shown as a preview, then imported.

A pending upload is a folder MEDIA_ROOT/uploads-pending/<token>/ holding the file and `upload.json` (whose it
is: municipality, user, original name). The token is random (128 bits), so it cannot be guessed; it is also
checked against the municipality and the user, so a token of someone else's upload is a 404 all the same.
Nothing reaches the store before the person confirms a valid file (statistics.spreadsheet_import).
"""

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from millennium.places.models import Area
from millennium.readers import InputError
from millennium.readers.cells import InputErrors, Problem, header_name
from millennium.readers.spreadsheet import ALIASES, column_letter, file_kind, raw_rows
from millennium.statistics.spreadsheet_import import CheckedSpreadsheet, check_spreadsheet

PENDING = "uploads-pending"
IMPORTED = "imports"
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
ROWS_PER_PAGE = 100
KEEP_PENDING = timedelta(days=2)


class UploadRefused(ValueError):
    """The file is not one we take (too large, not XLSX or CSV); the message is for the person."""


@dataclass
class PendingUpload:
    token: str
    folder: Path
    municipality: str
    user_id: int
    name: str
    kind: str
    uploaded_at: str

    @property
    def path(self) -> Path:
        return self.folder / f"data.{self.kind}"


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / PENDING


def store(uploaded, municipality: Area, user) -> PendingUpload:
    """Keep an uploaded file for its preview; refuse it if too large or not XLSX/CSV by its content."""
    if uploaded.size > settings.MAX_UPLOAD_BYTES:
        raise UploadRefused(_("Filen är %(size)s MB; den får vara högst %(limit)s MB.") % {
            "size": formats.number_format(uploaded.size / 2**20, 1),
            "limit": formats.number_format(settings.MAX_UPLOAD_BYTES / 2**20, 0)})
    if not uploaded.name.lower().endswith((".csv", ".xlsx")):
        raise UploadRefused(_("Filen måste vara en Excel-arbetsbok (.xlsx) eller en CSV-fil (.csv)."))
    _forget_old_uploads()
    token = secrets.token_urlsafe(16)
    folder = _root() / token
    folder.mkdir(parents=True)
    raw = folder / "upload"
    with raw.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    try:
        kind = file_kind(raw)
        if kind == "csv":
            raw.read_bytes().decode("utf-8-sig")
    except (InputError, UnicodeDecodeError):
        shutil.rmtree(folder)
        raise UploadRefused(_("Filens innehåll är varken en Excel-arbetsbok (.xlsx) eller CSV-text i UTF-8. "
                              "Spara den som Excel-arbetsbok eller som CSV UTF-8.")) from None
    if Path(uploaded.name).suffix.lower() != f".{kind}":
        shutil.rmtree(folder)
        raise UploadRefused(_("Filens namn slutar inte som dess innehåll: innehållet är %(kind)s.") % {
            "kind": kind.upper()})
    raw.rename(folder / f"data.{kind}")
    pending = PendingUpload(token, folder, municipality.code, user.id, Path(uploaded.name).name[:200], kind,
                            timezone.now().isoformat())
    (folder / "upload.json").write_text(json.dumps({k: v for k, v in pending.__dict__.items()
                                                    if k not in ("token", "folder")}), encoding="utf-8")
    return pending


def _forget_old_uploads() -> None:
    """Uploads never confirmed are removed after KEEP_PENDING: they were only ever a preview."""
    if not _root().exists():
        return
    cutoff = time.time() - KEEP_PENDING.total_seconds()
    for folder in _root().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def find(token: str, municipality: Area, user) -> PendingUpload | None:
    """The pending upload of this token, if it is this municipality's and this person's (or a site admin's)."""
    if not TOKEN.fullmatch(token):
        return None
    folder = _root() / token
    try:
        meta = json.loads((folder / "upload.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta["municipality"] != municipality.code or (meta["user_id"] != user.id and not user.is_superuser):
        return None
    return PendingUpload(token, folder, **meta)


def claim(pending: PendingUpload) -> PendingUpload | None:
    """Take the upload for one confirmation, or None when another request took it first.

    A rename is atomic: of two clicks on "Bekräfta" (or two tabs) one gets the folder, the other finds nothing,
    so a file is never imported twice. The claimed folder's name no longer matches a token.
    """
    claimed = pending.folder.with_name(pending.folder.name + ".importing")
    try:
        pending.folder.rename(claimed)
    except FileNotFoundError:
        return None
    return PendingUpload(pending.token, claimed, pending.municipality, pending.user_id, pending.name, pending.kind,
                         pending.uploaded_at)


def release(claimed: PendingUpload) -> None:
    """Give a claimed upload back (its import failed): it can be confirmed again."""
    claimed.folder.rename(claimed.folder.with_name(claimed.token))


def keep_imported(pending: PendingUpload, batch_id: int) -> Path:
    """Move an imported file to MEDIA_ROOT/imports/<batch>/ (what the import batch's location names)."""
    target = Path(settings.MEDIA_ROOT) / IMPORTED / str(batch_id)
    target.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", pending.name) or f"data.{pending.kind}"
    shutil.move(pending.path, target / safe)
    shutil.rmtree(pending.folder, ignore_errors=True)
    return target / safe


# What each rule of the reader means, said to the person who uploaded the file.
MESSAGES = {
    "missing_column": gettext_noop(
        "Kolumnen %(column)s saknas. Mallen har kolumnerna nyckeltal, område, år, kön och värde."),
    "duplicate_column": gettext_noop("Kolumnen %(column)s finns två gånger. Den ska finnas en gång."),
    "csv_line": gettext_noop("Raden är inte en giltig CSV-rad. Ett citattecken måste stängas på samma rad."),
    "cell_count": gettext_noop("Raden har fel antal celler. Den ska ha lika många som rubrikraden."),
    "empty": gettext_noop(
        "Filen saknar rubrikrad. Den ska börja med kolumnerna nyckeltal, område, år, kön och värde."),
    "no_rows": gettext_noop("Filen har inga datarader. Skriv en rad per nyckeltal, område, år och kön."),
    "measure_empty": gettext_noop("Nyckeltal saknas. Skriv en nyckeltalskod, t.ex. N00945."),
    "unknown_measure": gettext_noop(
        "”%(value)s” är inget nyckeltal i databasen. Skriv en nyckeltalskod, t.ex. N00945, eller kommunens egen "
        "kod (bokstäver, siffror, - eller _) med namnet i kolumnen nyckeltalsnamn."),
    "area_code": gettext_noop("”%(value)s” är ingen områdeskod. Skriv t.ex. 1280, 1280R001 eller 1280C1010."),
    "unknown_area": gettext_noop(
        "”%(value)s” är inget område i %(municipality)s. Skriv kommunens kod (%(code)s) eller ett av dess "
        "områden (RegSO, DeSO eller eget), t.ex. %(code)sR001."),
    "year": gettext_noop("”%(value)s” är inget år. Skriv ett fyrsiffrigt år, t.ex. 2022."),
    "sex": gettext_noop(
        "”%(value)s” är inget kön. Skriv T (totalt), K (kvinnor) eller M (män), eller lämna tomt för T."),
    "value": gettext_noop(
        "”%(value)s” är inget tal. Skriv ett tal som 12,5 eller 12.5, eller lämna tomt för inget värde."),
    "duplicate_row": gettext_noop(
        "Samma nyckeltal, område, år och kön står redan på rad %(other)s. Varje kombination får bara finnas "
        "på en rad."),
    "measure_name": gettext_noop(
        "Det egna nyckeltalet har ett annat namn här än på rad %(other)s. Använd samma namn."),
}


def problem_text(problem: Problem, municipality: Area) -> str:
    text = MESSAGES.get(problem.kind)
    if text is None:  # a problem with the whole file, e.g. not UTF-8: the reader's own words
        return _("Filen kunde inte läsas: %(message)s") % {"message": problem.message}
    return _(text) % {"column": problem.column or "", "value": problem.value, "other": problem.other_line or "",
                      "municipality": municipality.name, "code": municipality.code}


@dataclass
class Preview:
    """What the preview page shows: the file's rows, its problems or what importing would do."""

    header: list[str]
    rows: list[dict]  # line, cells [{text, problems, id}], status, old_value, value
    problems: list[dict] = field(default_factory=list)  # line, column, cell, text, anchor, page
    checked: CheckedSpreadsheet | None = None
    page: int = 1
    pages: int = 1
    total_rows: int = 0


def preview(pending: PendingUpload, municipality: Area, page: int = 1) -> Preview:
    """Check the file against the store (writing nothing) and lay out one page of its rows."""
    problems: list[Problem] = []
    checked = None
    try:
        checked = check_spreadsheet(pending.path, municipality)
    except InputErrors as e:
        problems = e.problems
    except InputError as e:
        problems = [Problem(e.line, e.column if isinstance(e.column, str) else None, "", "file", e.message)]
    try:
        header_line, header, rows = raw_rows(pending.path)
    except InputError:
        header_line, header, rows = None, [], []
    names = [ALIASES.get(header_name(c), header_name(c)) for c in header]
    lines = [n for n, _cells in rows]
    position = {n: i for i, n in enumerate(lines)}
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    page = min(max(1, page), pages)

    def anchor(line, column):
        return f"rad-{line}" + (f"-{names.index(column)}" if column in names else "")

    listed = []
    by_cell: dict[tuple, list] = {}
    for number, p in enumerate(problems, start=1):
        on_page = (position[p.line] // ROWS_PER_PAGE + 1) if p.line in position else None
        item = {"id": f"fel-{number}", "line": p.line, "column": p.column,
                "cell": p.cell or (f"{column_letter(names.index(p.column))}{p.line}"
                                   if p.column in names and pending.kind == "xlsx" else None),
                "text": problem_text(p, municipality), "page": on_page,
                "anchor": anchor(p.line, p.column) if on_page else None,
                "header": p.line == header_line}
        listed.append(item)
        by_cell.setdefault((p.line, p.column if p.column in names else None), []).append(item)

    status = {}
    if checked is not None:
        for r in checked.rows[["line", "status", "old_value", "value"]].itertuples(index=False):
            status[r.line] = r
    shown = []
    for n, cells in rows[(page - 1) * ROWS_PER_PAGE: page * ROWS_PER_PAGE]:
        cells = cells + [""] * (len(names) - len(cells))
        row_status = status.get(n)
        shown.append({
            "line": n, "id": f"rad-{n}", "row_problems": by_cell.get((n, None), []),
            "cells": [{"text": text, "id": f"rad-{n}-{i}", "problems": by_cell.get((n, names[i]), [])
                       if i < len(names) else []} for i, text in enumerate(cells)],
            "status": row_status.status if row_status is not None else "",
            "old_value": row_status.old_value if row_status is not None else None,
            "value": row_status.value if row_status is not None else None,
        })
    return Preview(header=header, rows=shown, problems=listed, checked=checked, page=page, pages=pages,
                   total_rows=len(rows))
