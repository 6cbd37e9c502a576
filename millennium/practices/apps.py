from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "millennium.practices"
    label = "practices"
    verbose_name = "Good practices"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the search index in step with the practices)
