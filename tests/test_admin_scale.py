"""Django's admin at scale: every registered list page runs as many SQL queries
with 40 rows as with 2 (see tests/query_budget.py), and the audit trail's list
and search stay on its indexes.

A model registered in the admin without rows to count here fails
``test_every_registered_admin_has_rows_to_count``."""

import datetime
import uuid

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult, get_date_max

from fordela.access.models import StaffAssignment, StaffRole
from fordela.allocation.models import AllocationKey
from fordela.allocation.services import compute_key
from fordela.applications.models import AppealParagraph, Call
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.library.models import Material, MaterialKind
from fordela.organisations.models import Organisation
from fordela.programmes.models import Eligibility, PoolKind, Programme, ProgrammeYear
from tests.factories import (
    OrganisationFactory,
    PoolFactory,
    PopulationFactory,
    ProgrammeFactory,
    ProgrammeYearFactory,
)
from tests.query_budget import query_budget
from tests.recovery.invoice_admin_rows import ADMIN_ROWS as RECOVERY_ADMIN_ROWS

pytestmark = pytest.mark.django_db

User = get_user_model()


def add_users(count: int) -> None:
    User.objects.bulk_create(User(username=f"user-{uuid.uuid4().hex}") for _ in range(count))


def add_groups(count: int) -> None:
    Group.objects.bulk_create(Group(name=f"group-{uuid.uuid4().hex}") for _ in range(count))


def add_tasks(count: int) -> None:
    DBTaskResult.objects.bulk_create(
        DBTaskResult(
            task_path="fordela.requisitions.tasks.send_receipt",
            args_kwargs={"args": [], "kwargs": {}},
            backend_name="default",
            queue_name="default",
            run_after=get_date_max(),
        )
        for _ in range(count)
    )


def add_audit_events(count: int) -> None:
    actor = User.objects.create(username=f"actor-{uuid.uuid4().hex}", first_name="Anna")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_label="Anna Andersson",
            action=AuditAction.REQUISITION_SUBMITTED,
            object_type="requisitions.requisition",
            object_id=str(number),
            object_label=f"2021-10-{number:04d} Stockholms kommun – Kommuner 2021",
            after={"status": "submitted"},
        )
        for number in range(count)
    )


def add_organisations(count: int) -> None:
    Organisation.objects.bulk_create(OrganisationFactory.build_batch(count))


def add_programmes(count: int) -> None:
    ProgrammeFactory.create_batch(count)


def add_programme_years(count: int) -> None:
    ProgrammeYearFactory.create_batch(count)


def add_allocation_keys(count: int) -> None:
    if not Organisation.objects.exists():
        PopulationFactory(organisation=OrganisationFactory())
    for _ in range(count):
        compute_key(PoolFactory())


def add_access_logs(model):
    def add(count: int) -> None:
        extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
        extra = extra if model is AccessAttempt else {}
        model.objects.bulk_create(
            model(
                user_agent="Firefox",
                ip_address="127.0.0.1",
                username=f"user-{uuid.uuid4().hex}",
                http_accept="text/html",
                path_info="/admin/login/",
                **extra,
            )
            for _ in range(count)
        )

    return add


def add_staff_assignments(count: int) -> None:
    for _ in range(count):
        user = User.objects.create(username=f"staff-{uuid.uuid4().hex}")
        StaffAssignment.objects.create(user=user, role=StaffRole.HANDLAGGARE)


def add_appeal_paragraphs(count: int) -> None:
    AppealParagraph.objects.bulk_create(
        AppealParagraph(outcome=uuid.uuid4().hex[:20], text="Beslutet kan överklagas.")
        for _ in range(count)
    )


def add_calls(count: int) -> None:
    for _ in range(count):
        pool = PoolFactory(
            slug="ideella", kind=PoolKind.APPLICATION, eligibility=Eligibility.NONPROFITS
        )
        Call.objects.create(
            pool=pool,
            title=f"Utlysning {pool.pk}",
            opens_on=datetime.date(2021, 3, 1),
            closes_on=datetime.date(2021, 4, 1),
        )


def add_materials(count: int) -> None:
    publisher = OrganisationFactory(municipality_code=None)
    for number in range(count):
        Material.objects.create(
            title=f"Material {number}",
            summary="Kunskapsstöd.",
            publisher=publisher,
            kind=MaterialKind.HANDBOOK,
            url="https://www.socialstyrelsen.se/",
            updated_on=datetime.date(2022, 3, 1),
        )


ROWS = {
    Group: add_groups,
    User: add_users,
    DBTaskResult: add_tasks,
    AuditEvent: add_audit_events,
    Organisation: add_organisations,
    Programme: add_programmes,
    ProgrammeYear: add_programme_years,
    AllocationKey: add_allocation_keys,
    AccessAttempt: add_access_logs(AccessAttempt),
    AccessLog: add_access_logs(AccessLog),
    AccessFailureLog: add_access_logs(AccessFailureLog),
    StaffAssignment: add_staff_assignments,
    AppealParagraph: add_appeal_paragraphs,
    Call: add_calls,
    **RECOVERY_ADMIN_ROWS,
    Material: add_materials,
}


def changelist(model, query: str = "") -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + query


def test_every_registered_admin_has_rows_to_count():
    assert set(admin.site._registry) == set(ROWS)


