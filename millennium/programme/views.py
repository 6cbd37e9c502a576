"""The programme's pages: programmes, applications and their answers, reviews, decisions, the inbox.

Who sees what (see access.py): an application exists only for the applying municipality's members and, once
handed in, for programme staff and site admins; to anyone else it is a 404, so a guessed id tells nothing.
Who may act comes from workflow.py; these views only apply its answers: 403 for a lacking role, 409 for a
state in which the action does not apply.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from millennium.organisations.models import Role
from millennium.organisations.roles import is_programme_staff, organisations_where
from millennium.practices.models import Practice

from . import access, workflow
from .followup import cited, start_follow_up
from .forms import (ANSWER_FORMS, CriterionFormSet, DecisionForm, GoalAnalysisForm, ProgrammeForm, ReasonForm,
                    ReviewForm)
from .models import (Answer, Application, Criterion, Designation, GoalAnalysis, Notification, Programme, Review,
                     ReviewScore)

# URL slugs (Swedish) of the actions posted to /ansokan/<id>/<slug>/; approve and reject go through the decision.
ACTION_SLUGS = {"skicka": workflow.Action.SUBMIT, "ta-upp": workflow.Action.START_REVIEW,
                "komplettering": workflow.Action.REQUEST_CHANGES, "skicka-igen": workflow.Action.RESUBMIT,
                "ta-tillbaka": workflow.Action.WITHDRAW}
SLUG_OF_ACTION = {action: slug for slug, action in ACTION_SLUGS.items()}


def _refused(request, error, status: int):
    return render(request, "programme/refused.html", {"message": str(error), "status": status}, status=status)


def _registry_url(programme) -> str:
    return reverse("programme:registry", args=[programme.slug])


# — programmes (public) —

def programme_list(request):
    programmes = Programme.objects.prefetch_related("criteria")
    return render(request, "programme/programme_list.html", {
        "programmes": [{"programme": p, "registry_url": _registry_url(p),
                        "designated": p.designations.filter(lapsed_at__isnull=True).count()} for p in programmes],
    })


def programme_detail(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    user = request.user
    return render(request, "programme/programme_detail.html", {
        "programme": programme, "criteria": programme.criteria.filter(is_active=True),
        "registry_url": _registry_url(programme),
        "can_apply": programme.is_active and access.applying_organisations(user).exists(),
        "can_list": access.sees_applications(user),
        "can_manage": access.manages_programmes(user),
    })


# — applications —

@never_cache
@login_required
def application_list(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    user = request.user
    if not access.sees_applications(user):
        raise PermissionDenied
    applications = (access.visible_applications(user).filter(programme=programme)
                    .select_related("organisation", "designation").order_by("-updated_at"))
    own = organisations_where(user, Role.EDITOR, Role.APPROVER)
    designations = (Designation.objects.filter(programme=programme, organisation__in=own)
                    .select_related("organisation").order_by("-valid_from"))
    return render(request, "programme/application_list.html", {
        "programme": programme, "applications": applications, "designations": designations,
        "can_apply": programme.is_active and access.applying_organisations(user).exists(),
        "today": timezone.localdate(),
    })


@never_cache
@login_required
def application_create(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    organisations = access.applying_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    if not programme.is_active:
        return _refused(request, gettext("Programmet tar inte emot ansökningar."), 409)
    if request.method == "POST":
        organisation = organisations.filter(pk=request.POST.get("organisation")).first()
        if organisation is None:
            raise PermissionDenied
        with transaction.atomic():
            existing = Application.objects.filter(programme=programme, organisation=organisation,
                                                  kind=Application.Kind.APPLICATION,
                                                  state__in=workflow.OPEN_STATES).first()
            if existing:
                return redirect("programme:application", pk=existing.pk)
            application = Application.objects.create(programme=programme, organisation=organisation,
                                                     created_by=request.user)
        return redirect("programme:application", pk=application.pk)
    return render(request, "programme/application_create.html", {"programme": programme,
                                                                 "organisations": organisations})


def _visible_or_404(request, pk) -> Application:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(access.visible_applications(request.user)
                             .select_related("programme", "organisation__area", "designation"), pk=pk)


def _answers(application):
    answers = {a.criterion_id: a for a in application.answers.prefetch_related(
        "goal_analyses__goal", "goal_analyses__measures", "goal_analyses__practices")}
    return [{"criterion": c, "answer": answers.get(c.pk)}
            for c in application.programme.criteria.filter(is_active=True)]


def _detail_context(request, application, **extra):
    user = request.user
    staff = access.is_staff_reader(user)
    actions = workflow.available_actions(user, application)
    designation = _designation_of(application)
    return {
        "application": application, "programme": application.programme,
        "rows": _answers(application),
        "can_edit": workflow.can_edit_answers(user, application),
        "actions": [{"action": a, "slug": SLUG_OF_ACTION[a], "label": workflow.ACTION_LABELS[a],
                     "needs_reason": workflow.TRANSITIONS[application.state, a].needs_reason}
                    for a in actions if a in SLUG_OF_ACTION],
        "can_decide": any(a in (workflow.Action.APPROVE, workflow.Action.REJECT) for a in actions),
        "can_review": workflow.can_review(user, application),
        "reviews": (application.reviews.select_related("reviewer").prefetch_related("scores__criterion")
                    if staff else []),
        "decision": getattr(application, "decision", None),
        "designation": designation,
        "diploma_url": _diploma_url(designation),
        "history": application.transitions.select_related("by"),
        "gaps": workflow.missing_answers(application) if application.is_editable else [],
        **extra,
    }


def _diploma_url(designation) -> str | None:
    """The diploma's address, for a designation in force."""
    if designation is None or not designation.is_active():
        return None
    return reverse("programme:diploma", args=[designation.programme.slug, designation.pk])


