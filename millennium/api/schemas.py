"""Shapes of the API's answers (pydantic, via ninja) and of its common parameters."""

from typing import Any

from ninja import Schema

#: Codes of areas, measures, frameworks and goals: letters, digits and _ . : - (Gapminder's measures have a prefix).
CODE_PATTERN = r"^[A-Za-z0-9_.:\-]{1,128}$"
MAX_LIMIT = 10000
MAX_OFFSET = 10**9


class Error(Schema):
    """404: `detail` is a sentence; 422: a sentence or ninja's list of invalid parameters."""
    detail: str | list[dict[str, Any]]


ERRORS = {404: Error, 422: Error, 429: Error}
#: The write endpoints': 400 a body that is not JSON, 401 no or an unknown/revoked token, 403 a scope or an
#: organisation's data the token does not have, 422 invalid rows, 429 too many requests.
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 422: Error, 429: Error}


class Page(Schema):
    count: int
    limit: int
    offset: int


class FrameworkOut(Schema):
    code: str
    kind: str
    name_sv: str
    name_en: str


class GoalOut(Schema):
    code: str
    number: int
    short_sv: str
    short_en: str
    title_sv: str
    title_en: str


class IndicatorOut(Schema):
    code: str
    title_sv: str
    title_en: str


class TargetOut(Schema):
    code: str
    title_sv: str
    title_en: str
    indicators: list[IndicatorOut]


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None


class AreaDetail(AreaOut):
    geometry: dict[str, Any] | None


class AreaPage(Page):
    items: list[AreaOut]


class MeasureOut(Schema):
    code: str
    title_sv: str
    title_en: str
    unit: str
    source: str
    divided_by_sex: bool
    direction: str


class MeasureGoal(Schema):
    framework: str
    goal: str
    target: str | None
    indicator: str | None
    relation: str


class MeasureDetail(MeasureOut):
    description_sv: str
    municipality_type: str
    operating_area: str
    perspective: str
    publication_date: str
    natural_limit: float | None
    source_credit: str
    goals: list[MeasureGoal]


class MeasurePage(Page):
    items: list[MeasureOut]


class ObservationOut(Schema):
    measure: str
    area: str
    year: int
    sex: str
    value: float
    batch: int


class ObservationPage(Page):
    items: list[ObservationOut]


class AssessmentOut(Schema):
    measure: str
    area: str
    sex: str
    method: str
    status: str
    reason: str
    base_year: int | None
    base_value: float | None
    current_year: int | None
    current_value: float | None
    target_value: float | None
    progress_value: float | None
    score: float | None


class AssessmentPage(Page):
    items: list[AssessmentOut]


class PeerOut(Schema):
    code: str
    name: str
    distance: float | None
    similar_on: list[str]
    differs_on: list[str]
