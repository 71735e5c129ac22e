"""Background work for access: e-mail goes out from a task, never inside the
request, and is enqueued only after the transaction commits."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task


@task
def send_email(recipients: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def enqueue_email_on_commit(recipients: list[str], subject: str, body: str) -> None:
    recipients = [address for address in recipients if address]
    if recipients:
        transaction.on_commit(partial(send_email.enqueue, recipients, subject, body))
