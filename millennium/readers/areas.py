"""Swedish areas: the DDF entity files of the Kolada extract, and boundary GeoJSON."""

import json
from pathlib import Path

import pandas as pd

from .csvfile import read_text_table
from .errors import InputError

# (file suffix, level, code column, parent column) from the country down to DeSO.
ENTITY_FILES = [
    ("rike", "country", "rike", None),
    ("region", "region", "region", "rike"),
    ("kommun", "municipality", "kommun", "region"),
    ("regso", "regso", "regso", "kommun"),
    ("deso", "deso", "deso", "regso"),
]


def read_kolada_areas(folder: Path) -> pd.DataFrame:
    """One row per area: code, name, level, parent (code, '' for the country)."""
    frames = []
    for suffix, level, code, parent in ENTITY_FILES:
        path = folder / f"ddf--entities--geo--{suffix}.csv"
        if not path.exists():
            raise InputError(path, None, "file not found; expected the DDF entity list of Kolada areas")
        table = read_text_table(path, [code, "name"] + ([parent] if parent else []))
        frames.append(pd.DataFrame({
            "code": table[code], "name": table["name"], "level": level,
            "parent": table[parent] if parent else "",
        }))
    return pd.concat(frames, ignore_index=True)


def read_boundaries(path: Path, *, code_property: str, width: int) -> dict[str, dict]:
    """Area code → GeoJSON geometry; codes are zero-padded to `width` (regions may be stored as 1, not 01)."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError) as e:
        raise InputError(path, None, f"not a GeoJSON FeatureCollection ({e})") from None
    return {str(f["properties"][code_property]).zfill(width): f["geometry"] for f in features}
