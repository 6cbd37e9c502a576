"""`millennium import open-sdg DIR --country CAN`: an Open SDG data repository into the store.

An Open SDG repository (`millennium.readers.open_sdg`) holds one table per indicator in which a row is a
*series* by its Units, Series and disaggregation cells. The store has key figures (measures) observed per
area, year and sex, so the import decides which series become measures. The rule:

**One measure per series that the repository itself assesses or headlines**, i.e. per distinct row
selection among

1. each indicator's *headline series*: the rows whose every disaggregation is blank, one series per
   Series × Units combination found among them;
2. each *progress calculation option* (``progress_calculation_options``; for an indicator with
   ``auto_progress_calculation: true`` and no options, Open SDG's default option), its rows picked exactly
   as sdg-build picks them (`opensdg_components.select_rows`: the chosen Units/Series, the chosen
   disaggregation values, every other disaggregation blank).

Two selections with the same rows are one measure (an option without disaggregations usually selects the
headline). Its code is ``open-sdg:<indicator id>[/<Series>][/<Units>][/<value of each chosen
disaggregation>]`` with the parts as the rows have them (blank Series or Units left out), e.g.
``open-sdg:1-1-1``, ``open-sdg:11-1-1/Number of shelter users experiencing chronic homelessness/Number``,
``open-sdg:3-10-1/Cancer``. A code longer than 128 characters keeps sdg-build's shortening of series keys
(`series_tag`: the longest parts cut alike, ending in '...') and ends in '~' and 8 hex digits of the full
code's SHA-1, so that codes stay distinct.

Where an indicator has a ``Progress`` column, sdg-build assesses an option's ``Progress`` values, which are
a different quantity from its ``Value`` (5-4-1: Value is hours of unpaid work, Progress the ratio of
women's to men's). Such an option then gives two measures: the selection's Value series (no target) and
its Progress series, code ending in ``/progress``, which carries the option's target and direction.

**Sex.** A measure's own rows are T. Its sex breakdown K and M are the rows that differ from them only in
one sex column (``Sex``, ``Gender``, ``Sex at birth``, French ``Sexe``, ``Genre``; compared
case-insensitively) holding a woman's or a man's value (Female(s), Woman, Women, Woman+, Women+, Girls /
Male(s), Man, Men, Man+, Men+, Boys, and French equivalents; '+' marks Statistics Canada's two-category
gender with non-binary persons distributed), where the measure has that column blank or chose a total
such as "Both sexes". For a headline that is the rule "the only non-blank disaggregation is sex".
Repositories such as Canada's instead write the other cells of sex rows out as totals (1-1-1: women are
Geography = Canada, Age group = Total, Gender = Woman+, Economic family type = Total); so when no row
matches with the other cells blank, a cell counts as blank when it stands for everyone: the country's
name, "Total", "All", "Both sexes", "Total population", "All persons", "All ages", "Total, all …", or the
column's own total ("Total, location", "Total - Gender", "All genders"). Subtotals such as "Total, 18
years and over" or "All rural municipalities" do not count. The first sex column (in file order) with
such rows is used; if it gives more than one row a year for a sex, the measure gets no breakdown. An
option that chooses one sex (5-1-1: Sex = Women) defines a measure of that group, stored as T without
breakdown. Progress measures have no breakdown.

**Left out** (they would need a breakdown dimension the store does not have yet, or areas below the
country): every other disaggregated row, e.g. provinces (Geography), age groups, income groups, unless a
progress option selects it as its series. Rows without a value are skipped and counted as rejected; an
option whose rows cannot be picked out (sdg-build would stop) or that selects no rows gives no measure,
nor does a series without any value.
Two options selecting the same rows with different settings: the first one's settings are used.

**Observations** go to one area, the country the repository reports on (created with level country when
missing). A year label such as '2015-16' is stored as its first year; a measure whose rows give two
values for one year is an error (`InputError` naming the second row).

**Targets and direction.** A measure selected by a progress option gets the option's direction (positive
→ up, negative → down, Open SDG's default negative), its limit as natural limit and a Target for all areas:
absolute with the option's target value, otherwise direction only, with its base and target year. Other
measures get no direction and are therefore not assessed (see `assessing`). Each measure is linked to its
SDG goal, and to the global SDG target and indicator whose code equals the Open SDG id (1-1-1 → 1.1.1)
where that code exists, as a proxy: national indicators often share the global number but not its exact
definition.

All or nothing: the whole repository is read and checked before anything is written, and everything is
written in one transaction. A second import of the same files finds nothing new. An import adds and
updates but deletes no observations: a series that left the repository keeps what was stored.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from millennium.analysis.progress.opensdg_components import select_rows, series_tag
from millennium.frameworks.models import Goal, Indicator
from millennium.frameworks.models import Target as GoalTarget
from millennium.places.models import Area
from millennium.readers import InputError
from millennium.readers.open_sdg import DEFAULT_OPTION, OpenSdgRepository, read_open_sdg

from .assessing import recompute_assessments
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, MeasureLink, Source, Target

__all__ = ["import_open_sdg", "plan_import", "ImportPlan", "measure_code", "PREFIX", "SOURCE_CODE",
           "SEX_COLUMNS", "FEMALE", "MALE", "ALL_CELLS"]

SOURCE_CODE = "open-sdg"
PREFIX = "open-sdg:"
PROGRESS_SUFFIX = "/progress"
MAX_CODE_LENGTH = Measure._meta.get_field("code").max_length
#: Disaggregation columns that hold sex or gender (compared case-insensitively).
SEX_COLUMNS = frozenset({"sex", "gender", "sex at birth", "sexe", "genre", "sexe à la naissance"})
#: Cells of a sex column that are women's (K) and men's (M) rows (compared case-insensitively). Canada
#: writes Females/Female/Women in Sex and Women+/Woman+/Females in Gender; '+' marks non-binary persons
#: distributed into the two groups (Statistics Canada's two-category gender variable).
FEMALE = frozenset({"female", "females", "woman", "women", "woman+", "women+", "girls",
                    "femme", "femmes", "femme+", "femmes+", "filles"})
MALE = frozenset({"male", "males", "man", "men", "man+", "men+", "boys",
                  "homme", "hommes", "homme+", "hommes+", "garçons"})
#: Disaggregation cells that stand for everyone (compared case-insensitively); see `_means_all`.
ALL_CELLS = frozenset({"total", "all", "both sexes", "total population", "all persons", "all ages"})
_SEX_OF = {**{v: "K" for v in FEMALE}, **{v: "M" for v in MALE}}


def measure_code(indicator: str, parts: list[str], *, progress: bool = False) -> str:
    """``open-sdg:<id>/<part>/…``, at most 128 characters; see the module docstring.

    Examples
    --------
    >>> measure_code("3-10-1", ["Cancer"])
    'open-sdg:3-10-1/Cancer'
    >>> len(measure_code("9-9-9", ["x" * 200, "y" * 50]))
    128
    """
    suffix = PROGRESS_SUFFIX if progress else ""
    code = PREFIX + "/".join([indicator, *parts]) + suffix
    if len(code) <= MAX_CODE_LENGTH:
        return code
    digest = hashlib.sha1(code.encode("utf-8")).hexdigest()[:8]
    shortened = series_tag(indicator, disaggregation=[(None, p) for p in parts]).replace(" / ", "/")
    room = MAX_CODE_LENGTH - len(PREFIX) - len(suffix) - len(digest) - 1
    return PREFIX + shortened[:room] + "~" + digest + suffix


@dataclass
class _Measure:
    code: str
    indicator: str
    parts: list[str]
    series: str
    unit: str
    progress: bool
    key: tuple
    rows: dict = field(default_factory=dict)  # sex -> boolean mask over the indicator's table
    option: dict | None = None


@dataclass
class ImportPlan:
    """What an import writes, computed from the repository alone (no database).

    measures: one row per measure: code, indicator, title_sv, title_en (the repository's indicator name
        with the series' parts; Open SDG repositories have no Swedish, so both are in the repository's
        language), unit, divided_by_sex, direction ('up', 'down' or ''), natural_limit (NaN when none) and
        the Target fields kind ('' for a measure without an option), base_year, target_year, target (NaN
        when none) and reason.
    observations: code, year, sex, value (values present only).
    rejected: selected rows without a value.
    skipped_options: (indicator, option number, reason) of options that give no measure.
    """

    measures: pd.DataFrame
    observations: pd.DataFrame
    rejected: int
    skipped_options: list[tuple[str, int, str]]
    files: int


def plan_import(repo: OpenSdgRepository, *, country_names=()) -> ImportPlan:
    """Measures, observations and targets of a repository by the rule in the module docstring.

    `country_names` are the names of the country the data describe (e.g. 'Canada'): a disaggregation cell
    holding one of them stands for the whole country when looking for a sex breakdown.

    Raises `InputError` when a measure would get two values for one year.
    """
    country_names = frozenset(n.casefold() for n in country_names)
    options = _configured_options(repo)
    measure_rows, observation_parts, skipped, rejected = [], [], [], 0
    codes: dict[str, tuple] = {}
    for inid, info in repo.indicators.iterrows():
        if not info["data_file"]:
            skipped += [(inid, int(o["option"]), "no data file") for o in options.get(inid, [])]
            continue
        table = repo.table(inid)
        measures = _measures_of(inid, info, table, options.get(inid, []), skipped, country_names)
        for m in measures:
            if codes.setdefault(m.code, m.key) != m.key:
                # Two series can read alike ('/' inside a cell, a Series value equal to a Units value):
                # a digest of the whole key keeps them apart.
                m.code = measure_code(inid, m.parts + [hashlib.sha1(repr(m.key).encode()).hexdigest()[:8]],
                                      progress=m.progress)
            frame, without_value = _observations(m, table, Path(info["data_file"]))
            rejected += without_value
            if frame.empty:
                continue
            observation_parts.append(frame)
            measure_rows.append(_measure_row(repo, m, frame))
    observations = (pd.concat(observation_parts, ignore_index=True) if observation_parts else
                    pd.DataFrame({"code": [], "year": [], "sex": [], "value": []}))
    measures = pd.DataFrame(measure_rows, columns=["code", "indicator", "title_sv", "title_en", "unit",
                                                   "divided_by_sex",
                                                   "direction", "natural_limit", "kind", "base_year",
                                                   "target_year", "target", "reason"])
    files = int((repo.indicators["data_file"] != "").sum())
    return ImportPlan(measures, observations[["code", "year", "sex", "value"]], rejected, skipped, files)


def import_open_sdg(folder, *, country: str, country_name: str | None = None, language: str | None = None,
                    on_phase: Callable[[str], None] = lambda name: None) -> ImportSummary:
    """Import an Open SDG data repository as the series of one country; all or nothing, idempotent.

    Parameters
    ----------
    folder : path-like
        The repository's root (``data/``, ``meta/``).
    country : str
        ISO 3166-1 alpha-3 code of the area the data describe, e.g. 'CAN'; created when missing.
    country_name : str, optional
        Name for a country area created here (default: the code).
    language : str, optional
        Read the repository translated into this language (`read_open_sdg`).
    on_phase : callable
        Called with the name of each phase.

    Returns
    -------
    ImportSummary
        rejected: selected rows without a value.

    Raises
    ------
    InputError
        Bad input (file, line, column); nothing has been written.
    ValueError
        `country` is not an ISO alpha-3 code or names an area that is not a country.
    """
    started = timezone.now()
    folder = Path(folder)
    if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{3}", country):
        raise ValueError(f"`country` must be an ISO 3166-1 alpha-3 code in capitals such as 'CAN'; got {country!r}.")
    area = Area.objects.filter(code=country).first()
    if area is not None and area.level != Area.Level.COUNTRY:
        raise ValueError(f"`country` {country!r} is the code of {area}, an area of level {area.level}, "
                         "not a country.")
    on_phase("reading")
    repo = read_open_sdg(folder, language=language)
    plan = plan_import(repo, country_names=[country, area.name if area else country_name or country])
    if plan.measures.empty:
        raise InputError(folder / "data", None, "no series to import; expected data/indicator_<id>.csv files "
                                                "with rows")
    name = folder.resolve().name

    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code=SOURCE_CODE, defaults={
            "name": f"Open SDG: {name}"[:200],
            "credit": f"Källa: {name} (Open SDG-dataförråd)"[:200],
            "url": "",
        })
        batch = ImportBatch.objects.create(source=source, location=str(folder.resolve()), started_at=started,
                                           finished_at=started, files=plan.files)
        if area is None:
            area = Area.objects.create(code=country, name=country_name or country, level=Area.Level.COUNTRY)
        on_phase("key figures")
        measure_ids = _save_measures(source, plan.measures)
        obs = plan.observations
        rows = pd.DataFrame({
            "measure_id": obs["code"].map(measure_ids).to_numpy("int64"),
            "area_id": area.id,
            "year": obs["year"].to_numpy("int64"),
            "sex": obs["sex"].to_numpy(dtype=object),
            "value": obs["value"].to_numpy("float64"),
        })
        summary = save_observations(batch, rows, on_phase=on_phase)
        summary.rejected = plan.rejected
        summary.measures = len(measure_ids)
        _save_targets(plan.measures, measure_ids, set_by=f"Open SDG-konfiguration ({name})"[:200])
        _save_links(repo, plan.measures, measure_ids)
        on_phase("assessing progress")
        recompute_assessments(sorted(measure_ids.values()))
        close_batch(batch, summary, timezone.now())
    return summary


# ----------------------------------------------------------------------------------------------------
# Which rows make up which measure


def _configured_options(repo: OpenSdgRepository) -> dict[str, list[dict]]:
    """Each indicator's progress options (with Open SDG's default for an automatic one that lists none)."""
    out: dict[str, list[dict]] = {}
    for row in repo.options.to_dict("records"):
        out.setdefault(row["indicator"], []).append(row)
    for inid, auto in repo.indicators["auto_progress_calculation"].items():
        if auto and inid not in out:
            out[inid] = [{"indicator": inid, "option": 0, "line": None, "series": None, "unit": None,
                          "disaggregation": (), "base_year": float(DEFAULT_OPTION["base_year"]),
                          "target_year": float(DEFAULT_OPTION["target_year"]), "direction": -1,
                          "target": np.nan, "limit": np.nan, "default": True}]
    return out


def _measures_of(inid: str, info, table: pd.DataFrame, options: list[dict], skipped: list,
                 country_names: frozenset) -> list[_Measure]:
    columns, disaggregations = info["columns"], info["disaggregations"]
    has_series, has_units = "Series" in columns, "Units" in columns
    selections: list[tuple[np.ndarray, dict | None]] = []
    blank = np.ones(len(table), dtype=bool)
    for name in disaggregations:
        blank &= (table[name] == "").to_numpy(dtype=bool)
    headline = table.loc[blank, ["series", "units"]].drop_duplicates()
    for series, unit in headline.itertuples(index=False):
        mask, _ = select_rows(table, columns, disaggregations, series=series if has_series else None,
                              unit=unit if has_units else None)
        selections.append((mask, None))
    for option in options:
        mask, reason = select_rows(table, columns, disaggregations, series=option["series"], unit=option["unit"],
                                   disaggregation=option["disaggregation"])
        if mask is None or not mask.any():
            skipped.append((inid, int(option["option"]), reason or "selects no rows"))
            continue
        selections.append((mask, option))

    found: dict[tuple, _Measure] = {}
    for mask, option in selections:
        first = int(np.flatnonzero(mask)[0])
        series = table["series"].iat[first] if has_series else ""
        unit = table["units"].iat[first] if has_units else ""
        choices = tuple((name, table[name].iat[first]) for name in disaggregations if table[name].iat[first] != "")
        parts = [p for p in (series, unit) if p] + [value for _, value in choices]
        kinds = [False, True] if option is not None and info["has_progress_column"] else [False]
        for progress in kinds:
            key = (series, unit, choices, progress)
            if key not in found:
                m = _Measure(measure_code(inid, parts, progress=progress), inid, parts, series, unit, progress,
                             (inid, *key))
                m.rows["T"] = mask
                if not progress:
                    m.rows.update(_sex_rows(table, disaggregations, has_series, has_units, series, unit, choices,
                                            country_names))
                found[key] = m
            carries = progress or not info["has_progress_column"]
            if option is not None and carries and found[key].option is None:
                found[key].option = option
    return list(found.values())


def _sex_rows(table, disaggregations, has_series, has_units, series, unit, choices,
              country_names) -> dict[str, np.ndarray]:
    """The K and M rows of the series with these choices (see "Sex" in the module docstring)."""
    chosen = dict(choices)
    sex_columns = [c for c in disaggregations if c.casefold() in SEX_COLUMNS]
    if any(chosen[c].casefold() in _SEX_OF for c in sex_columns if c in chosen):
        return {}  # the series is one sex's own
    candidates = [c for c in sex_columns if c in chosen] or sex_columns
    same = np.ones(len(table), dtype=bool)
    if has_series:
        same &= (table["series"] == series).to_numpy(dtype=bool)
    if has_units:
        same &= (table["units"] == unit).to_numpy(dtype=bool)
    years = table["year"].str.slice(0, 4).to_numpy(dtype=object)
    for lenient in (False, True):
        for column in candidates:
            base = same.copy()
            for name in disaggregations:
                if name == column:
                    continue
                cells = table[name]
                if name in chosen:
                    base &= (cells == chosen[name]).to_numpy(dtype=bool)
                elif lenient:
                    base &= cells.map({v: _means_all(v, name, country_names) for v in cells.unique()}
                                      ).to_numpy(dtype=bool)
                else:
                    base &= (cells == "").to_numpy(dtype=bool)
            sex = table[column].str.casefold().map(_SEX_OF).to_numpy(dtype=object)
            rows = {s: base & (sex == s) for s in ("K", "M")}
            if not any(r.any() for r in rows.values()):
                continue
            if any(pd.Series(years[r]).duplicated().any() for r in rows.values()):
                return {}  # more than one row a year for one sex: no single breakdown to take
            return rows
    return {}


def _means_all(cell: str, column: str, country_names: frozenset) -> bool:
    """Whether a disaggregation cell stands for everyone, like a blank one (see "Sex" in the module docstring)."""
    cell, column = cell.casefold(), column.casefold()
    return (cell == "" or cell in country_names or cell in ALL_CELLS or cell.startswith("total, all ")
            or cell in (f"total, {column}", f"total - {column}", f"total {column}", f"all {column}",
                        f"all {column}s"))


def _observations(m: _Measure, table: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, int]:
    """The measure's rows with a value, and how many rows had none; two values for one year are an error."""
    column = "progress" if m.progress else "value"
    parts, without_value = [], 0
    for sex, mask in m.rows.items():
        values = table[column].to_numpy(dtype="float64")[mask]
        has_value = ~np.isnan(values)
        without_value += int((~has_value).sum())
        parts.append(pd.DataFrame({
            "code": m.code,
            "year": table["year"].str.slice(0, 4).astype("int64").to_numpy()[mask][has_value],
            "sex": sex,
            "value": values[has_value],
            "line": table["line"].to_numpy()[mask][has_value],
        }))
    frame = pd.concat(parts, ignore_index=True)
    twice = frame.duplicated(["year", "sex"], keep=False).to_numpy()
    if twice.any():  # only T can repeat a year: a sex breakdown that does is not taken (`_sex_rows`)
        same = frame[twice].sort_values("line")
        first = same.iloc[0]
        second = same[same["year"] == first["year"]].iloc[1]
        raise InputError(path, int(second["line"]), f"a second row for {first['year']} in the series {m.code}, "
                                                    f"as on line {int(first['line'])}; expected one row a year "
                                                    "(rows may differ only in their disaggregations)")
    return frame, without_value


