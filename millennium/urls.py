from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from millennium.api.api import api

# Swedish pages have no prefix (/kommun/1280/), English ones /en/ (/en/kommun/1280/): a shared link keeps its language.
# The API is not translated: its fields carry both languages (title_sv, title_en), so no /en/ prefix.
urlpatterns = [path("api/v1/", api.urls)] + i18n_patterns(
    path("", include("millennium.web.urls")),
    path("", include("millennium.practices.urls")),
    path("", include("millennium.organisations.urls")),
    path("", include("millennium.programme.urls")),
    path("", include("millennium.sources.urls")),
    path("", include("millennium.reports.urls")),
    prefix_default_language=False,
)
