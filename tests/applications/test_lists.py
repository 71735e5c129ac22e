"""The list pages a page at a time: the public calls (open ones first), the
staff's calls with what each has granted, one call's queue (its filter, its
totals and its bulk decision are the whole call's) and the consultee's
requests (those waiting first)."""

import datetime

from django.test import Client
from django.urls import reverse

from fordela.applications.models import ApplicationStatus, Decision, Score
from fordela.applications.services import assessment

from . import many
from .conftest import pdf_bytes

D = datetime.date


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue_url(call, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("applications:queue", args=[call.pk]) + (f"?{query}" if query else "")


# ------------------------------------------------------------ public calls


def test_public_calls_list_the_open_ones_first_by_last_day_then_the_others_latest_first(world):
    # The world's day is 15 November 2021; its two calls are open.
    titled = {
        "closes today": (D(2021, 11, 1), D(2021, 11, 15)),
        "closes soon": (D(2021, 11, 1), D(2021, 11, 20)),
        "opens today": (D(2021, 11, 15), D(2021, 12, 1)),
        "not yet open": (D(2022, 1, 1), D(2022, 2, 1)),
        "closed last month": (D(2021, 9, 1), D(2021, 10, 31)),
        "closed in summer": (D(2021, 5, 1), D(2021, 6, 30)),
    }
    for title, (opens, closes) in titled.items():
        many.calls(1, opens, closes, title=title)
    page = Client().get(reverse("applications:calls"))
    assert [call.title for call, _is_open, _days in page.context["rows"]] == [
        "closes today",
        "closes soon",
        "opens today",
        world.ngo_call.title,  # 21 December
        world.stimulus_call.title,  # 31 January
        "not yet open",
        "closed last month",
        "closed in summer",
    ]


def test_public_calls_come_a_page_at_a_time(world):
    many.calls(55, D(2021, 1, 1), D(2021, 2, 1))
    first = Client().get(reverse("applications:calls"))
    assert len(first.context["rows"]) == 50
    assert 'href="?sida=2"' in first.content.decode()
    second = Client().get(reverse("applications:calls") + "?sida=2")
    assert len(second.context["rows"]) == 7


# ------------------------------------------------------------- staff calls


def test_staff_calls_show_what_each_call_has_granted_not_what_is_proposed(world):
    officer, decider = world.users["handlaggare"], world.users["beslutsfattare"]
    decided = many.applications(world.ngo_call, 2, ApplicationStatus.DECIDED, officer, 40_000)
    many.decisions(decided, officer, decider)
    proposed = many.applications(world.ngo_call, 1, ApplicationStatus.PROPOSED, officer, 5_000)
    many.decisions(proposed, officer)
    page = client_for(officer).get(reverse("applications:staff_calls"))
    granted = {call.pk: call.granted_sek for call in page.context["page"]}
    assert granted == {world.ngo_call.pk: 80_000, world.stimulus_call.pk: 0}


def test_staff_calls_come_a_page_at_a_time(world):
    many.calls(55, D(2021, 1, 1), D(2021, 2, 1))
    officer = client_for(world.users["handlaggare"])
    first = officer.get(reverse("applications:staff_calls"))
    assert len(first.context["page"]) == 50
    assert 'href="?sida=2"' in first.content.decode()
    assert len(officer.get(reverse("applications:staff_calls") + "?sida=2").context["page"]) == 7


# ------------------------------------------------------------------- queue


def test_queue_shows_fifty_sent_in_applications_a_page_by_case_number(world):
    officer = world.users["handlaggare"]
    sent_in = many.applications(world.ngo_call, 55, ApplicationStatus.SUBMITTED, officer)
    many.applications(world.ngo_call, 3, ApplicationStatus.DRAFT, officer)
    case_numbers = sorted(a.case_number for a in sent_in)
    reader = client_for(officer)
    first = reader.get(queue_url(world.ngo_call))
    second = reader.get(queue_url(world.ngo_call, sida=2))
    assert [a.case_number for a, _m, _d in first.context["rows"]] == case_numbers[:50]
    assert [a.case_number for a, _m, _d in second.context["rows"]] == case_numbers[50:]


def test_queue_filter_by_status_applies_before_the_page_and_stays_in_its_links(world):
    officer = world.users["handlaggare"]
    many.applications(world.ngo_call, 52, ApplicationStatus.PROPOSED, officer)
    many.applications(world.ngo_call, 5, ApplicationStatus.SUBMITTED, officer)
    reader = client_for(officer)
    page = reader.get(queue_url(world.ngo_call, status="proposed"))
    assert {a.status for a, _m, _d in page.context["rows"]} == {ApplicationStatus.PROPOSED}
    assert 'href="?sida=2&amp;status=proposed"' in page.content.decode()
    rest = reader.get(queue_url(world.ngo_call, sida=2, status="proposed"))
    assert len(rest.context["rows"]) == 2
    submitted = reader.get(queue_url(world.ngo_call, status="submitted"))
    assert len(submitted.context["rows"]) == 5
    assert 'class="pagination"' not in submitted.content.decode()


def test_queue_mean_score_is_the_mean_of_the_criteria_averages(world):
    officer, other = world.users["handlaggare"], world.users["handlaggare2"]
    [application] = many.applications(world.ngo_call, 1, ApplicationStatus.SUBMITTED, officer)
    Score.objects.bulk_create(
        [
            Score(application=application, criterion="goals", assessor=officer, score=2),
            Score(application=application, criterion="goals", assessor=other, score=4),
            Score(application=application, criterion="competence", assessor=officer, score=5),
        ]
    )
    [(_application, mean, _decision)] = (
        client_for(officer).get(queue_url(world.ngo_call)).context["rows"]
    )
    assert mean == 4.0 == assessment.mean_score(application)


def test_queue_totals_are_the_whole_calls_whatever_the_page_and_filter(world):
    officer, decider = world.users["handlaggare"], world.users["beslutsfattare"]
    proposed = many.applications(world.ngo_call, 55, ApplicationStatus.PROPOSED, officer, 1_000)
    many.decisions(proposed, officer)
    decided = many.applications(world.ngo_call, 2, ApplicationStatus.DECIDED, officer, 30_000)
    many.decisions(decided, officer, decider)
    for params in ({}, {"sida": "2"}, {"status": "submitted"}):
        page = client_for(officer).get(queue_url(world.ngo_call, **params))
        assert (page.context["granted_sek"], page.context["proposed_sek"]) == (60_000, 55_000)


def test_bulk_decision_from_the_queue_decides_every_proposal_of_the_call_not_only_the_page(
    world, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    officer = world.users["handlaggare"]
    proposed = many.applications(world.ngo_call, 55, ApplicationStatus.PROPOSED, officer)
    many.decisions(proposed, officer)
    monkeypatch.setattr("fordela.applications.tasks.html_to_pdf", lambda html: pdf_bytes())
    decider = client_for(world.users["beslutsfattare"])
    assert len(decider.get(queue_url(world.ngo_call)).context["rows"]) == 50
    with django_capture_on_commit_callbacks(execute=True):
        response = decider.post(
            reverse("applications:bulk_start", args=[world.ngo_call.pk]), {"confirmed": "1"}
        )
    progress = decider.get(response.url.rstrip("/") + ".json").json()
    assert (progress["done"], progress["total"]) == (55, 55)
    assert not Decision.objects.filter(call=world.ngo_call, decided_at__isnull=True).exists()
    assert len([m for m in mailoutbox if m.attachments]) == 55


# ----------------------------------------------------------- consultations


def test_consultee_sees_the_waiting_requests_first_by_reply_date_then_the_rest_latest_first(
    world,
):
    officer, consultee = world.users["handlaggare"], world.users["consultee"]
    requests = {}
    for name, reply_by, answered in [
        ("answered, reply date ahead", D(2021, 12, 5), True),
        ("waiting, 10 December", D(2021, 12, 10), False),
        ("expired", D(2021, 11, 1), False),
        ("waiting, reply by today", D(2021, 11, 15), False),
        ("answered long ago", D(2021, 10, 20), True),
        ("waiting, 20 November", D(2021, 11, 20), False),
    ]:
        applications = many.applications(world.stimulus_call, 1, "submitted", officer)
        [request] = many.consultations(
            applications, officer, reply_by, answered_by=consultee if answered else None
        )
        requests[request.pk] = name
    page = client_for(consultee).get(reverse("applications:consultations"))
    assert [(requests[r.pk], state) for r, state in page.context["rows"]] == [
        ("waiting, reply by today", "waiting"),
        ("waiting, 20 November", "waiting"),
        ("waiting, 10 December", "waiting"),
        ("answered, reply date ahead", "answered"),
        ("expired", "expired"),
        ("answered long ago", "answered"),
    ]


def test_consultee_sees_the_requests_a_page_at_a_time(world):
    officer = world.users["handlaggare"]
    applications = many.applications(world.stimulus_call, 55, "submitted", officer)
    many.consultations(applications, officer, D(2021, 12, 1))
    consultee = client_for(world.users["consultee"])
    first = consultee.get(reverse("applications:consultations"))
    assert len(first.context["rows"]) == 50
    assert 'href="?sida=2"' in first.content.decode()
    assert (
        len(consultee.get(reverse("applications:consultations") + "?sida=2").context["rows"]) == 5
    )
