from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "eo152.web"
    label = "eo152_web"
    verbose_name = "eo152 pages"
