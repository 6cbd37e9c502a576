from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "millennium.statistics"
    label = "statistics"
    verbose_name = "Key figures and observations"
