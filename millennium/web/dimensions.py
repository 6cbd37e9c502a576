"""The SDGs as the three dimensions of sustainability (ecological, social, economic), as Malmö framed its work.

Which goal belongs to which dimension is `data/dimensions.csv`, taken from the Stockholm Resilience Centre's
"SDG wedding cake" (Rockström and Sukhdev, 2016): the biosphere (goals 6, 13, 14, 15) carries society
(1, 2, 3, 4, 5, 7, 11, 16), which carries the economy (8, 9, 10, 12); goal 17, partnership, runs through all.
"""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DIMENSIONS_FILE = Path(__file__).resolve().parent / "data" / "dimensions.csv"

SOURCE = "Stockholm Resilience Centre (2016), “The SDGs wedding cake”"
SOURCE_URL = "https://www.stockholmresilience.org/research/research-news/2016-06-14-the-sdgs-wedding-cake.html"

# In the order of the wedding cake, from the base up.
DIMENSIONS = {
    "ecological": {"name": _("Ekologisk hållbarhet"), "layer": _("biosfären")},
    "social": {"name": _("Social hållbarhet"), "layer": _("samhället")},
    "economic": {"name": _("Ekonomisk hållbarhet"), "layer": _("ekonomin")},
    "partnership": {"name": _("Partnerskap för genomförandet"), "layer": _("genom alla skikt")},
}


@cache
def goal_dimensions() -> dict[str, str]:
    """SDG goal code ("1" … "17") → dimension key."""
    with DIMENSIONS_FILE.open(encoding="utf-8", newline="") as f:
        return {row["sdg_goal"]: row["dimension"] for row in csv.DictReader(f)}