@pytest.mark.parametrize("model", list(ROWS), ids=lambda model: model._meta.label)
def test_admin_list_runs_as_many_queries_for_40_rows_as_for_2(model, admin_client):
    ROWS[model](2)
    with query_budget(admin_client, changelist(model)):
        ROWS[model](38)


@pytest.mark.parametrize("model", list(ROWS), ids=lambda model: model._meta.label)
def test_admin_change_page_runs_as_many_queries_among_40_rows_as_among_2(model, admin_client):
    ROWS[model](2)
    opts = model._meta
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[model.objects.first().pk]
    )
    with query_budget(admin_client, url):
        ROWS[model](38)


def test_a_programme_years_pools_offer_that_years_pools_as_top_ups_in_one_query_each(
    admin_client,
):
    programme_year = ProgrammeYearFactory()
    kommuner = PoolFactory(programme_year=programme_year, slug="kommuner")
    PoolFactory(
        programme_year=programme_year,
        slug="kommuner-pafyllnad",
        name="Kommuner, påfyllnad",
        top_up_of=kommuner,
    )
    url = reverse("admin:programmes_programmeyear_change", args=[programme_year.pk])
    with query_budget(admin_client, url):
        for number in range(20):
            PoolFactory(slug=f"annan-{number}")
    response = admin_client.get(url)
    choices = response.context["inline_admin_formsets"][0].formset.forms[1]["top_up_of"]
    assert sorted(str(pool) for pool in choices.field.queryset) == [
        "Kommuner 2021",
        "Kommuner, påfyllnad 2021",
    ]


# ------------------------------------------------------------- audit trail

AUDIT_LIST = changelist(AuditEvent)
AUDIT_PAGES = [
    AUDIT_LIST,
    AUDIT_LIST + "?q=2021-10-0007",
    AUDIT_LIST + "?q=anna",
    AUDIT_LIST + f"?action={AuditAction.REQUISITION_SUBMITTED.value}",
    AUDIT_LIST + "?created_at__gte=2000-01-01+00:00:00%2B00:00",
    AUDIT_LIST + "?o=-1",
]


def audit_event(label: str, *, actor_label: str = "system", object_id: str = "1") -> AuditEvent:
    return AuditEvent.objects.create(
        actor_label=actor_label,
        action=AuditAction.REQUISITION_SUBMITTED,
        object_type="requisitions.requisition",
        object_id=object_id,
        object_label=label,
    )


def test_audit_list_search_and_filters_run_as_many_queries_for_500_events_as_for_10(
    admin_client,
):
    add_audit_events(10)
    with query_budget(admin_client, *AUDIT_PAGES):
        add_audit_events(490)


def test_audit_list_counts_once_and_asks_no_filter_for_its_choices(admin_client):
    add_audit_events(10)
    with CaptureQueriesContext(connection) as captured:
        assert admin_client.get(AUDIT_LIST + "?q=anna").status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum("COUNT(" in query for query in sql) == 1
    assert not [query for query in sql if "DISTINCT" in query]


def test_audit_search_finds_the_beginning_of_the_object_or_actor_or_the_object_id(
    admin_client,
):
    case = audit_event("2021-10-0042 Stockholms kommun – Kommuner 2021", object_id="901")
    organisation = audit_event("Stockholms kommun", object_id="17")
    actor = audit_event("2021-10-0043 Uppsala kommun", actor_label="Anna Andersson")
    audit_event("2021-10-0044 Bjurholms kommun – Stockholmsregionen")

    def found(term: str) -> set[int]:
        response = admin_client.get(AUDIT_LIST, {"q": term})
        return {event.pk for event in response.context["cl"].result_list}

    assert found("2021-10-0042") == {case.pk}
    assert found("stockholm") == {organisation.pk}
    assert found("anna andersson") == {actor.pk}
    assert found("901") == {case.pk}
    assert found("Kommuner 2021") == set()


def test_audit_list_search_and_filters_use_indexes_not_a_scan_of_the_trail(admin_client):
    add_audit_events(20)
    for url in AUDIT_PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        audit_queries = [
            query["sql"]
            for query in captured.captured_queries
            if '"audit_auditevent"' in query["sql"] and query["sql"].startswith("SELECT")
        ]
        assert audit_queries, url
        with connection.cursor() as cursor:
            # On 20 rows a scan is cheapest; without it the planner shows
            # whether an index can answer at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            for sql in audit_queries:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on audit_auditevent" not in plan, f"{url}\n{sql}\n{plan}"
                if "?q=" in url and "COUNT(" in sql:
                    for index in (
                        "audit_event_label_prefix",
                        "audit_event_actor_prefix",
                        "audit_event_object",
                    ):
                        assert index in plan, f"{url}\n{sql}\n{plan}"


def test_the_whole_trail_shows_the_estimate_instead_of_a_count_when_large(
    admin_client, monkeypatch
):
    from fordela.audit import admin as audit_admin

    monkeypatch.setattr(audit_admin, "ESTIMATE_ABOVE", 50)
    add_audit_events(120)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(AUDIT_LIST)
    assert response.context["cl"].result_count == 120  # ANALYZE saw every row
    assert not [query for query in captured.captured_queries if "COUNT(" in query["sql"]]
    # A search is still counted exactly.
    response = admin_client.get(AUDIT_LIST, {"q": "2021-10-0007"})
    assert response.context["cl"].result_count == 1