def _designation_of(application):
    if application.kind == Application.Kind.FOLLOW_UP:
        return application.designation
    return Designation.objects.filter(application=application).first()


@never_cache
@login_required
def application_detail(request, pk):
    application = _visible_or_404(request, pk)
    return render(request, "programme/application_detail.html", _detail_context(request, application))


@never_cache
@login_required
def answer_edit(request, pk, criterion):
    application = _visible_or_404(request, pk)
    criterion = get_object_or_404(Criterion, pk=criterion, programme=application.programme, is_active=True)
    if not workflow.is_member(request.user, application.organisation):
        raise PermissionDenied
    if not application.is_editable:
        return _refused(request, gettext("Ansökan är %(state)s och kan inte ändras nu.")
                        % {"state": application.get_state_display()}, 409)
    answer = Answer.objects.filter(application=application, criterion=criterion).first() or Answer(
        application=application, criterion=criterion)
    form_class = ANSWER_FORMS[criterion.kind]
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES or None, instance=answer, prefix="answer")
    goal_forms = []
    if criterion.kind == Criterion.Kind.GOAL_ANALYSIS:
        practices = Practice.objects.published().filter(municipality=application.organisation.area).order_by("title")
        existing = {ga.goal_id: ga for ga in answer.goal_analyses.all()} if answer.pk else {}
        for goal in workflow.expected_goals(application):
            instance = existing.get(goal.pk) or GoalAnalysis(goal=goal)
            goal_forms.append({"goal": goal, "form": GoalAnalysisForm(data, instance=instance, prefix=f"goal{goal.pk}",
                                                                      practices=practices)})
    if request.method == "POST" and form.is_valid() and all(g["form"].is_valid() for g in goal_forms):
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if not locked.is_editable:
                return _refused(request, gettext("Ansökan kan inte ändras nu."), 409)
            answer = form.save(commit=False)
            answer.application, answer.criterion, answer.updated_by = application, criterion, request.user
            answer.save()
            for item in goal_forms:
                analysis = item["form"].save(commit=False)
                analysis.answer, analysis.goal = answer, item["goal"]
                measures = item["form"].cleaned_data["measures"]
                analysis.cited_assessments = cited(application.organisation.area, measures)
                analysis.save()
                analysis.measures.set(measures)
                analysis.practices.set(item["form"].cleaned_data["practices"])
        return redirect(reverse("programme:application", args=[application.pk]) + f"#criterion-{criterion.pk}")
    return render(request, "programme/answer_form.html", {
        "application": application, "criterion": criterion, "form": form, "goal_forms": goal_forms,
        "answer": answer if answer.pk else None,
    })


@require_POST
@login_required
def application_transition(request, pk, action):
    application = _visible_or_404(request, pk)
    action = ACTION_SLUGS.get(action)
    if action is None:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        workflow.perform(application.pk, action, request.user, reason)
    except workflow.NotAllowed as error:
        return _refused(request, error, 403)
    except workflow.WrongState as error:
        return _refused(request, error, 409)
    except workflow.Incomplete as error:
        application.refresh_from_db()
        return render(request, "programme/application_detail.html",
                      _detail_context(request, application, action_error=str(error), failed_action=action),
                      status=400)
    return redirect("programme:application", pk=application.pk)


