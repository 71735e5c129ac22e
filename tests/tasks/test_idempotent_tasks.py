"""Every task may run twice (fordela.core.tasks); what it sends, it sends
once: the same run again sends nothing, a failed send is not recorded so the
next run sends, a letter is stored once, and a bulk run that was cut short
resumes where it stopped with its progress counted from the database."""

import smtplib

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from fordela.access.tasks import send_email
from fordela.applications.models import BulkRunStatus, Decision
from fordela.applications.services import decisions
from fordela.applications.tasks import (
    letter_filename,
    run_bulk_decisions,
    send_decision_letter,
    send_receipt,
)
from fordela.core.models import SentMessage
from fordela.core.tasks import send_once

from .conftest import proposals

pytestmark = pytest.mark.django_db


def letters(outbox) -> list[str]:
    """The case numbers of the decision letters sent, in order."""
    return sorted(m.subject.split()[-1] for m in outbox if m.attachments)


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_send_once_sends_a_key_once():
    message = EmailMessage("Kvitto", "Text", to=["a@example.se"])
    assert send_once("receipt:1", message) == 1
    assert send_once("receipt:1", message) == 0
    assert send_once("receipt:2", message) == 1
    assert len(mail.outbox) == 2


def test_a_failed_send_is_not_recorded_so_the_next_run_sends(monkeypatch):
    message = EmailMessage("Kvitto", "Text", to=["a@example.se"])
    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refused)
        with pytest.raises(smtplib.SMTPException):
            send_once("receipt:1", message)
    assert not SentMessage.objects.exists()
    assert send_once("receipt:1", message) == 1
    assert len(mail.outbox) == 1


def refused(self, messages):
    raise smtplib.SMTPServerDisconnected("the mail server went away")


def test_the_application_receipt_task_run_again_sends_nothing(world):
    [application] = proposals(world, 1)  # its receipt is not sent: no commit here
    assert send_receipt.call(application.pk) == 1
    assert send_receipt.call(application.pk) == 0
    [receipt] = mail.outbox
    assert application.case_number in receipt.subject


def test_an_email_task_run_twice_by_the_worker_sends_once(database_queue):
    result = send_email.enqueue(["a@example.se"], "Inbjudan", "Välkommen")
    row = DBTaskResult.objects.get(id=result.id)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    )
    worker.run_task(row)
    worker.run_task(row)  # as after a requeue: the same row, the same id
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(id=result.id).return_value == 0


def test_the_letter_task_run_twice_stores_and_sends_one_letter(world, media):
    [application] = proposals(world, 1)
    decision = decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    assert send_decision_letter.call(decision.pk) == 1
    assert send_decision_letter.call(decision.pk) == 0
    assert letters(mail.outbox) == [application.case_number]
    [stored] = files_under(media / "decisions")
    decision.refresh_from_db()
    assert stored.name == letter_filename(decision)
    assert stored == media / decision.letter.name


def test_a_stored_letter_is_sent_as_stored_and_not_made_again(world, media, monkeypatch):
    [application] = proposals(world, 1)
    decision = decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    decision.letter.save(letter_filename(decision), ContentFile(b"%PDF stored"))
    monkeypatch.setattr("fordela.applications.letters.render_letter", unexpected)
    send_decision_letter.call(decision.pk)
    [message] = [m for m in mail.outbox if m.attachments]
    assert message.attachments[0][1] == b"%PDF stored"


def test_a_letter_file_a_dead_worker_left_unrecorded_is_replaced(world, media):
    [application] = proposals(world, 1)
    decision = decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    name = decision.letter.field.generate_filename(decision, letter_filename(decision))
    decision.letter.storage.save(name, ContentFile(b"%PDF half written"))
    send_decision_letter.call(decision.pk)
    decision.refresh_from_db()
    assert decision.letter.name == name
    assert files_under(media / "decisions") == [media / name]
    assert (media / name).read_bytes().startswith(b"%PDF-")


def unexpected(*args, **kwargs):
    raise AssertionError("the letter was made again")


class WorkerKilled(BaseException):
    """What SIGKILL does to a task, as far as the database can tell: it stops
    between two statements."""


def test_a_bulk_run_cut_short_resumes_and_sends_every_letter_once(world, media, monkeypatch):
    applications = proposals(world, 5)
    run = decisions.start_bulk_decisions(world.users["beslutsfattare"], world.ngo_call)
    sent_before = len(mail.outbox)
    real_send = EmailBackend.send_messages

    def dies_on_the_third_letter(self, messages):
        if len(mail.outbox) - sent_before == 2:
            raise WorkerKilled
        return real_send(self, messages)

    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", dies_on_the_third_letter)
        with pytest.raises(WorkerKilled):
            run_bulk_decisions.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == (BulkRunStatus.RUNNING, 2, 5)
    assert Decision.objects.filter(decided_at__isnull=False).count() == 5

    assert run_bulk_decisions.call(run.pk) == 5
    run.refresh_from_db()
    assert (run.status, run.done, run.total, run.errors) == (BulkRunStatus.DONE, 5, 5, [])
    expected = sorted(a.case_number for a in applications)
    assert letters(mail.outbox) == expected
    assert len(files_under(media / "decisions")) == 5

    assert run_bulk_decisions.call(run.pk) == 0  # finished: a third run does nothing
    assert letters(mail.outbox) == expected


def test_a_bulk_run_resumed_after_its_decisions_sends_the_letters(world, media):
    proposals(world, 3)
    run = decisions.start_bulk_decisions(world.users["beslutsfattare"], world.ngo_call)
    run_bulk_decisions.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.done) == (BulkRunStatus.DONE, 3)
    # Run as a dead worker's task again: already finished, nothing more.
    assert run_bulk_decisions.call(run.pk) == 0
    assert len(letters(mail.outbox)) == 3
