from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "millennium.frameworks"
    verbose_name = "Goal frameworks"