def _measure_row(repo: OpenSdgRepository, m: _Measure, frame: pd.DataFrame) -> dict:
    meta = repo.meta.get(m.indicator, {})
    name = str(meta.get("indicator_name") or meta.get("graph_title") or m.indicator)
    title = f"{name} ({' / '.join(m.parts)})" if m.parts else name
    title_sv, title_en = title, title
    if m.progress:
        title_sv += " – framstegsmått (kolumnen Progress)"
        title_en += " – progress measure (column Progress)"
    unit = "" if m.progress else (m.unit or str(meta.get("computation_units") or ""))
    row = {"code": m.code, "indicator": m.indicator, "title_sv": title_sv, "title_en": title_en, "unit": unit[:64],
           "divided_by_sex": bool((frame["sex"] != "T").any()), "direction": "", "natural_limit": np.nan,
           "kind": "", "base_year": np.nan, "target_year": np.nan, "target": np.nan, "reason": ""}
    option = m.option
    if option is not None:
        meta_file = Path(repo.indicators.at[m.indicator, "meta_file"])
        where = f"meta/{meta_file.name}"
        if option.get("default"):
            reason = (f"{where}: auto_progress_calculation utan progress_calculation_options, så Open SDG:s "
                      f"standard (lägre är bättre, {DEFAULT_OPTION['base_year']}–{DEFAULT_OPTION['target_year']})")
        else:
            line = f", rad {int(option['line'])}" if pd.notna(option["line"]) else ""
            reason = f"{where}: progress_calculation_options, alternativ {int(option['option']) + 1}{line}"
        row.update(direction="up" if option["direction"] > 0 else "down", natural_limit=option["limit"],
                   kind=Target.Kind.ABSOLUTE if not np.isnan(option["target"]) else Target.Kind.DIRECTION,
                   base_year=option["base_year"], target_year=option["target_year"], target=option["target"],
                   reason=reason)
    return row


