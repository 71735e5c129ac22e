from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Login, the agency's staff roles, organisations' users and roles, and
    ombud applications (*ombudsansökningar*)."""

    name = "fordela.access"
    verbose_name = _("E-service access")
