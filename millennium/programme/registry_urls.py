"""The public registry of the designation programmes, the diplomas and the programme's report (staff only)."""

from django.urls import path

from . import programme_report, registry

urlpatterns = [
    path("utmarkelser/", registry.registries, name="registries"),
    path("utmarkelser/<slug:slug>/", registry.registry, name="registry"),
    path("utmarkelser/<slug:slug>/<int:designation_id>/diplom.pdf", registry.diploma, name="diploma"),
    path("utmarkelser/<slug:slug>/rapport.pdf", programme_report.report_pdf_view, name="programme_report_pdf"),
    path("utmarkelser/<slug:slug>/rapport.csv", programme_report.report_csv_view, name="programme_report_csv"),
]