@never_cache
@login_required
def review_edit(request, pk):
    application = _visible_or_404(request, pk)
    user = request.user
    if not is_programme_staff(user):
        raise PermissionDenied
    if workflow.is_conflicted(user, application):
        return _refused(request, gettext("Du tillhör den sökande kommunen och kan inte granska dess ansökan."), 403)
    if application.state != Application.State.IN_REVIEW:
        return _refused(request, gettext("Ansökan är %(state)s; den kan granskas först när den har tagits upp.")
                        % {"state": application.get_state_display()}, 409)
    review = Review.objects.filter(application=application, reviewer=user).first()
    criteria = application.programme.criteria.filter(is_active=True)
    scores = {s.criterion_id: s for s in review.scores.all()} if review else {}
    form = ReviewForm(request.POST or None, criteria=criteria, scores=scores,
                      initial={"summary": review.summary if review else ""})
    error = None
    if request.method == "POST" and form.is_valid():
        if review and review.submitted_at:
            return _refused(request, gettext("Din granskning är redan inlämnad."), 409)
        with transaction.atomic():
            review, _created = Review.objects.get_or_create(application=application, reviewer=user)
            review.summary = form.cleaned_data["summary"]
            review.save()
            for criterion in form.criteria:
                score = form.cleaned_data[f"score_{criterion.pk}"]
                if score:
                    ReviewScore.objects.update_or_create(review=review, criterion=criterion, defaults={
                        "score": score, "comment": form.cleaned_data[f"comment_{criterion.pk}"]})
        if "hand_in" in request.POST:
            try:
                workflow.submit_review(review, user)
            except workflow.WorkflowError as problem:
                error = str(problem)
            else:
                return redirect("programme:application", pk=application.pk)
        else:
            return redirect("programme:review", pk=application.pk)
    return render(request, "programme/review_form.html", {
        "application": application, "form": form, "review": review, "error": error,
    }, status=400 if error else 200)


@never_cache
@login_required
def decision(request, pk):
    application = _visible_or_404(request, pk)
    user = request.user
    if not is_programme_staff(user, Role.PROGRAMME_ADMIN):
        raise PermissionDenied
    if workflow.is_conflicted(user, application):
        return _refused(request, gettext("Du tillhör den sökande kommunen och kan inte besluta om dess ansökan."), 403)
    if application.state != Application.State.IN_REVIEW:
        return _refused(request, gettext("Ansökan är %(state)s; beslut fattas om ansökningar som granskas.")
                        % {"state": application.get_state_display()}, 409)
    form = DecisionForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        action = workflow.Action.APPROVE if form.cleaned_data["outcome"] == "approve" else workflow.Action.REJECT
        try:
            workflow.perform(application.pk, action, user, form.cleaned_data["reason"])
        except workflow.NotAllowed as problem:
            return _refused(request, problem, 403)
        except workflow.WrongState as problem:
            return _refused(request, problem, 409)
        except workflow.Incomplete as problem:
            error = str(problem)
        else:
            return redirect("programme:application", pk=application.pk)
    reviews = application.reviews.filter(submitted_at__isnull=False).select_related("reviewer").prefetch_related(
        "scores__criterion")
    return render(request, "programme/decision_form.html", {
        "application": application, "form": form, "reviews": reviews, "error": error,
    }, status=400 if error or form.errors else 200)


@never_cache
@login_required
def minutes(request, pk, answer):
    """The minutes PDF of an answer, only to those who may see the application."""
    application = _visible_or_404(request, pk)
    answer = get_object_or_404(Answer, pk=answer, application=application)
    if not answer.minutes:
        raise Http404
    try:
        handle = answer.minutes.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf", as_attachment=False,
                            filename=f"protokoll-{application.pk}-{answer.criterion.code}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_POST
@login_required
def follow_up_start(request, pk):
    designation = get_object_or_404(Designation, pk=pk)
    organisations = access.applying_organisations(request.user)
    if not organisations.filter(pk=designation.organisation_id).exists():
        # Another municipality's designation is public (the registry), so 403 rather than 404.
        raise PermissionDenied
    try:
        follow_up = start_follow_up(designation, request.user)
    except workflow.WorkflowError as error:
        return _refused(request, error, 409)
    return redirect("programme:application", pk=follow_up.pk)


# — inbox —

@never_cache
@login_required
def inbox(request):
    notifications = Notification.objects.filter(user=request.user)[:200]
    return render(request, "programme/inbox.html", {
        "notifications": notifications,
        "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
    })


@require_POST
@login_required
def inbox_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("programme:inbox")


# — programme admin —

@never_cache
@login_required
def criteria_edit(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    if not access.manages_programmes(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, instance=programme, prefix="programme")
    formset = CriterionFormSet(request.POST or None, instance=programme, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
        return redirect("programme:programme", slug=programme.slug)
    return render(request, "programme/criteria_form.html", {"programme": programme, "form": form,
                                                            "formset": formset},
                  status=400 if request.method == "POST" else 200)
