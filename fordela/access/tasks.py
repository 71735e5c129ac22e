"""Background work for access: e-mail goes out from a task, never inside the
request, and is enqueued only after the transaction commits."""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import TaskContext, task

from fordela.core.tasks import send_once


@task(takes_context=True)
def send_email(context: TaskContext, recipients: list[str], subject: str, body: str) -> int:
    """Send one e-mail, once however often the task runs: its key is the
    task's own id, which stays the same when the task runs again."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return send_once(f"task:{context.task_result.id}", message)


def enqueue_email_on_commit(recipients: list[str], subject: str, body: str) -> None:
    recipients = [address for address in recipients if address]
    if recipients:
        transaction.on_commit(partial(send_email.enqueue, recipients, subject, body))
