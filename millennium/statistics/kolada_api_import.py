"""`millennium import kolada --kpi …`: Kolada's API v3 into the store, all or nothing, idempotent.

Everything is fetched first (network, retries, cache), then written in one transaction: a source that fails
half-way (HTTP 500, timeout, a malformed page) raises `SourceUnavailable` before anything is written, and a
problem while writing rolls the whole import back. Re-fetching unchanged figures changes no row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from millennium.places.models import Area
from millennium.readers.http import SourceUnavailable, polite_session
from millennium.readers.kolada_api import KOLADA_V3, KoladaClient, area_code, kolada_id

from .assessing import recompute_assessments, set_default_targets
from .goal_mapping import apply_goal_mapping
from .kolada_import import KOLADA, unit_from_title
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, Source

USER_AGENT = "Millennium (municipal goal monitoring; kolada client)"
AREA_LEVELS = (Area.Level.COUNTRY, Area.Level.REGION, Area.Level.MUNICIPALITY)


class KoladaRequestError(ValueError):
    """The request itself is wrong (unknown municipality, bad years): nothing was fetched."""


@dataclass
class KoladaRequest:
    kpis: list[str]
    municipalities: list[str] | None  # our area codes; None = every municipality, region and Sweden
    years: tuple[int, int] | None  # first and last year; None = every year

    def as_parameters(self) -> dict:
        return {"kpis": self.kpis, "municipalities": self.municipalities,
                "years": list(self.years) if self.years else None}

    @classmethod
    def from_parameters(cls, p: dict) -> "KoladaRequest":
        years = p.get("years")
        return cls(list(p["kpis"]), p.get("municipalities"), (int(years[0]), int(years[1])) if years else None)


def parse_request(kpis: str, municipalities: str | None, all_areas: bool, years: str | None) -> KoladaRequest:
    """The CLI's --kpi, --municipality / --all and --years as a request; raise KoladaRequestError if unclear."""
    kpi_list = sorted({k.strip().upper() for k in kpis.split(",") if k.strip()})
    if not kpi_list:
        raise KoladaRequestError("--kpi: give at least one key figure, e.g. N00945,N01951")
    if all_areas == bool(municipalities):
        raise KoladaRequestError("give either --municipality CODE,… or --all")
    places = None if all_areas else sorted({area_code(m.strip()) for m in municipalities.split(",") if m.strip()})
    span = None
    if years:
        first, _, last = years.partition("-")
        try:
            span = (int(first), int(last or first))
        except ValueError:
            raise KoladaRequestError(f"--years {years!r}: expected a year or a span such as 2010-2024") from None
        if not 1900 <= span[0] <= span[1] <= 2100:
            raise KoladaRequestError(f"--years {years!r}: expected first ≤ last, between 1900 and 2100")
    return KoladaRequest(kpi_list, places, span)


def kolada_client(base_url: str | None = None, cache_dir: Path | None = None, *, per_page: int = 5000,
                  retries: int = 4, backoff: float = 1.0, timeout: float | tuple[float, float] = (10.0, 60.0),
                  min_interval: float = 0.2) -> KoladaClient:
    """A client on a polite session; the on-disk cache defaults to MILLENNIUM_HOME/http-cache."""
    cache = Path(cache_dir) if cache_dir is not None else Path(settings.HOME) / "http-cache"
    session = polite_session(cache, user_agent=USER_AGENT, min_interval=min_interval, retries=retries,
                             backoff=backoff, timeout=timeout)
    return KoladaClient(session, base_url or KOLADA_V3, per_page=per_page)