# ----------------------------------------------------------------------------------------------------
# Writing


def _none(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else x


def _save_measures(source: Source, measures: pd.DataFrame) -> dict[str, int]:
    Measure.objects.bulk_create(
        [Measure(source=source, code=r.code, title_sv=r.title_sv, title_en=r.title_en, unit=r.unit,
                 divided_by_sex=r.divided_by_sex, direction=r.direction, natural_limit=_none(r.natural_limit))
         for r in measures.itertuples()],
        update_conflicts=True, unique_fields=["code"],
        update_fields=["source", "title_sv", "title_en", "unit", "divided_by_sex", "direction", "natural_limit"],
    )
    return dict(Measure.objects.filter(code__in=measures["code"].tolist()).values_list("code", "id"))


def _save_targets(measures: pd.DataFrame, measure_ids: dict[str, int], *, set_by: str) -> None:
    """The options' targets for all areas; a target this repository set earlier for a series it no longer
    configures is removed."""
    configured = measures[measures["kind"] != ""]
    unconfigured = [measure_ids[c] for c in measures.loc[measures["kind"] == "", "code"]]
    Target.objects.filter(measure_id__in=unconfigured, area=None, set_by=set_by).delete()
    for r in configured.itertuples():
        Target.objects.update_or_create(measure_id=measure_ids[r.code], area=None, defaults={
            "kind": r.kind, "base_year": int(r.base_year), "target_year": int(r.target_year),
            "value": _none(r.target), "factor": None, "set_by": set_by, "reason": r.reason})


def _save_links(repo: OpenSdgRepository, measures: pd.DataFrame, measure_ids: dict[str, int]) -> None:
    goals = {g.code: g for g in Goal.objects.filter(framework__code="sdg")}
    targets = {t.code: t for t in GoalTarget.objects.filter(goal__framework__code="sdg")}
    indicators = {i.code: i for i in Indicator.objects.filter(goal__framework__code="sdg")}
    MeasureLink.objects.filter(measure_id__in=measure_ids.values()).delete()
    links = []
    for code, inid in zip(measures["code"], measures["indicator"]):
        dotted = inid.replace("-", ".")
        goal = goals.get(dotted.split(".")[0])
        if goal is None:
            continue
        name = repo.meta.get(inid, {}).get("indicator_name") or ""
        links.append(MeasureLink(measure_id=measure_ids[code], goal=goal,
                                 target=targets.get(".".join(dotted.split(".")[:2])),
                                 indicator=indicators.get(dotted), relation=MeasureLink.Relation.PROXY,
                                 note=f"Open SDG-indikator {inid}" + (f": {name}" if name else "")))
    MeasureLink.objects.bulk_create(links)

