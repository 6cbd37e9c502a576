"""The good-practice library's pages: the list with search, one practice, the editor's form and publishing.

The rules of who may do what are in permissions.py; these views only apply them (404 where a draft must stay
unknown, 403 where a signed-in user lacks the right).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from millennium.frameworks.models import Goal
from millennium.places.models import Area
from millennium.statistics.models import Measure
from millennium.web.goal_page import MDG_PREFIX, goal_slug

from . import permissions, search
from .forms import PracticeForm
from .models import Practice


def _goal_from_slug(slug: str) -> Goal | None:
    framework, code = ("mdg", slug[len(MDG_PREFIX):]) if slug.startswith(MDG_PREFIX) else ("sdg", slug)
    return Goal.objects.select_related("framework").filter(framework__code=framework, code=code).first()


def practice_list(request):
    """Published practices, searched (?q=) and filtered by goal (?mal=), municipality (?kommun=) and key figure
    (?nyckeltal=); editors and approvers also see the drafts."""
    query = request.GET.get("q", "").strip()[:200]
    goal = _goal_from_slug(request.GET.get("mal", "").strip())
    area = Area.objects.filter(code=request.GET.get("kommun", "").strip(), level=Area.Level.MUNICIPALITY).first()
    measure = Measure.objects.filter(code=request.GET.get("nyckeltal", "").strip().upper()).first()

    practices = Practice.objects.published().select_related("municipality")
    if goal:
        practices = practices.filter(goals=goal)
    if area:
        practices = practices.filter(municipality=area)
    if measure:
        practices = practices.filter(measures=measure)
    ranked = search.search(query) if query else None
    if ranked is not None:
        place = {pk: i for i, pk in enumerate(ranked)}
        results = sorted(practices.filter(pk__in=ranked), key=lambda p: place[p.pk])
    else:
        results = list(practices.order_by("is_example", "-published_at", "-id"))

    drafts = []
    if request.user.is_authenticated:
        drafts = list(permissions.visible_to(request.user).filter(status=Practice.Status.DRAFT)
                      .select_related("municipality").order_by("-updated_at"))
    goals = Goal.objects.select_related("framework").order_by("-framework__code", "number")
    return render(request, "practices/list.html", {
        # A query of stop words only ("och") searches nothing: the list is shown as without one.
        "query": query, "searched": ranked is not None, "results": results,
        "goal": goal, "goal_choice": goal_slug(goal) if goal else "", "area": area, "measure": measure,
        "goals": [{"slug": goal_slug(g), "goal": g} for g in goals],
        "drafts": drafts, "can_create": permissions.can_create(request.user),
    })


def _visible_or_404(request, pk: int) -> Practice:
    practices = Practice.objects.select_related("municipality", "created_by", "published_by")
    return get_object_or_404(permissions.visible_to(request.user, practices), pk=pk)


def practice_detail(request, pk):
    practice = _visible_or_404(request, pk)
    user = request.user
    return render(request, "practices/detail.html", {
        "practice": practice,
        "goals": [{"goal": g, "slug": goal_slug(g)}
                  for g in practice.goals.select_related("framework").order_by("-framework__code", "number")],
        "targets": list(practice.targets.select_related("goal__framework")),
        "measures": list(practice.measures.order_by("code")),
        "can_edit": permissions.can_edit(user, practice),
        "can_publish": permissions.can_publish(user, practice),
        "own_text": user.has_perm(permissions.PUBLISH) and permissions.wrote(user, practice),
    })


@never_cache
@login_required
def practice_create(request):
    if not permissions.can_create(request.user):
        raise PermissionDenied
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        practice = form.save(commit=False)
        practice.created_by = practice.updated_by = request.user
        practice.status = Practice.Status.DRAFT
        practice.save()
        form.save_m2m()
        return redirect("practice", pk=practice.pk)
    return render(request, "practices/form.html", {"form": form, "practice": None})


@never_cache
@login_required
def practice_edit(request, pk):
    practice = _visible_or_404(request, pk)
    if not permissions.can_edit(request.user, practice):
        raise PermissionDenied
    was_published = practice.is_published
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        practice = form.save(commit=False)
        practice.updated_by = request.user
        if was_published:  # a changed text is approved again before the public sees it
            practice.status, practice.published_by, practice.published_at = Practice.Status.DRAFT, None, None
        practice.save()
        form.save_m2m()
        return redirect("practice", pk=practice.pk)
    return render(request, "practices/form.html", {"form": form, "practice": practice,
                                                   "was_published": was_published})


@require_POST
@login_required
def practice_publish(request, pk):
    practice = _visible_or_404(request, pk)
    if practice.is_published:
        return redirect("practice", pk=practice.pk)
    if not permissions.can_publish(request.user, practice):
        raise PermissionDenied
    practice.status = Practice.Status.PUBLISHED
    practice.published_by, practice.published_at = request.user, timezone.now()
    practice.save()
    return redirect("practice", pk=practice.pk)
