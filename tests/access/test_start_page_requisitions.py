"""An organisation's start page: each open requisition pool says what it
needs now, and a requisition returned for correction links to its edit page
(issue 16, section 2)."""

from django.conf import settings
from django.urls import reverse

from fordela.requisitions import officer, services
from tests.access.test_start_pages import work_items
from tests.requisitions import conftest as requisitions
from tests.requisitions.conftest import filled

# The requisitions tests' world: a top-up pool open in September 2021 with
# Ale and three other kommuner, and their users.
clock_at = requisitions.clock_at
round_ = requisitions.round_


def start_page(client, user, language="sv") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("access:my_pages"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_returned_requisition_links_to_its_edit_page_to_correct_and_send_in_again(client, round_):
    ombud = round_.users["ombud"]
    draft = services.start_requisition(ombud, round_.ale, round_.pool)
    submitted = services.submit_requisition(ombud, draft, filled())
    officer.return_requisition(round_.users["handlaggare"], submitted, "Rätta bankgirot.")
    items = work_items(start_page(client, ombud))
    href, status = items["Rätta och skicka in igen"]
    assert href == reverse("requisitions:edit", args=[submitted.pk])
    assert href != reverse("requisitions:receipt", args=[submitted.pk])
    assert status == "Tillbakaskickad för rättelse"
    page = start_page(client, ombud)
    assert submitted.case_number in page.split("Rätta och skicka in igen")[1][:400]


def test_a_submitted_requisition_links_to_its_receipt(client, round_):
    ombud = round_.users["ombud"]
    draft = services.start_requisition(ombud, round_.ale, round_.pool)
    submitted = services.submit_requisition(ombud, draft, filled())
    items = work_items(start_page(client, ombud))
    assert items[submitted.case_number][0] == reverse("requisitions:receipt", args=[submitted.pk])


def test_a_draft_links_to_its_edit_page_and_an_open_pool_to_the_organisation(client, round_):
    ombud = round_.users["ombud"]
    items = work_items(start_page(client, ombud))
    href, status = items[f"Rekvirera {round_.pool.name}"]
    assert href == reverse("access:organisation", args=[round_.ale.pk])
    assert status == "Inte påbörjad"
    draft = services.start_requisition(ombud, round_.ale, round_.pool)
    href, status = work_items(start_page(client, ombud))["Fortsätt med utkastet"]
    assert href == reverse("requisitions:edit", args=[draft.pk])
