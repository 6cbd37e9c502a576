"""Frameworks (MDG, SDG, local), their goals, and a goal's targets with their indicators."""

from collections import defaultdict

from ninja import Path, Router
from ninja.decorators import decorate_view

from millennium.frameworks.models import Framework, Goal, Indicator, Target

from .conditional import etag_view
from .lookups import framework_id, goal_id
from .schemas import CODE_PATTERN, ERRORS, FrameworkOut, GoalOut, TargetOut

router = Router(tags=["frameworks"])


@router.get("/frameworks", response={200: list[FrameworkOut], **ERRORS})
@decorate_view(etag_view)
def frameworks(request):
    return list(Framework.objects.order_by("code").values("code", "kind", "name_sv", "name_en"))


@router.get("/frameworks/{code}/goals", response={200: list[GoalOut], **ERRORS})
@decorate_view(etag_view)
def goals(request, code: str = Path(..., pattern=CODE_PATTERN)):
    framework = framework_id(code)
    return list(Goal.objects.filter(framework_id=framework).order_by("number")
                .values("code", "number", "short_sv", "short_en", "title_sv", "title_en"))


@router.get("/goals/{framework}/{code}/targets", response={200: list[TargetOut], **ERRORS})
@decorate_view(etag_view)
def targets(request, framework: str = Path(..., pattern=CODE_PATTERN), code: str = Path(..., pattern=CODE_PATTERN)):
    goal = goal_id(framework, code)
    indicators = defaultdict(list)
    # One query for every (target, indicator) pair: MDG indicators serve several targets.
    for target, *fields in (Indicator.targets.through.objects.filter(target__goal_id=goal)
                            .order_by("indicator__position")
                            .values_list("target_id", "indicator__code", "indicator__title_sv", "indicator__title_en")):
        indicators[target].append(dict(zip(("code", "title_sv", "title_en"), fields)))
    return [{**row, "indicators": indicators[row.pop("id")]}
            for row in Target.objects.filter(goal_id=goal).order_by("position")
            .values("id", "code", "title_sv", "title_en")]
