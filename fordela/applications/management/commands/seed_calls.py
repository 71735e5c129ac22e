"""Create the 2022 calls of S2020/01591 (ideella, stimulans) and, with
--demo-users, an NGO and ombud for the demo (password demo). Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from fordela.access.models import Membership, OrganisationRole
from fordela.applications.calls import seed_calls
from fordela.applications.models import Application
from fordela.applications.services import applying, assessment, consultation, decisions
from fordela.organisations.models import Organisation, OrganisationKind

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, documented in the README

DEMO_NGO = {
    "reference_key": "demo-kvinnojouren",
    "name": "Kvinnojouren i Ale (demo)",
    "kind": OrganisationKind.NONPROFIT,
    "organisation_number": "8024561238",
    "bank_giro": "50501055",
    "county_code": "14",
    "county_name": "Västra Götalands län",
}
# username → organisation reference key
DEMO_OMBUD = {
    "ombud-ngo": "demo-kvinnojouren",
    "ombud-nck": "uu-nck",
    "ombud-lst14": "lansstyrelse-14",
}


DEMO_STAFF = ("handlaggare", "beslutsfattare", "jamy")


def _demo_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


DEMO_PDF = _demo_pdf()


class Command(BaseCommand):
    help = "Create the 2022 calls for ideella and stimulans (and demo applicants)."

    def add_arguments(self, parser):
        parser.add_argument("--demo-users", action="store_true", help="add demo applicants")

    @transaction.atomic
    def handle(self, *args, **options):
        calls = seed_calls()
        for call in calls:
            self.stdout.write(f"Call: {call.title} ({call.opens_on} – {call.closes_on})")
        if options["demo_users"]:
            Organisation.objects.get_or_create(
                reference_key=DEMO_NGO["reference_key"], defaults=DEMO_NGO
            )
            password = make_password(DEMO_PASSWORD)
            for username, key in DEMO_OMBUD.items():
                organisation = Organisation.objects.filter(reference_key=key).first()
                if organisation is None:
                    continue
                user, _created = get_user_model().objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": "Ombud",
                        "last_name": organisation.name,
                        "email": f"{username}@demo.fordela.example",
                        "password": password,
                    },
                )
                if not Membership.objects.filter(
                    organisation=organisation, role=OrganisationRole.OMBUD
                ).exists():
                    Membership.objects.get_or_create(
                        user=user, organisation=organisation, role=OrganisationRole.OMBUD
                    )
                self.stdout.write(f"Demo applicant: {username} ({organisation.name})")
            self.demo_applications(calls)

    def demo_applications(self, calls) -> None:
        """A few applications at every stage, so the demo shows the whole path:
        a decided NGO grant, a stimulus application with an opinion waiting for
        its decision, and one waiting for assessment. Made on the clock of the
        application period; skipped when they exist or a demo user is missing."""
        users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_STAFF)}
        if len(calls) < 2 or len(users) < len(DEMO_STAFF) or Application.objects.exists():
            return
        ngo_call, stimulus_call = calls
        members = {
            m.user.username: m
            for m in Membership.objects.filter(user__username__in=DEMO_OMBUD).select_related(
                "user", "organisation"
            )
        }
        if len(members) < len(DEMO_OMBUD):
            return
        officer, decider, consultee = (users[name] for name in DEMO_STAFF)
        with override_settings(FORDELA_TODAY="2021-12-15T10:00"):
            ngo = self.apply(members["ombud-ngo"], ngo_call, 300_000)
            for criterion, score in zip(
                ("goals", "competence", "stability", "reach", "location"),
                (4, 4, 3, 4, 3),
                strict=True,
            ):
                assessment.score_criterion(officer, ngo, criterion, score, "")
            decisions.propose_decision(
                officer,
                ngo,
                "partial",
                "Aktiviteterna bedöms delvis rymmas i budgeten.",
                amount_sek=250_000,
            )
            decisions.decide(decider, ngo, send_letter=False)
        with override_settings(FORDELA_TODAY="2022-01-20T10:00"):
            nck = self.apply(members["ombud-nck"], stimulus_call, 2_500_000)
            request = consultation.send_to_consultation(
                officer, nck, datetime.date(2022, 2, 10), "Vi ber om era synpunkter."
            )
            consultation.file_opinion(
                consultee, request, "Jämställdhetsmyndigheten tillstyrker ansökan.", "grant"
            )
            decisions.propose_decision(
                officer, nck, "granted", "Insatsen är central för uppdraget."
            )
            self.apply(members["ombud-lst14"], stimulus_call, 1_200_000)
        self.stdout.write("Demo applications: one decided, one proposed, one to assess.")

    def apply(self, membership, call, amount: int):
        user, organisation = membership.user, membership.organisation
        application = applying.start_application(user, organisation, call)
        for item in call.attachment_checklist:
            applying.attach_file(user, application, item["key"], f"{item['key']}.pdf", DEMO_PDF)
        answers = {q.key: "Se bifogad verksamhetsplan." for q in call.question_set.questions.all()}
        answers.update(
            {
                "target_group": "Våld i nära relationer",
                "people_reached": "120",
                "founded": "1995-03-01",
            }
        )
        return applying.submit_application(
            user,
            application,
            {
                "project_title": "Stöd till våldsutsatta",
                "requested_sek": amount,
                "budget_personnel_sek": amount,
                "other_public_funding": "Ingen",
                "contact_name": user.get_full_name(),
                "contact_email": user.email,
                "bank_giro": "50501055",
                "truth_declared": True,
                "answers": {
                    k: v
                    for k, v in answers.items()
                    if k in {q.key for q in call.question_set.questions.all()}
                },
            },
        )
