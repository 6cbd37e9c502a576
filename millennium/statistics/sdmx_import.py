"""`millennium import sdmx FILE [--structure DSD.xml] [--area-map MAP.csv]`: an SDMX data file into the store.

The file is read by `millennium.readers.sdmx_files` (SDMX-ML generic or structure-specific, SDMX-CSV 1.0 or
2.0), e.g. what the UN SDG Global Database's SDMX API answers for dataflow IAEG-SDGs:DF_SDG_GLH.

**Measures.** One per series (the SERIES dimension: SDG series codes such as ``SI_POV_DAY1``), code
``SDMX:{agency}:{series}``, e.g. ``SDMX:IAEG-SDGs:SI_POV_DAY1``; a series given in two units becomes one
measure per unit (code ending ``/{unit}``). Title: the series' name in the structure, else its code. Unit:
the unit's name in the structure, else its code.

**SDG indicators.** A series is linked (directly: it is the UN's own series for the indicator) to the SDG
indicator(s) that its structure annotates (``Indicator`` on the SERIES code, e.g. ``1.1.1``) or that an
``SDG_INDICATOR`` / ``INDICATOR_REF`` column (or ``INDICATOR`` beside ``SERIES``) names, and through them to
their target and goal.

**Rows.** Which rows are a measure's observations:

- Sex: ``_T`` → T, ``F`` → K, ``M`` → M. A series whose rows all have one sex (SG_GEN_PARL, seats held by
  women: F) is a measure *of* that group and is stored as T. Other sex codes (``_U`` unknown …) are left out.
- Other breakdowns (AGE, URBANISATION, …): a dimension with one value throughout the series is part of its
  definition (SH_DYN_IMRT is AGE ``Y0``); where it varies, only the total (``_T``, ``_Z`` or empty) is kept:
  the store has no age or income breakdown yet.
- Periods that are not years (``2020-Q1``, ``2020-01``) and cells without a value are left out.
- Where one key has both a global (REPORTING_TYPE ``G``) and a national (``N``) figure, the global one is
  kept: the global database's figure is the comparable one.
- Areas: a row's REF_AREA becomes an area of the store by, in order, the ``--area-map`` file (CSV with
  columns ``code,area``), the UN M49 code's ISO 3166 alpha-3 code for data in the SDG structure (agency
  IAEG-SDGs; e.g. 752 → SWE, from ``country-codes/country-codes.csv`` in the data folder; the country area is
  created when missing, as the Gapminder import does), or the code itself where the store has it. Regions
  and groups without an area (1 World, 150 Europe …) are left out and named in the summary.

Left-out rows are counted in `rejected` (by reason in `left_out`). All or nothing: the file is read and
mapped before anything is written, then written in one transaction; a second import of the same file finds
nothing new. Observation flags (OBS_STATUS, NATURE) are not stored.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from millennium.frameworks.models import Indicator
from millennium.frameworks.models import Target as GoalTarget
from millennium.places.models import Area
from millennium.readers import InputError
from millennium.readers.sdmx_files import SEX_OF, TOTALS, SdmxData, read_sdmx_file, read_structure

from .assessing import recompute_assessments
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, MeasureLink, Source

__all__ = ["import_sdmx", "plan_sdmx", "SdmxPlan", "SdmxSummary", "measure_code", "SDG_AGENCY"]

SDG_AGENCY = "IAEG-SDGs"
UNSD = {"code": "unsd-sdg", "name": "FN:s globala SDG-databas (UNSD)",
        "credit": "Källa: FN:s statistikavdelning (UNSD), Global SDG Indicators Database",
        "url": "https://unstats.un.org/sdgs/dataportal"}
MAX_CODE_LENGTH = Measure._meta.get_field("code").max_length


def measure_code(agency: str, series: str, unit: str | None = None) -> str:
    """The measure of a series (in one unit where the series has several).

    >>> measure_code("IAEG-SDGs", "SI_POV_DAY1")
    'SDMX:IAEG-SDGs:SI_POV_DAY1'
    """
    return (f"SDMX:{agency}:{series}" if agency else f"SDMX:{series}") + (f"/{unit}" if unit else "")


@dataclass
class SdmxPlan:
    """What an import writes, from the file alone: measures (code, series, title, unit, indicators,
    divided_by_sex), observations (code, area — the file's code, year, sex, value) and rows left out by reason."""

    measures: pd.DataFrame
    observations: pd.DataFrame
    left_out: dict[str, int]


@dataclass
class SdmxSummary(ImportSummary):
    left_out: dict[str, int] = field(default_factory=dict)
    unknown_areas: list[str] = field(default_factory=list)


def plan_sdmx(data: SdmxData, *, unit_names: dict[str, str] | None = None, source: Path | str = "<SDMX>") -> SdmxPlan:
    """Measures and observations by the rules in the module docstring (areas are mapped by the import)."""
    rows = data.rows
    keep = np.ones(len(rows), dtype=bool)
    left_out: dict[str, int] = {}

    def drop(reason: str, mask: np.ndarray) -> None:
        nonlocal keep
        newly = keep & mask
        if newly.any():
            left_out[reason] = left_out.get(reason, 0) + int(newly.sum())
        keep &= ~mask

    drop("no value", rows["value"].isna().to_numpy())
    drop("period not a year", rows["year"].isna().to_numpy())
    by_series = rows.groupby("series")
    for b in data.breakdowns:
        varies = by_series[b].transform("nunique").to_numpy() > 1
        drop(f"breakdown by {b}", varies & ~rows[b].isin(TOTALS).to_numpy())
    one_sex = by_series["sex"].transform("nunique").to_numpy() == 1
    sex = np.where(one_sex, "T", rows["sex"].map(SEX_OF).fillna("").to_numpy())
    drop("sex other than total, women, men", sex == "")

    kept = rows[keep].assign(sex=sex[keep])
    units_of = kept.groupby("series")["unit"].nunique()
    several_units = set(units_of[units_of > 1].index)
    kept = kept.assign(code=[measure_code(data.agency, s, u if s in several_units else None)
                             for s, u in zip(kept["series"], kept["unit"])])
    # The global figure first, then drop a key's later rows.
    kept = kept.assign(_order=(kept["reporting_type"] != "G").astype(int)).sort_values("_order", kind="stable")
    twice = kept.duplicated(["code", "area", "year", "sex"], keep="first").to_numpy()
    if twice.any():
        conflicts = kept[twice & (kept["_order"] == 0).to_numpy()]
        if len(conflicts):
            c = conflicts.iloc[0]
            raise InputError(source, None,
                             f"series {c['series']}, area {c['area']}, {c['year']}: two values for one key that "
                             "differ in no dimension the store keeps; expected one value per series, area, year "
                             "and sex")
        left_out["national figure beside the global one"] = int(twice.sum())
        kept = kept[~twice]
    observations = kept.sort_index()[["code", "series", "area", "year", "sex", "value", "unit"]].reset_index(drop=True)
    observations["year"] = observations["year"].astype("int64")

    info = data.series.set_index("code")
    measures = []
    for code, part in observations.groupby("code", sort=True):
        series, unit = part["series"].iloc[0], part["unit"].iloc[0]
        name = info.at[series, "name"] if series in info.index and info.at[series, "name"] else series
        measures.append({"code": code, "series": series, "title": str(name),
                         "unit": (unit_names or {}).get(unit, unit)[:64],
                         "indicators": list(info.at[series, "indicators"]) if series in info.index else [],
                         "divided_by_sex": bool((part["sex"] != "T").any())})
    return SdmxPlan(measures=pd.DataFrame(measures, columns=["code", "series", "title", "unit", "indicators",
                                                             "divided_by_sex"]),
                    observations=observations.drop(columns=["unit"]), left_out=left_out)


def import_sdmx(path: Path | str, *, structure: Path | str | None = None, area_map: Path | str | None = None,
                location: str | None = None, on_phase: Callable[[str], None] = lambda name: None) -> SdmxSummary:
    """Import an SDMX data file; see the module docstring. All or nothing, idempotent.

    `location` is what the import batch records as where the data came from (default: the file's path), e.g.
    the URL of the SDMX API request the file was downloaded from.

    Raises
    ------
    InputError
        Bad input (file, line, column); nothing has been written.
    """
    started = timezone.now()
    path = Path(path)
    on_phase("reading")
    info = read_structure(structure) if structure else None
    data = read_sdmx_file(path, structure=info)
    plan = plan_sdmx(data, unit_names=info.unit_names if info else None, source=path)
    if plan.observations.empty:
        reasons = ", ".join(f"{n} {why}" for why, n in plan.left_out.items()) or "none"
        raise InputError(path, None, f"no observation to import (left out: {reasons})")
    mapping = _read_area_map(Path(area_map)) if area_map else {}
    areas = dict(Area.objects.values_list("code", "id"))
    uses_m49 = data.agency == SDG_AGENCY
    m49 = _m49_countries() if uses_m49 else {}
    area_names = (info.area_names if info else None) or {}

    target_of, create = {}, {}
    for code in sorted(set(plan.observations["area"])):
        if code in mapping:
            target_of[code] = mapping[code]
        elif uses_m49 and code.lstrip("0") in m49:
            alpha3, name = m49[code.lstrip("0")]
            target_of[code] = alpha3
            if alpha3 not in areas:
                create[alpha3] = area_names.get(code) or name
        elif code in areas:
            target_of[code] = code
    unmapped_targets = sorted({t for t in target_of.values() if t not in areas and t not in create})
    if unmapped_targets:
        raise InputError(area_map, None, f"area code(s) {', '.join(unmapped_targets[:10])} of the area map are not "
                                         "areas in the store")
    unknown = sorted(set(plan.observations["area"]) - set(target_of), key=lambda c: (len(c), c))
    obs = plan.observations[plan.observations["area"].isin(target_of)]
    left_out = dict(plan.left_out)
    if unknown:
        left_out["area not in the store"] = int(len(plan.observations) - len(obs))
    target = obs["area"].map(target_of)
    clash = obs.assign(target=target).duplicated(["code", "target", "year", "sex"], keep=False).to_numpy()
    if clash.any():
        both = sorted(set(obs.loc[clash, "area"]), key=lambda c: (len(c), c))
        raise InputError(area_map or path, None, f"areas {', '.join(both)} of the file become the same area "
                                                 f"{target[clash].iloc[0]} of the store; expected one file area per "
                                                 "store area")
    if obs.empty:
        raise InputError(path, None, f"no observation for an area in the store; the file's areas: "
                                     f"{', '.join(unknown[:10])}; give an --area-map")

    with transaction.atomic():
        source = _source(data.agency, data.dataflow)
        batch = ImportBatch.objects.create(source=source, location=location or str(path.resolve()),
                                           started_at=started, finished_at=started, files=1 + bool(structure))
        if create:
            Area.objects.bulk_create([Area(code=c, name=n, level=Area.Level.COUNTRY) for c, n in create.items()])
            areas = dict(Area.objects.values_list("code", "id"))
        on_phase("key figures")
        measures = plan.measures[plan.measures["code"].isin(obs["code"])]
        measure_ids = _save_measures(source, measures, data)
        rows = pd.DataFrame({
            "measure_id": obs["code"].map(measure_ids).to_numpy("int64"),
            "area_id": obs["area"].map(target_of).map(areas).to_numpy("int64"),
            "year": obs["year"].to_numpy("int64"),
            "sex": obs["sex"].to_numpy(dtype=object),
            "value": obs["value"].to_numpy("float64"),
        })
        saved = save_observations(batch, rows, on_phase=on_phase)
        _save_links(measures, measure_ids)
        on_phase("assessing progress")
        recompute_assessments(sorted(measure_ids.values()))
        saved.rejected = sum(left_out.values())
        saved.measures = len(measure_ids)
        close_batch(batch, saved, timezone.now())
    return SdmxSummary(**vars(saved), left_out=left_out, unknown_areas=unknown)


def _source(agency: str, dataflow: str) -> Source:
    if agency == SDG_AGENCY:
        defaults = {k: v for k, v in UNSD.items() if k != "code"}
        return Source.objects.update_or_create(code=UNSD["code"], defaults=defaults)[0]
    name = agency or dataflow or "SDMX"
    return Source.objects.update_or_create(code=f"sdmx:{name}"[:32], defaults={
        "name": name[:200], "credit": f"Källa: {name}"[:200], "url": ""})[0]


def _save_measures(source: Source, measures: pd.DataFrame, data: SdmxData) -> dict[str, int]:
    def description(r) -> str:
        text = f"SDMX-serie {r.series}" + (f" ({data.agency}, {data.dataflow})" if data.dataflow else "")
        if r.indicators:
            text += ". SDG-indikator " + ", ".join(r.indicators)
        return text + "."

    Measure.objects.bulk_create(
        [Measure(source=source, code=r.code[:MAX_CODE_LENGTH], title_sv=r.title, title_en=r.title, unit=r.unit,
                 description_sv=description(r), divided_by_sex=r.divided_by_sex) for r in measures.itertuples()],
        update_conflicts=True, unique_fields=["code"],
        update_fields=["source", "title_sv", "title_en", "unit", "description_sv", "divided_by_sex"],
    )
    return dict(Measure.objects.filter(code__in=measures["code"].tolist()).values_list("code", "id"))


def _save_links(measures: pd.DataFrame, measure_ids: dict[str, int]) -> None:
    indicators = {i.code: i for i in Indicator.objects.filter(goal__framework__code="sdg").select_related("goal")}
    targets = {(t.goal_id, t.code): t for t in GoalTarget.objects.filter(goal__framework__code="sdg")}
    MeasureLink.objects.filter(measure_id__in=measure_ids.values()).delete()
    links = {}
    for r in measures.itertuples():
        for code in r.indicators:
            indicator = indicators.get(code)
            if indicator is None:
                continue
            target = targets.get((indicator.goal_id, ".".join(code.split(".")[:2])))
            links.setdefault((r.code, indicator.goal_id), MeasureLink(
                measure_id=measure_ids[r.code], goal=indicator.goal, target=target, indicator=indicator,
                relation=MeasureLink.Relation.DIRECT, note=f"SDG-serie {r.series} för indikator {code}"))
    MeasureLink.objects.bulk_create(links.values())


def _read_area_map(path: Path) -> dict[str, str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames is None or not {"code", "area"} <= set(reader.fieldnames):
                raise InputError(path, 1, f"expected the columns code,area; found {','.join(reader.fieldnames or [])}")
            mapping = {}
            for line, row in enumerate(reader, start=2):
                if not row["code"] or not row["area"]:
                    raise InputError(path, line, "expected a code and an area", column="code" if not row["code"]
                                     else "area")
                mapping[row["code"].strip()] = row["area"].strip()
            return mapping
    except OSError as e:
        raise InputError(path, None, f"cannot read the area map ({e})") from None


def _m49_countries() -> dict[str, tuple[str, str]]:
    """UN M49 code (no leading zeros) → (ISO 3166 alpha-3, English short name), from the data folder."""
    path = Path(settings.DATA_DIR) / "country-codes" / "country-codes.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["M49"].strip().lstrip("0"): (r["ISO3166-1-Alpha-3"].strip(),
                                               r["UNTERM English Short"].strip() or r["official_name_en"].strip())
                for r in csv.DictReader(f) if r["M49"].strip() and r["ISO3166-1-Alpha-3"].strip()}
