"""The publisher's side of the open data, shared by every stage: the
constants and 360Giving codes the files carry, the ids of the publisher,
the funder and the recipients (under ``FORDELA_360G_PREFIX``), and the
files' public addresses."""

import re

from django.conf import settings
from django.urls import reverse

from fordela.organisations.models import Organisation
from fordela.programmes.models import ProgrammeYear

CURRENCY = "SEK"
COUNTRY = "SE"
# The licence of the data (360Giving "license", DCAT distribution licence):
# exactly as DCAT-AP-SE requires it (http, trailing slash).
DATA_LICENCE = "http://creativecommons.org/licenses/by/4.0/"
# org-id.guide's list for Bolagsverket. Kommuner and regioner are not
# registered there; their organisation number is used under it all the same
# (an open question, facts-second-half §11), as the package description says.
ORG_ID_SCHEME = "SE-BLV"

# The codes of the 360Giving codelists the open data writes. The schema does
# not enforce codelists; ``check_codes`` does, against the vendored CSVs.
REGRANT_COMMON = "FRG010"  # Common Regrant: state → region → local
SCOPE_REGION = "GLS040"  # Subnational region (a län's region)
SCOPE_KOMMUN = "GLS050"  # Local authority (a kommun)
CODES_USED = {"regrantType": {REGRANT_COMMON}, "locationScope": {SCOPE_REGION, SCOPE_KOMMUN}}

_SLUG = re.compile(r"[^A-Za-z0-9-]+")


DEFAULT_PREFIX = "360G-fordela"  # the placeholder FORDELA_360G_PREFIX defaults to


def prefix() -> str:
    return getattr(settings, "FORDELA_360G_PREFIX", DEFAULT_PREFIX)


def site_url() -> str:
    return settings.FORDELA_SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    return site_url() + path


def org_id(organisation: Organisation) -> str:
    """``SE-BLV-<orgnr>``; an organisation without a known number (20
    regions in the reference data) gets an id under the publisher's prefix
    from its stable reference key, which 360Giving allows when no
    registered id is known."""
    if organisation.organisation_number:
        return f"{ORG_ID_SCHEME}-{organisation.organisation_number}"
    return f"{prefix()}-org-{_SLUG.sub('-', organisation.reference_key)}"


def funder_id() -> str:
    return f"{ORG_ID_SCHEME}-{settings.FORDELA_AGENCY_ORGNR}"


def urls(py: ProgrammeYear) -> dict[str, str]:
    kwargs = {"slug": py.programme.slug, "year": py.year}
    return {
        "json": absolute(reverse("reporting:opendata_json", kwargs=kwargs)),
        "csv": absolute(reverse("reporting:opendata_csv", kwargs=kwargs)),
        "page": absolute(reverse("reporting:opendata")) + f"#{py.programme.slug}-{py.year}",
        "programme": absolute(reverse("programmes:detail", kwargs={"slug": py.programme.slug})),
    }


def website_url(value: str) -> str:
    return value if "://" in value else f"https://{value}"
