from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

# Swedish pages have no prefix (/kommun/1280/), English ones /en/ (/en/kommun/1280/): a shared link keeps its language.
urlpatterns = i18n_patterns(
    path("", include("millennium.web.urls")),
    path("", include("millennium.practices.urls")),
    prefix_default_language=False,
)
