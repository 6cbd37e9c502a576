from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "millennium.web"
    verbose_name = "Public website"
