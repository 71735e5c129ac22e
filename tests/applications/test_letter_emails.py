"""The e-mails about an application, read as the applicant gets them: the
receipt is a "kvittens", and each e-mail ends with the agency's name and
contact (fordela.core.agency), the decision's with its letter attached."""

import email
import email.policy

from fordela.applications.models import Outcome
from fordela.applications.services import decisions

from .conftest import submitted_ngo_application

SIGNATURE = (
    "-- \nSocialstyrelsen\nTelefon 075-247 30 00, e-post socialstyrelsen@socialstyrelsen.se\n"
)


def received(smtp_sink):
    return [
        email.message_from_bytes(m.content, policy=email.policy.default) for m in smtp_sink.messages
    ]


def text_of(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content().replace("\r\n", "\n")


def test_the_receipt_and_the_decision_e_mail_say_kvittens_and_are_signed_by_the_agency(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_ngo_application(world)
    receipt = next(m for m in received(smtp_sink) if application.case_number in m["Subject"])
    assert receipt["Subject"] == f"Kvittens: ansökan {application.case_number}"
    assert "Vi har tagit emot din ansökan." in text_of(receipt)
    assert text_of(receipt).endswith(SIGNATURE)

    decisions.propose_decision(
        world.users["handlaggare"], application, Outcome.GRANTED, "Väl motiverad."
    )
    application.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(world.users["beslutsfattare"], application)
    letter = next(m for m in received(smtp_sink) if m["Subject"].startswith("Beslut:"))
    assert letter["Subject"] == f"Beslut: ansökan {application.case_number}"
    assert "Beslutsbrevet är bifogat." in text_of(letter)
    assert text_of(letter).endswith(SIGNATURE)
    attachment = next(letter.iter_attachments())
    assert attachment.get_filename() == f"beslut-{application.case_number}.pdf"
