"""The material library's rows of the URL × role table
(tests/access/url_access_table.py). The list, an entry's page and its PDF are
public. Editors are the agency's staff with EDIT_MATERIALS (the handläggare,
any entry) and a partner's own members whose role may CHANGE_DATA there (that
partner's entries only, tests/library/test_pages.py). The world's
organisations are kommuner, which publish nothing, and the regions' staff
hold no membership of a partner: so of the table's roles only the handläggare
edits; every other logged-in role gets 403. The world gets one published
entry of the agency's (Socialstyrelsen) with an uploaded PDF."""

from tests.access.url_access_table import EVERYONE_200, Entry, expect

EDITOR_200 = expect(403, anonymous=302, handlaggare=200)
EDITOR_302 = expect(403, anonymous=302, handlaggare=302)


def _entry(world) -> dict:
    if "library" not in world.extras:
        from fordela.library import services
        from fordela.library.models import MaterialKind, TargetGroup, Topic
        from fordela.organisations.models import Organisation, OrganisationKind
        from tests.access.conftest import pdf_bytes

        agency, _created = Organisation.objects.get_or_create(
            reference_key="socialstyrelsen",
            defaults={"name": "Socialstyrelsen", "kind": OrganisationKind.AGENCY},
        )
        editor = world.users["handlaggare"]
        material = services.create_material(
            editor,
            services.MaterialValues(
                title="Våld i nära relationer – handbok",
                summary="Handbok om socialtjänstens arbete med våld i nära relationer.",
                publisher=agency,
                kind=MaterialKind.HANDBOOK,
                target_groups=[TargetGroup.SOCIAL_SERVICES],
                topics=[Topic.INTIMATE_PARTNER_VIOLENCE],
            ),
            services.Upload("Handbok.pdf", pdf_bytes()),
        )
        material = services.publish(editor, material)
        world.extras["library"] = {"pk": material.pk}
    return world.extras["library"]


ROWS = {
    "library:list": Entry(EVERYONE_200),
    "library:detail": Entry(EVERYONE_200, kwargs=_entry),
    "library:file": Entry(EVERYONE_200, kwargs=_entry, note="the PDF as a download"),
    "library:mine": Entry(EDITOR_200),
    "library:create": Entry(EDITOR_200),
    "library:edit": Entry(EDITOR_200, kwargs=_entry),
    "library:publish": Entry(
        EDITOR_302,
        kwargs=_entry,
        method="post",
        note="already published: an error message, back to the entry",
    ),
    "library:unpublish": Entry(EDITOR_302, kwargs=_entry, method="post", note="back to the entry"),
}
