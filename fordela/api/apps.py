from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fordela.api"
    label = "fordela_api"
    verbose_name = "Public API"
