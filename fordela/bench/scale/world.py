"""What every synthetic programme shares: the agency's staff, the applicants
and each organisation's ombud."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from stdnum import luhn

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.requisitions.demo import _staff

from .common import BATCH_SIZE, ScaleDataError

NGO_KEY_PREFIX = "skala-ngo-"
NGO_COUNT = 400


@dataclass
class World:
    handlaggare: object
    beslutsfattare: object
    ekonomi: object
    approver: object  # the second ekonomi user, who approves batches
    consultee: object
    ngos: list[Organisation]
    stimulus_applicants: list[Organisation]
    ombud: dict[int, object]  # organisation id → user

    @classmethod
    def load(cls) -> "World":
        try:
            staff = _staff()  # handläggare, ekonomi and the demo's second ekonomi
        except RuntimeError as missing:
            raise ScaleDataError(f"{missing} (the scale data builds on the demo data)") from None

        def holder(role):
            found = StaffAssignment.objects.filter(role=role).order_by("user_id").first()
            if found is None:
                raise ScaleDataError(f"No {role} user: run seed_demo_users first.")
            return found.user

        kommuner = list(
            Organisation.objects.filter(municipality_code__isnull=False).order_by(
                "municipality_code"
            )
        )
        if not kommuner:
            raise ScaleDataError("No kommuner: run load_reference_data first.")
        ngos = _synthetic_ngos(kommuner)
        stimulus = list(
            Organisation.objects.filter(
                kind__in=[OrganisationKind.LANSSTYRELSE, OrganisationKind.UNIVERSITY]
            ).order_by("reference_key")
        )
        regions = Organisation.objects.filter(region_county_code__isnull=False)
        everyone = {o.pk: o for o in [*kommuner, *regions, *ngos, *stimulus]}
        return cls(
            handlaggare=staff.handlaggare,
            beslutsfattare=holder(StaffRole.BESLUTSFATTARE),
            ekonomi=staff.ekonomi,
            approver=staff.approver,
            consultee=holder(StaffRole.CONSULTEE),
            ngos=ngos,
            stimulus_applicants=stimulus,
            ombud=_ombud(list(everyone.values())),
        )


def _synthetic_ngos(kommuner: list[Organisation]) -> list[Organisation]:
    """400 NGOs named after the kommuner they work in (made once)."""
    existing = {
        o.reference_key: o
        for o in Organisation.objects.filter(reference_key__startswith=NGO_KEY_PREFIX)
    }
    new = []
    for n in range(1, NGO_COUNT + 1):
        key = f"{NGO_KEY_PREFIX}{n:03d}"
        if key in existing:
            continue
        kommun = kommuner[(n - 1) % len(kommuner)]
        if n % 7 == 0:
            kind, name = OrganisationKind.FOUNDATION, f"Stiftelsen Trygg i {kommun.name}"
        else:
            word = "Kvinnojouren" if n <= len(kommuner) else "Tjejjouren"
            kind, name = OrganisationKind.NONPROFIT, f"{word} i {kommun.name}"
        seven = f"7{n:06d}"
        new.append(
            Organisation(
                name=f"{name} (syntetisk)",
                kind=kind,
                reference_key=key,
                county_code=kommun.county_code,
                county_name=kommun.county_name,
                bank_giro=seven + luhn.calc_check_digit(seven),
                email=f"info@{key}.skala.fordela.example",
            )
        )
    Organisation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return sorted([*existing.values(), *new], key=lambda o: o.reference_key)


def _ombud(organisations: list[Organisation]) -> dict[int, object]:
    """Each organisation's ombud; one without a usable password is made for
    an organisation that has none (the synthetic NGOs, most länsstyrelser)."""
    User = get_user_model()
    ombud = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(
            role=OrganisationRole.OMBUD, organisation__in=organisations
        ).select_related("user")
    }
    missing = [o for o in organisations if o.pk not in ombud]
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"ombud-{o.reference_key}"[:150],
                first_name="Ombud",
                last_name=o.name[:150],
                email=f"ombud-{o.reference_key}@skala.fordela.example",
                password=unusable,
            )
            for o in missing
        ],
        batch_size=BATCH_SIZE,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=o, role=OrganisationRole.OMBUD)
            for user, o in zip(users, missing, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    return ombud | {o.pk: user for user, o in zip(users, missing, strict=True)}
