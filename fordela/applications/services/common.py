"""What the stages' services share: locking an application and moving it
through ``APPLICATION_TRANSITIONS``."""

from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.core import states

from ..models import APPLICATION_TRANSITIONS, Application, ApplicationStatus

# The statuses in which the handläggare assesses an application.
UNDER_ASSESSMENT = (ApplicationStatus.SUBMITTED, ApplicationStatus.COMPLETION_REQUESTED)


def require_handlaggare(user) -> None:
    require_staff(user, StaffAction.ASSESS_APPLICATIONS)


def lock(application: Application) -> Application:
    """The application, locked for the rest of the transaction."""
    return (
        Application.objects.select_for_update()
        .select_related("call__pool", "organisation")
        .get(pk=application.pk)
    )


def transition(application: Application, target: str) -> None:
    refusal = _("An application that is %(status)s cannot be changed that way.")
    states.move(application, target, APPLICATION_TRANSITIONS, refusal)
