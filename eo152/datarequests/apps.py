from django.apps import AppConfig


class DataRequestsConfig(AppConfig):
    name = "eo152.datarequests"
    label = "datarequests"
    verbose_name = "Federal data requests"
    default_auto_field = "django.db.models.BigAutoField"
