"""Load Swedish areas and their boundaries from the data folder into the store (idempotent)."""

from pathlib import Path

from django.db import transaction

from millennium.readers.areas import read_boundaries, read_kolada_areas

from .models import Area

LEVEL_ORDER = ["country", "region", "municipality", "regso", "deso"]


@transaction.atomic
def load_areas(data_dir: Path) -> dict[str, int]:
    """Create or update every area in `data_dir/kolada`, parents before children; attach boundaries."""
    areas = read_kolada_areas(data_dir / "kolada")
    boundaries = {
        **read_boundaries(data_dir / "geo" / "swedish_regions.geojson", code_property="l_id", width=2),
        **read_boundaries(data_dir / "geo" / "swedish_municipalities.geojson", code_property="id", width=4),
    }
    ids: dict[str, int] = dict(Area.objects.values_list("code", "id"))
    counts = {}
    for level in LEVEL_ORDER:
        rows = areas[areas["level"] == level]
        Area.objects.bulk_create(
            [
                Area(code=r.code, name=r.name, level=level, parent_id=ids.get(r.parent),
                     geometry=boundaries.get(r.code))
                for r in rows.itertuples()
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent", "geometry"],
            batch_size=2000,
        )
        ids = dict(Area.objects.values_list("code", "id"))
        counts[level] = len(rows)
    return counts
