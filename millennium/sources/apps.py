from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "millennium.sources"
    verbose_name = _("Källor, prenumerationer och uppladdningar")
