from django.urls import path, re_path

from . import views

urlpatterns = [
    # Staff of a municipality: upload its own key figures, see the preview, confirm (docs/kalkylark.md).
    path("kommun/<str:code>/data/ladda-upp/", views.upload_form, name="data_upload"),
    path("kommun/<str:code>/data/ladda-upp/<str:token>/", views.upload_preview, name="data_upload_preview"),
    path("kommun/<str:code>/data/ladda-upp/<str:token>/bekrafta/", views.upload_confirm, name="data_upload_confirm"),
    re_path(r"^kommun/(?P<code>[^/]+)/data/nyckeltal\.(?P<extension>xlsx|csv)$", views.municipality_spreadsheet,
            name="municipality_spreadsheet"),
    re_path(r"^data/nyckeltal-mall\.(?P<extension>xlsx|csv)$", views.spreadsheet_template,
            name="spreadsheet_template"),
    # Provenance: every import batch, what it added and changed. Public, as the data is.
    path("import/", views.import_batches, name="import_batches"),
    path("import/<int:batch_id>/", views.import_batch, name="import_batch"),
]
