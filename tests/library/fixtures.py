"""What the library's tests share: the partners (Socialstyrelsen, NCK at
Uppsala universitet, Barnafrid at Linköpings universitet), their editors and
the agency's, and a way to make an entry through the services."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.library import services
from fordela.library.models import MaterialKind, TargetGroup, Topic
from fordela.organisations.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory


@dataclass
class Library:
    agency: Organisation
    nck: Organisation
    barnafrid: Organisation
    kommun: Organisation
    handlaggare: object  # the agency's editor (EDIT_MATERIALS)
    beslutsfattare: object  # agency staff without EDIT_MATERIALS
    nck_editor: object  # representant of NCK's university
    barnafrid_editor: object  # uppgiftssamordnare of Barnafrid's university
    kommun_ombud: object  # ombud of a kommun: not a publisher


def _user(username: str):
    return get_user_model().objects.create_user(
        username=username, password="pw", email=f"{username}@example.se"
    )


def _partner(name: str, kind: str, key: str) -> Organisation:
    return OrganisationFactory(
        name=name, kind=kind, reference_key=key, municipality_code=None, organisation_number=""
    )


def make_library() -> Library:
    agency = _partner("Socialstyrelsen", OrganisationKind.AGENCY, "socialstyrelsen")
    nck = _partner(
        "Uppsala universitet (Nationellt centrum för kvinnofrid, NCK)",
        OrganisationKind.UNIVERSITY,
        "uu-nck",
    )
    barnafrid = _partner(
        "Linköpings universitet (Barnafrid)", OrganisationKind.UNIVERSITY, "liu-barnafrid"
    )
    kommun = OrganisationFactory(name="Ale kommun")
    users = {}
    for name, role in (
        ("handlaggare", StaffRole.HANDLAGGARE),
        ("beslutsfattare", StaffRole.BESLUTSFATTARE),
    ):
        users[name] = _user(name)
        StaffAssignment.objects.create(user=users[name], role=role)
    for name, organisation, role in (
        ("nck_editor", nck, OrganisationRole.REPRESENTANT),
        ("barnafrid_editor", barnafrid, OrganisationRole.UPPGIFTSSAMORDNARE),
        ("kommun_ombud", kommun, OrganisationRole.OMBUD),
    ):
        users[name] = _user(name)
        Membership.objects.create(user=users[name], organisation=organisation, role=role)
    return Library(agency=agency, nck=nck, barnafrid=barnafrid, kommun=kommun, **users)


def values(publisher: Organisation, **changes) -> services.MaterialValues:
    fields = {
        "title": "Webbkurs om våld",
        "summary": "En introduktionskurs om våld i nära relationer för yrkesverksamma.",
        "publisher": publisher,
        "kind": MaterialKind.WEB_COURSE,
        "publisher_unit": "",
        "url": "https://www.nck.uu.se/kunskapsbanken/",
        "target_groups": [TargetGroup.SOCIAL_SERVICES],
        "topics": [Topic.INTIMATE_PARTNER_VIOLENCE],
        "parts": [],
    }
    fields.update(changes)
    return services.MaterialValues(**fields)


def entry(user, publisher: Organisation, *, publish: bool = True, upload=None, **changes):
    """An entry made (and published) through the services."""
    material = services.create_material(user, values(publisher, **changes), upload)
    if publish:
        material = services.publish(user, material)
    return material
