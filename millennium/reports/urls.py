from django.urls import path

from millennium.web.page_cache import cached_page as cached

from . import views

# Cached per data version like the site's pages: a report takes seconds to make, and is the same until the
# next import.
urlpatterns = [
    path("kommun/<str:code>/rapport/", cached(views.municipality_report), name="municipality_report"),
    path("kommun/<str:code>/rapport.pdf", cached(views.municipality_report_pdf), name="municipality_report_pdf"),
]
