"""What the stages' services share: locking an application and moving it
through ``APPLICATION_TRANSITIONS``.

The lock order of the applications' services, one for all of them so that
two of them at once wait for each other and never deadlock:

1. the call (its budget), ``FOR NO KEY UPDATE`` — only the services that
   check or change what is granted take it: deciding and sending back
   (``lock_for_decision``);
2. the application (``lock``);
3. the application's own rows: its decision, completion and consultation
   requests.

A service may skip a step but never takes an earlier one after a later one
(never the call after the application). Each lock names the rows it means
(``of=``), so the call, pool and organisation read along with the
application stay unlocked. The call's lock is ``NO KEY UPDATE`` so that
starting an application or proposing a decision (whose rows only refer to
the call) need not wait for it.
"""

from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.core import states

from ..models import APPLICATION_TRANSITIONS, Application, ApplicationStatus, Call

# The statuses in which the handläggare assesses an application.
UNDER_ASSESSMENT = (ApplicationStatus.SUBMITTED, ApplicationStatus.COMPLETION_REQUESTED)


def require_handlaggare(user) -> None:
    require_staff(user, StaffAction.ASSESS_APPLICATIONS)


def lock(application: Application) -> Application:
    """The application, locked for the rest of the transaction (its call,
    pool and organisation are read, not locked)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__pool", "organisation")
        .get(pk=application.pk)
    )


def lock_for_decision(application: Application) -> tuple[Call, Application]:
    """The application's call and the application, locked in that order:
    decisions and send-backs in one call are checked one after the other
    against its budget."""
    call = (
        Call.objects.select_for_update(no_key=True, of=("self",))
        .select_related("pool")
        .get(pk=application.call_id)
    )
    return call, lock(application)


def transition(application: Application, target: str) -> None:
    refusal = _("An application that is %(status)s cannot be changed that way.")
    states.move(application, target, APPLICATION_TRANSITIONS, refusal)
