from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "eo152.api"
    label = "eo152_api"
    verbose_name = "eo152 HTTP API"
