"""The login page and the error pages are in the design system (issue 16,
section 1): one design-system h1, text as the design system's body, the
layout (skip link, header), and Swedish by default."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>", html)


def test_the_404_page_is_in_the_layout_and_the_design_system(client):
    response = client.get("/finns-inte-har/")
    assert response.status_code == 404
    html = response.content.decode()
    assert h1s(html) == ['<h1 class="govuk-heading-l">']
    assert "Sidan finns inte" in html
    assert 'class="govuk-body"' in html and 'href="#main"' in html


def test_the_403_page_says_what_to_do_in_the_design_system():
    html = render_to_string("403.html", {"user": None})
    assert h1s(html) == ['<h1 class="govuk-heading-l">']
    assert 'class="govuk-link"' in html


def test_the_400_and_csrf_pages_are_in_the_design_system():
    for name in ("400.html", "403_csrf.html"):
        html = render_to_string(name)
        assert h1s(html) == ['<h1 class="govuk-heading-l">'], name
        assert 'class="govuk-body"' in html, name


def test_the_500_page_stands_alone_with_the_design_systems_styles():
    html = render_to_string("500.html")
    assert "govuk-frontend.min.css" in html and "css/fordela.css" in html
    assert h1s(html) == ['<h1 class="govuk-heading-l">']
    assert '<main id="main"' in html and 'href="#main"' in html
    assert "Något gick fel" in html and 'lang="en"' in html


@override_settings(FORDELA_PASSWORD_LOGIN=True)
def test_the_login_page_is_a_design_system_form_with_autocomplete(client):
    html = client.get(reverse("access:login")).content.decode()
    assert h1s(html) == ['<h1 class="govuk-heading-l">']
    username = re.search(r'<input[^>]*id="id_username"[^>]*>', html).group(0)
    assert 'class="govuk-input"' in username and 'autocomplete="username"' in username
    assert 'autocomplete="current-password"' in html
    assert '<button type="submit" class="govuk-button"' in html


@override_settings(FORDELA_PASSWORD_LOGIN=True)
def test_a_wrong_password_shows_the_error_summary_at_the_top_of_the_form(client):
    response = client.post(reverse("access:login"), {"username": "ingen", "password": "fel"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.index('class="govuk-error-summary"')
    assert summary < html.index('id="id_username"')
    assert "Fel användarnamn eller lösenord." in html[summary:]
