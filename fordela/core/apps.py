from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fordela.core"
    verbose_name = "Fördela"
