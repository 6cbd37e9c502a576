"""Kolada's DDF-CSV dump (open-numbers/ddf--kolada--dump) as tidy tables.

Layout: `ddf--concepts.csv` (KPI metadata), `ddf--entities--tag.csv` (Kolada KPI groups),
`ddf--entities--geo--*.csv` (areas) and one datapoints file per KPI and breakdown:
`ddf--datapoints--<kpi>--by--geo--year.csv` (columns geo,year,<kpi>; the total for both sexes) and
`ddf--datapoints--<kpi>--by--geo--gender--year.csv` (geo,gender,year,<kpi>; gender k = women, m = men).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .areas import read_kolada_areas
from .csvfile import first_bad, parse_numbers, parse_years, read_text_table
from .errors import InputError

SEXES = ["T", "K", "M"]  # total, kvinnor (women), män (men)
_GENDER_TO_SEX = {"k": 1, "m": 2}
_DATAPOINTS = re.compile(r"ddf--datapoints--(?P<kpi>[a-z0-9_]+)--by--(?P<keys>[a-z_]+(?:--[a-z_]+)*)\.csv")
_CONCEPT_COLUMNS = ["concept", "concept_type", "name", "description", "tags", "municipality_type",
                    "is_divided_by_gender"]


@dataclass
class KoladaDump:
    measures: pd.DataFrame  # code, title_sv, description_sv, municipality_type, divided_by_sex, groups, ...
    groups: pd.DataFrame  # code, name, parent
    observations: pd.DataFrame  # measure, area, year, sex (categoricals), value; file, line for messages
    files: list[Path]
    empty_values: int  # rows without a value: Kolada's way of saying "no data", skipped

    def where(self, row: int) -> tuple[Path, int]:
        """File and line an observation row was read from."""
        obs = self.observations
        return self.files[int(obs["file"].iat[row])], int(obs["line"].iat[row])


def datapoint_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("ddf--datapoints--*.csv"))


def read_kolada_ddf(
    folder: Path,
    *,
    area_codes: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> KoladaDump:
    """Read and check the whole dump; raise `InputError` (file:line:column) at the first problem.

    `area_codes` are the codes an observation may refer to; by default the dump's own entity files.
    """
    folder = Path(folder)
    concepts_path = folder / "ddf--concepts.csv"
    if not concepts_path.exists():
        raise InputError(concepts_path, None, "file not found; expected a Kolada DDF folder with ddf--concepts.csv")
    concepts = read_text_table(concepts_path, _CONCEPT_COLUMNS, one_line_rows=False)
    measures = _measures(concepts[concepts["concept_type"] == "measure"])
    groups = _groups(folder / "ddf--entities--tag.csv")

    if area_codes is None:
        area_codes = read_kolada_areas(folder)["code"].tolist()
    areas = pd.Index(sorted(set(area_codes)))
    measure_index = pd.Index(measures["concept"])

    files = datapoint_files(folder)
    if not files:
        raise InputError(folder, None, "no ddf--datapoints--*.csv files found")
    parts = []
    empty = 0
    for file_no, path in enumerate(files):
        part, skipped = _read_datapoints(path, file_no, measure_index, areas)
        parts.append(part)
        empty += skipped
        if progress:
            progress(file_no + 1, len(files))

    columns = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    used = np.zeros(len(measure_index), dtype=bool)
    used[[measure_index.get_loc(_kpi(p)) for p in files]] = True
    # Renumber measure codes to the used measures only, so categories and `measures` rows align.
    renumber = np.cumsum(used) - 1
    observations = pd.DataFrame({
        "measure": pd.Categorical.from_codes(renumber[columns["measure"]],
                                             categories=measure_index[used].str.upper()),
        "area": pd.Categorical.from_codes(columns["area"], categories=areas),
        "year": columns["year"],
        "sex": pd.Categorical.from_codes(columns["sex"], categories=SEXES),
        "value": columns["value"],
        "file": columns["file"],
        "line": columns["line"],
    })
    dump = KoladaDump(measures[used].reset_index(drop=True), groups, observations, files, empty)
    _check_unique(dump)
    return dump


def _kpi(path: Path) -> str:
    match = _DATAPOINTS.fullmatch(path.name)
    if not match:
        raise InputError(path, None, "unexpected file name; expected ddf--datapoints--<kpi>--by--geo[--gender]--year.csv")
    return match["kpi"]


def _read_datapoints(path: Path, file_no: int, measures: pd.Index, areas: pd.Index) -> tuple[dict, int]:
    kpi = _kpi(path)
    keys = _DATAPOINTS.fullmatch(path.name)["keys"].split("--")
    if keys not in (["geo", "year"], ["geo", "gender", "year"]):
        raise InputError(path, None, f"unsupported breakdown {'/'.join(keys)}; expected geo/year or geo/gender/year")
    if kpi not in measures:
        raise InputError(path, None, f"measure {kpi!r} is not described in ddf--concepts.csv")
    table = read_text_table(path, keys + [kpi])

    values = parse_numbers(path, kpi, table[kpi], allow_empty=True)
    years = parse_years(path, "year", table["year"])
    area = areas.get_indexer(table["geo"])
    if (i := first_bad(area < 0)) is not None:
        raise InputError(path, i + 2, f"unknown area code {table['geo'].iat[i]!r}; expected a Swedish area "
                                      "code (0 = Sweden, 01 = a region, 0114 = a municipality)", "geo")
    if "gender" in keys:
        sex = table["gender"].map(_GENDER_TO_SEX)
        if (i := first_bad(sex.isna().to_numpy())) is not None:
            raise InputError(path, i + 2, f"unknown gender {table['gender'].iat[i]!r}; expected k or m", "gender")
        sex = sex.to_numpy(dtype="int8")
    else:
        sex = np.zeros(len(table), dtype="int8")

    keep = ~np.isnan(values)
    n = int(keep.sum())
    part = {
        "measure": np.full(n, measures.get_loc(kpi), dtype="int32"),
        "area": area[keep].astype("int32"),
        "year": years[keep],
        "sex": sex[keep],
        "value": values[keep],
        "file": np.full(n, file_no, dtype="int32"),
        "line": (np.flatnonzero(keep) + 2).astype("int32"),
    }
    return part, len(table) - n


def _check_unique(dump: KoladaDump) -> None:
    obs = dump.observations
    key = (
        (obs["measure"].cat.codes.to_numpy("int64") * len(obs["area"].cat.categories)
         + obs["area"].cat.codes.to_numpy("int64")) * 2000 + (obs["year"].to_numpy("int64") - 1000)
    ) * 3 + obs["sex"].cat.codes.to_numpy("int64")
    if (i := first_bad(pd.Series(key).duplicated().to_numpy())) is not None:
        path, line = dump.where(i)
        raise InputError(path, line, f"a second value for {obs['measure'].iat[i]}, area {obs['area'].iat[i]}, "
                                     f"year {obs['year'].iat[i]}, sex {obs['sex'].iat[i]}; expected one value per key")


def _measures(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "concept": rows["concept"].to_numpy(),
        "code": rows["concept"].str.upper().to_numpy(),
        "title_sv": rows["name"].to_numpy(),
        # The dump keeps Kolada's line breaks as the two characters backslash and n.
        "description_sv": rows["description"].str.replace("\\n", "\n", regex=False).str.strip().to_numpy(),
        "municipality_type": rows["municipality_type"].to_numpy(),
        "divided_by_sex": (rows["is_divided_by_gender"] == "1").to_numpy(),
        "operating_area": rows.get("operating_area", pd.Series("", index=rows.index)).to_numpy(),
        "perspective": rows.get("perspective", pd.Series("", index=rows.index)).to_numpy(),
        "publication_date": rows.get("publication_date", pd.Series("", index=rows.index)).to_numpy(),
        "groups": [[t for t in tags.split(",") if t and t != "_none"] for tags in rows["tags"]],
    })


def _groups(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame({"code": [], "name": [], "parent": []})
    table = read_text_table(path, ["tag", "name", "parent"], one_line_rows=False)
    return pd.DataFrame({"code": table["tag"], "name": table["name"], "parent": table["parent"]})
