"""Gapminder's Systema Globalis in DDF-CSV: country series by year (geo,time,<concept>).

Countries are keyed by Gapminder's lower-case code, mostly ISO 3166 alpha-3 ('swe'); a few territories
without an ISO code keep Gapminder's own ('abkh').
"""

from pathlib import Path

import numpy as np
import pandas as pd

from .csvfile import first_bad, parse_numbers, parse_years, read_text_table
from .errors import InputError


def read_countries(folder: Path) -> pd.DataFrame:
    """code (Gapminder's, upper-cased: 'SWE'), name, iso_numeric."""
    path = Path(folder) / "ddf--entities--geo--country.csv"
    if not path.exists():
        raise InputError(path, None, "file not found; expected Gapminder's list of countries")
    table = read_text_table(path, ["country", "name", "iso3166_1_numeric"], one_line_rows=False)
    return pd.DataFrame({"code": table["country"].str.upper(), "name": table["name"],
                         "iso_numeric": table["iso3166_1_numeric"]})


def read_concepts(folder: Path) -> pd.DataFrame:
    path = Path(folder) / "ddf--concepts.csv"
    table = read_text_table(path, ["concept", "name", "description"], one_line_rows=False)
    return table.set_index("concept")


def read_series(folder: Path, concepts: list[str], *, last_year: int) -> pd.DataFrame:
    """Rows concept, country (upper-cased code), year, value for these concepts, years ≤ `last_year`.

    Gapminder extends some series with projections up to 2100; `last_year` keeps observed years only.
    """
    countries = set(read_countries(folder)["code"])
    frames = []
    for concept in concepts:
        path = Path(folder) / "countries-etc-datapoints" / f"ddf--datapoints--{concept}--by--geo--time.csv"
        if not path.exists():
            raise InputError(path, None, f"file not found; expected the datapoints of {concept}")
        table = read_text_table(path, ["geo", "time", concept])
        geo = table["geo"].str.upper()
        if (i := first_bad(~geo.isin(countries).to_numpy())) is not None:
            raise InputError(path, i + 2, f"unknown country {table['geo'].iat[i]!r}", "geo")
        years = parse_years(path, "time", table["time"])
        values = parse_numbers(path, concept, table[concept], allow_empty=True)
        keep = ~np.isnan(values) & (years <= last_year)
        frames.append(pd.DataFrame({"concept": concept, "country": geo[keep].to_numpy(),
                                    "year": years[keep], "value": values[keep]}))
    return pd.concat(frames, ignore_index=True)
