from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fordela.core"
    verbose_name = "Fördela"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import record_login

        user_logged_in.connect(record_login, dispatch_uid="fordela.core.record_login")
