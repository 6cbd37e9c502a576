"""Staff upload their municipality's own key figures (upload → preview → confirm), and every import batch has a
public page showing what it added and changed.

Who may upload: an editor or approver of the municipality's organisation, or a site administrator. Others
signed in get 403; a pending upload that is not theirs is a 404, as if it did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from millennium.organisations.models import MUNICIPALITY_ROLES, Organisation
from millennium.organisations.roles import has_role, is_site_admin
from millennium.places.models import Area
from millennium.statistics.models import ImportBatch, Observation, ObservationChange
from millennium.statistics.spreadsheet_export import municipality_rows, template_rows, write_csv, write_xlsx
from millennium.statistics.spreadsheet_import import import_checked
from millennium.web.downloads import XLSX_TYPE
from millennium.web.gap_pages import municipality_or_404

from . import upload
from .forms import UploadForm

ROWS_PER_PAGE = 50


def _may_upload(user, municipality: Area) -> bool:
    if is_site_admin(user):
        return True
    organisation = Organisation.objects.filter(area=municipality, kind=Organisation.Kind.MUNICIPALITY).first()
    return has_role(user, organisation, *MUNICIPALITY_ROLES)


def _municipality_for_staff(request, code: str) -> Area:
    municipality = municipality_or_404(code)
    if not _may_upload(request.user, municipality):
        raise PermissionDenied
    return municipality


@never_cache
@login_required
def upload_form(request, code):
    municipality = _municipality_for_staff(request, code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = upload.store(form.cleaned_data["file"], municipality, request.user)
        except upload.UploadRefused as e:
            form.add_error("file", str(e))
        else:
            return redirect("data_upload_preview", code=municipality.code, token=pending.token)
    return render(request, "sources/upload.html", {"municipality": municipality, "form": form},
                  status=400 if form.errors else 200)


def _page_number(request, name: str) -> int:
    try:
        return max(1, int(request.GET.get(name, "1")))
    except ValueError:
        return 1


@never_cache
@login_required
def upload_preview(request, code, token):
    municipality = _municipality_for_staff(request, code)
    pending = upload.find(token, municipality, request.user)
    if pending is None:
        raise Http404("no such upload")
    shown = upload.preview(pending, municipality, _page_number(request, "sida"))
    return render(request, "sources/preview.html", {"municipality": municipality, "pending": pending,
                                                    "preview": shown, "pages": range(1, shown.pages + 1)})


@never_cache
@login_required
@require_POST
def upload_confirm(request, code, token):
    municipality = _municipality_for_staff(request, code)
    pending = upload.find(token, municipality, request.user)
    if pending is None:
        raise Http404("no such upload")
    shown = upload.preview(pending, municipality)
    if shown.checked is None:  # not valid: nothing is written; the preview says why
        return render(request, "sources/preview.html", {"municipality": municipality, "pending": pending,
                                                        "preview": shown, "pages": range(1, shown.pages + 1),
                                                        "refused": True}, status=400)
    claimed = upload.claim(pending)
    if claimed is None:  # confirmed already, by another click
        raise Http404("no such upload")
    try:
        summary = import_checked(shown.checked, location=f"{pending.name} ({upload.IMPORTED}/…)",
                                 imported_by=request.user.get_username())
    except BaseException:
        upload.release(claimed)
        raise
    kept = upload.keep_imported(claimed, summary.batch_id)
    ImportBatch.objects.filter(id=summary.batch_id).update(
        location=f"{pending.name} → {kept.relative_to(kept.parents[2])}")
    return redirect("import_batch", batch_id=summary.batch_id)


def spreadsheet_template(request, extension):
    """The empty template with one example row; public, like the documentation."""
    rows = template_rows()
    return _file(write_xlsx(rows) if extension == "xlsx" else write_csv(rows), extension, "nyckeltal-mall")


def municipality_spreadsheet(request, code, extension):
    """All of a municipality's stored figures in the template: public data, to fill in and upload again."""
    municipality = municipality_or_404(code)
    rows = municipality_rows(municipality)
    return _file(write_xlsx(rows) if extension == "xlsx" else write_csv(rows), extension,
                 f"nyckeltal-{municipality.code}")


def _file(content: bytes, extension: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE if extension == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@never_cache
def import_batches(request):
    """Every import batch, newest first."""
    page = Paginator(ImportBatch.objects.select_related("source").order_by("-finished_at", "-id"),
                     ROWS_PER_PAGE).get_page(request.GET.get("sida"))
    return render(request, "sources/batches.html", {"page": page})


def _figure_link(area: Area, measure_code: str) -> str | None:
    """The key-figure page that shows this value, where there is one."""
    if area.level == Area.Level.MUNICIPALITY:
        return reverse("municipality_measure", args=[area.code, measure_code])
    if area.level == Area.Level.REGION:
        return reverse("region_measure", args=[area.code, measure_code])
    municipality = area.parent
    while municipality is not None and municipality.level != Area.Level.MUNICIPALITY:
        municipality = municipality.parent
    if municipality is not None:
        return reverse("municipality_district_measure", args=[municipality.code, measure_code])
    return None


RELATED = ["measure", "area__parent__parent"]


@never_cache
def import_batch(request, batch_id):
    """One import: where from, when, how many rows, and the values it added and changed (paged tables).

    Not cached: a later import can change what this page lists (a value added here and changed since).
    """
    batch = get_object_or_404(ImportBatch.objects.select_related("source"), id=batch_id)
    changes = ObservationChange.objects.filter(batch=batch)
    added = Observation.objects.filter(batch=batch)
    if batch.rows_changed:
        added = added.exclude(id__in=changes.values("observation_id"))
    added_page = Paginator(added.select_related(*RELATED).order_by("id"), ROWS_PER_PAGE).get_page(
        request.GET.get("tillagda"))
    changed_page = Paginator(changes.select_related(*[f"observation__{r}" for r in RELATED], "previous_batch")
                             .order_by("id"), ROWS_PER_PAGE).get_page(request.GET.get("andrade"))
    # Values this batch added that a later batch has changed: their value from this batch is the change's old one.
    later = (ObservationChange.objects.filter(previous_batch=batch).exclude(observation__changes__batch=batch)
             .select_related(*[f"observation__{r}" for r in RELATED], "batch").order_by("id"))
    later_page = Paginator(later, ROWS_PER_PAGE).get_page(request.GET.get("senare"))
    for row in added_page:
        row.link = _figure_link(row.area, row.measure.code)
    for row in list(changed_page) + list(later_page):
        row.link = _figure_link(row.observation.area, row.observation.measure.code)
    return render(request, "sources/batch.html", {
        "batch": batch, "added_page": added_page, "changed_page": changed_page, "later_page": later_page,
        "query": request.GET})
