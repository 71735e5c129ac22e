"""Hostile input never gives a server error (bad input is a field error and
changes nothing): every POST URL of ``url_access_table.TABLE``, posted by the
first role the table lets post, with every field of its form at once replaced
by over-long text, a huge number, dates far off, a negative number or markup,
and its file fields given a text file named x.pdf. Each request is rolled back
as ``role_statuses`` rolls back its requests.

The fields are the entry's data and the inputs, textareas and selects of the
form that posts to the URL: on the URL's own page, on a page above it in the
URL's path (an action URL's form is on its case page), or on a GET page of the
same app with the same arguments (an edit page that autosaves to the URL).
The table's GET pages whose form posts back to the page itself get the same
variants, posted by the first logged-in role that reads the page."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .test_url_access import full_world  # noqa: F401 (the fixture)
from .url_access_table import ROLES, TABLE, _Rollback

ALLOWED = (200, 302, 400)

VARIANTS = {
    "long text": "x" * 10_000,
    "huge number": "9" * 40,
    "far future": "9999-12-31",
    "far past": "0001-01-01",
    "negative": "-1",
    "markup": "<script>alert(1)</script>",
}

POST_NAMES = [name for name, entry in TABLE.items() if entry.method == "post"]
# GET pages whose form posts back to the page itself (My contact details,
# an edit page, a register-payment page): their POST has no entry of its own.
GET_NAMES = [name for name, entry in TABLE.items() if entry.method == "get"]


class FormFields(HTMLParser):
    """The field names of the forms posting to ``action`` (a path): text-like
    fields, file fields, and submit buttons with their values."""

    def __init__(self, page_path: str, action: str):
        super().__init__(convert_charrefs=True)
        self.page_path, self.action = page_path, action
        self.inside = False
        self.fields: set[str] = set()
        self.files: set[str] = set()
        self.buttons: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            targets = {attrs.get("action") or self.page_path, attrs.get("data-autosave-url")}
            self.inside = (attrs.get("method") or "").lower() == "post" and self.action in {
                (target or "").split("?")[0] for target in targets
            }
            return
        name = attrs.get("name")
        if not self.inside or not name or name == "csrfmiddlewaretoken":
            return
        kind = (attrs.get("type") or "").lower()
        if tag == "button" or (tag == "input" and kind == "submit"):
            self.buttons.setdefault(name, attrs.get("value") or "")
        elif tag == "input" and kind == "file":
            self.files.add(name)
        elif tag in ("input", "textarea", "select"):
            self.fields.add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def rolled_back(request):
    """``request()``'s response, whatever it changed rolled back."""
    response = None
    try:
        with transaction.atomic():
            response = request()
            raise _Rollback
    except _Rollback:
        pass
    return response


def pages_to_search(name: str, entry, role: str, world, url: str) -> list[str]:
    """The URL's own page, the pages above it in its path, and the pages of
    the table's GET entries of the same app with the same arguments that
    ``role`` may read (an edit page whose form autosaves to ``url``)."""
    paths = [url]
    while paths[-1] != "/":
        paths.append(paths[-1].rstrip("/").rsplit("/", 1)[0] + "/")
    namespace = name.rpartition(":")[0]
    for other, candidate in TABLE.items():
        if (
            namespace
            and other.rpartition(":")[0] == namespace
            and candidate.method == "get"
            and candidate.kwargs is entry.kwargs
            and candidate.expected[role] == 200
        ):
            paths.append(reverse(other, kwargs=candidate.kwargs(world)))
    return list(dict.fromkeys(paths))


def form_of(client: Client, url: str, pages: list[str]) -> FormFields:
    """The fields of the form posting to ``url`` on the first of ``pages``
    that has one."""
    for path in pages:
        response = rolled_back(lambda path=path: client.get(path))
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = FormFields(path, url)
            parser.feed(response.content.decode())
            if parser.fields or parser.files or parser.buttons:
                return parser
    return FormFields(url, url)


def first_poster(entry) -> str | None:
    """The first role the table lets post; anonymous only where everyone may
    (elsewhere its 302 is the way to the login)."""
    logged_in = [role for role in ROLES if role != "anonymous"]
    if all(entry.expected[role] in ALLOWED for role in ROLES):
        return logged_in[0]
    return next((role for role in logged_in if entry.expected[role] in ALLOWED), None)


def post_hostile_variants(client: Client, url: str, form: FormFields, data: dict) -> list[str]:
    """Each variant posted to ``url`` (rolled back); the ones that gave a
    server error."""
    names = (set(data) | form.fields) - set(form.buttons)
    failures = []
    for variant, value in VARIANTS.items():
        posted = {**data, **form.buttons, **dict.fromkeys(names, value)}
        for field in form.files:
            posted[field] = SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")
        response = rolled_back(lambda posted=posted: client.post(url, posted))
        if response.status_code >= 500:
            failures.append(f"{variant}: {response.status_code}")
    return [f"{failure} ({sorted(names)})" for failure in failures]


def logged_in_client(world, role: str) -> Client:
    client = Client()  # raises whatever a view lets escape
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("name", POST_NAMES)
def test_hostile_input_gives_no_server_error(name, full_world):  # noqa: F811
    entry = TABLE[name]
    role = first_poster(entry)
    if role is None:
        pytest.skip("no role may post here")
    client = logged_in_client(full_world, role)
    url = reverse(name, kwargs=entry.kwargs(full_world))
    form = form_of(client, url, pages_to_search(name, entry, role, full_world, url))
    failures = post_hostile_variants(client, url, form, entry.data(full_world))
    assert not failures, f"POST {name} as {role}: " + "; ".join(failures)


@pytest.mark.parametrize("name", GET_NAMES)
def test_a_page_posting_to_itself_gives_no_server_error(name, full_world):  # noqa: F811
    entry = TABLE[name]
    role = next(
        (role for role in ROLES if role != "anonymous" and entry.expected[role] == 200), None
    )
    if role is None:
        pytest.skip("no logged-in role reads this page")
    client = logged_in_client(full_world, role)
    url = reverse(name, kwargs=entry.kwargs(full_world))
    form = form_of(client, url, [url])
    if not (form.fields or form.files or form.buttons):
        pytest.skip("no form posts to the page itself")
    failures = post_hostile_variants(client, url, form, {})
    assert not failures, f"POST {name} as {role}: " + "; ".join(failures)


def test_every_post_entry_is_tried():
    """The table has POST entries, and most have a role that may post (the
    ombud application's URLs are the applicant's alone, outside the roles)."""
    assert len(POST_NAMES) > 30
    assert len([name for name in POST_NAMES if first_poster(TABLE[name])]) > 30