def import_kolada_api(
    request: KoladaRequest,
    client: KoladaClient,
    *,
    on_phase: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Fetch the key figures' metadata and values, then store them in one transaction.

    Raises `KoladaRequestError` for a wrong request and `readers.http.SourceUnavailable` when Kolada cannot
    answer (after retries) or answers something malformed; the store is then exactly as before.
    """
    phase = on_phase or (lambda name: None)
    started = timezone.now()
    areas = dict(Area.objects.filter(level__in=AREA_LEVELS).values_list("code", "id"))
    if not areas:
        raise KoladaRequestError("the store has no areas yet; run `millennium init` first")
    if request.municipalities is not None:
        unknown = [m for m in request.municipalities if m not in areas]
        if unknown:
            raise KoladaRequestError(f"--municipality: unknown code {', '.join(unknown)}; expected a municipality "
                                     "(1280), a region (12 or 0012) or Sweden (0 or 0000)")
    years = list(range(request.years[0], request.years[1] + 1)) if request.years else None
    if request.municipalities is None and years is None:
        # Kolada needs two of kpi, municipality and year: every year since its first figures.
        years = list(range(1990, started.year + 1))

    phase("fetching key figures")
    first = len(client.requested)
    measures = client.kpis(request.kpis)
    phase("fetching values")
    places = None if request.municipalities is None else [kolada_id(m) for m in request.municipalities]
    data = client.data(request.kpis, places, years)
    requests_made = client.requested[first:]

    rows = data.observations
    if not (asked := rows["measure"].isin(measures["code"])).all():
        raise SourceUnavailable(client.base_url, f"unexpected answer: values of {rows['measure'][~asked].iat[0]}, "
                                                 "a key figure not asked for")
    known = rows["area"].isin(list(areas))
    # Asked for every area, Kolada also answers for its municipality groups (G…), which are no areas of ours.
    skipped = data.skipped + int((~known).sum())
    rows = rows[known]

    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code="kolada", defaults=KOLADA)
        batch = ImportBatch.objects.create(source=source, location=_location(client.base_url, request, requests_made),
                                           started_at=started, finished_at=started, files=len(requests_made))
        phase("key figures")
        measure_ids = _save_measures(measures, source)
        table = pd.DataFrame({
            "measure_id": rows["measure"].map(measure_ids).to_numpy("int64"),
            "area_id": rows["area"].map(areas).to_numpy("int64"),
            "year": rows["year"].to_numpy("int64"),
            "sex": rows["sex"],
            "value": rows["value"].to_numpy("float64"),
        })
        summary = save_observations(batch, table, on_phase=phase)
        summary.rejected = skipped
        summary.measures = len(measure_ids)
        apply_goal_mapping()
        phase("assessing progress")
        set_default_targets()
        recompute_assessments(sorted(set(measure_ids.values())))
        close_batch(batch, summary, timezone.now())
    return summary


def _save_measures(m: pd.DataFrame, source: Source) -> dict[str, int]:
    """Create the key figures or update their titles and descriptions from Kolada's metadata; return code → id.

    Kolada's own groups (tags) come with the DDF dump only; a key figure's groups are left as they are.
    """
    Measure.objects.bulk_create(
        [Measure(source=source, code=r.code, title_sv=r.title_sv, description_sv=r.description_sv,
                 unit=unit_from_title(r.title_sv), divided_by_sex=bool(r.divided_by_sex),
                 municipality_type=r.municipality_type, operating_area=r.operating_area,
                 perspective=r.perspective, publication_date=r.publication_date)
         for r in m.itertuples()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["title_sv", "description_sv", "unit", "divided_by_sex", "municipality_type",
                       "operating_area", "perspective", "publication_date"],
    )
    return dict(Measure.objects.filter(code__in=m["code"].tolist()).values_list("code", "id"))


def _location(base_url: str, request: KoladaRequest, urls: list[str]) -> str:
    """What the batch fetched: the request in words, then every URL (pages included)."""
    places = ",".join(request.municipalities) if request.municipalities is not None else "all"
    years = f"{request.years[0]}-{request.years[1]}" if request.years else "all"
    head = f"{base_url} kpi={','.join(request.kpis)} municipality={places} years={years}"
    return "\n".join([head, *urls])


def save_municipality_groups(client: KoladaClient, ids: list[str] | None = None) -> tuple[int, int]:
    """Fetch Kolada's municipality groups (all, or `ids`) and store them; return (groups, memberships).

    Members that are no area of ours are left out. Replaces the stored members of every group fetched.
    """
    from millennium.sources.models import MunicipalityGroup

    groups = client.municipality_groups(ids)
    areas = dict(Area.objects.filter(level__in=AREA_LEVELS).values_list("code", "id"))
    now = timezone.now()
    with transaction.atomic():
        titles = groups.drop_duplicates("group_id").set_index("group_id")["group_title"]
        MunicipalityGroup.objects.bulk_create(
            [MunicipalityGroup(code=code, title=title, fetched_at=now) for code, title in titles.items()],
            update_conflicts=True, unique_fields=["code"], update_fields=["title", "fetched_at"])
        group_ids = dict(MunicipalityGroup.objects.filter(code__in=list(titles.index)).values_list("code", "id"))
        through = MunicipalityGroup.members.through
        through.objects.filter(municipalitygroup_id__in=group_ids.values()).delete()
        codes = groups["member_id"].map(area_code)
        keep = codes.isin(list(areas)).to_numpy()
        pairs = set(zip(groups["group_id"].to_numpy()[keep], codes.to_numpy()[keep]))
        through.objects.bulk_create([through(municipalitygroup_id=group_ids[g], area_id=areas[c])
                                     for g, c in sorted(pairs)])
    return len(group_ids), len(pairs)

