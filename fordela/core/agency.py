"""The agency that sends the letters: its name, address block and contact.

Read from the settings (``FORDELA_AGENCY_*``) here and nowhere else, so a
letter template names ``agency.phone`` instead of writing the number, and a
change of address is one setting."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .formatting import organisation_number


@dataclass(frozen=True)
class Agency:
    name: str
    organisation_number: str  # written 202100-0555
    postal_address: str
    visiting_address: str
    phone: str
    email: str
    website: str


def agency() -> Agency:
    return Agency(
        name=settings.FORDELA_AGENCY_NAME,
        organisation_number=organisation_number(settings.FORDELA_AGENCY_ORGNR),
        postal_address=settings.FORDELA_AGENCY_POSTAL_ADDRESS,
        visiting_address=settings.FORDELA_AGENCY_VISITING_ADDRESS,
        phone=settings.FORDELA_AGENCY_PHONE,
        email=settings.FORDELA_AGENCY_EMAIL,
        website=settings.FORDELA_AGENCY_WEBSITE,
    )


def email_signature() -> str:
    """The agency's name and contact, the last lines of each e-mail it sends
    about a case (after the usual "-- " separator), in the active language."""
    sender = agency()
    contact = _("Phone %(phone)s, e-mail %(email)s") % {
        "phone": sender.phone,
        "email": sender.email,
    }
    return f"-- \n{sender.name}\n{contact}\n"
