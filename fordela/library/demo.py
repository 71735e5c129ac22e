"""The demo's library: the agency's own publications (SOSFS 2014:4, the
handbook, training material on particular groups, FREDA with its three
parts) and its partners' (NCK's web course, Barnafrid, the national
competence team), linked to their public pages; one NCK draft; and an NCK
editor (``redaktor-nck``, password "demo") who edits NCK's entries only.

Idempotent: an entry that exists (same title and publisher) is left as it
is. Needs the reference data and the demo users (``handlaggare`` enters the
agency's entries through the services, with their audit events)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from fordela.access.management.commands.seed_demo_users import DEMO_PASSWORD
from fordela.access.models import Membership, OrganisationRole
from fordela.organisations.models import Organisation

from . import services
from .models import Material, MaterialKind, MaterialStatus, TargetGroup, Topic

SOCIALSTYRELSEN = "socialstyrelsen"
NCK = "uu-nck"
BARNAFRID = "liu-barnafrid"
OSTERGOTLAND = "lansstyrelse-05"  # the national competence team's länsstyrelse
NCK_EDITOR = "redaktor-nck"

T = TargetGroup

# Each entry: publisher key, unit, kind, title, summary, link, target
# groups, topics, parts, published?
ENTRIES = [
    {
        "publisher": SOCIALSTYRELSEN,
        "kind": MaterialKind.REGULATION,
        "title": "SOSFS 2014:4 Socialstyrelsens föreskrifter och allmänna råd om våld i nära "
        "relationer",
        "summary": "Föreskrifterna och de allmänna råden gäller socialtjänstens och hälso- och "
        "sjukvårdens arbete med våld i nära relationer: stöd till våldsutsatta barn och vuxna, "
        "barn som bevittnat våld och våldsutövare. I sin utredning ska socialnämnden bedöma "
        "risken för ytterligare våld och bör då använda en standardiserad bedömningsmetod "
        "(5 kap. 1 §).",
        "url": "https://www.socialstyrelsen.se/kunskapsstod-och-regler/regler-och-riktlinjer/"
        "foreskrifter-och-allmanna-rad/konsoliderade-foreskrifter/20144-om-vald-i-nara-relationer/",
        "target_groups": [T.SOCIAL_SERVICES, T.HEALTH_CARE, T.MANAGERS],
        "topics": [Topic.LAW, Topic.INTIMATE_PARTNER_VIOLENCE, Topic.RISK_ASSESSMENT],
    },
    {
        "publisher": SOCIALSTYRELSEN,
        "kind": MaterialKind.HANDBOOK,
        "title": "Våld – handbok om socialtjänstens och hälso- och sjukvårdens arbete med våld "
        "i nära relationer",
        "summary": "Handboken kompletterar SOSFS 2014:4 med en kunskapsdel, en genomgång av "
        "föreskrifterna och de allmänna råden och en uppslagsdel. Den beskriver våldets "
        "karaktär och konsekvenser, grupper med risk för särskild sårbarhet och vikten av att "
        "fråga om våld. Artikelnummer 2016-6-37.",
        "url": "https://www.socialstyrelsen.se/publikationer2016/2016-6-37",
        "target_groups": [T.SOCIAL_SERVICES, T.HEALTH_CARE],
        "topics": [Topic.INTIMATE_PARTNER_VIOLENCE, Topic.CHILDREN, Topic.PARTICULAR_GROUPS],
    },
    {
        "publisher": SOCIALSTYRELSEN,
        "kind": MaterialKind.TRAINING,
        "title": "Utbildningsmaterial om våld mot personer i särskilt sårbara situationer",
        "summary": "Material för arbetsplatsträffar och utbildningsdagar om våld mot äldre, "
        "personer med funktionsnedsättning, personer med missbruk och hbtqi-personer: vad som "
        "gör dem särskilt sårbara och hur verksamheten kan upptäcka våldet och ge stöd.",
        "url": "https://kunskapsguiden.se/omraden-och-teman/vald-och-fortryck/"
        "vald-i-nara-relationer/",
        "target_groups": [T.SOCIAL_SERVICES, T.HEALTH_CARE, T.NONPROFITS],
        "topics": [Topic.PARTICULAR_GROUPS, Topic.INTIMATE_PARTNER_VIOLENCE],
    },
    {
        "publisher": SOCIALSTYRELSEN,
        "kind": MaterialKind.METHOD,
        "title": "FREDA – standardiserade bedömningsmetoder för socialtjänstens arbete mot våld "
        "i nära relationer",
        "summary": "FREDA består av en manual och tre instrument som Socialstyrelsen har tagit "
        "fram på regeringens uppdrag. Målgruppen är vuxna som utsatts för våld i nära "
        "relationer; metoderna kan rimligen användas också för personer under 18 år som utsätts "
        "för våld i en parrelation. Ingen utbildning eller licens krävs. Socialstyrelsen "
        "förordar att den senaste versionen används.",
        "url": "https://www.socialstyrelsen.se/kunskapsstod-och-regler/omraden/"
        "evidensbaserad-praktik/metodguiden/freda/",
        "target_groups": [T.SOCIAL_SERVICES, T.HEALTH_CARE],
        "topics": [Topic.RISK_ASSESSMENT, Topic.INTIMATE_PARTNER_VIOLENCE],
        "parts": [
            {
                "title": "FREDA-kortfrågor",
                "description": "Ett kort formulär som ger professionella stöd för att fråga om "
                "våld i enskilda ärenden, till exempel inom socialtjänsten eller hälso- och "
                "sjukvården.",
                "url": "https://www.socialstyrelsen.se/publikationer2014/2014-6-15",
            },
            {
                "title": "FREDA-beskrivning",
                "description": "En närmare beskrivning av karaktär och omfattning av det våld "
                "som en person varit utsatt för, såväl psykiskt som fysiskt och sexuellt.",
                "url": "https://www.socialstyrelsen.se/publikationer2014/2014-6-15",
            },
            {
                "title": "FREDA-farlighetsbedömning",
                "description": "En bild av risken för fortsatt våld och dödligt våld, som en "
                "del i utredningen om behov av skydd. Bedömningen görs i samtal med den "
                "våldsutsatta, vars egen uppskattning av risken är i genomsnitt lika god som "
                "instrumentens.",
                "url": "https://www.socialstyrelsen.se/publikationer2014/2014-6-15",
            },
        ],
    },
    {
        "publisher": NCK,
        "unit": "Nationellt centrum för kvinnofrid (NCK)",
        "kind": MaterialKind.WEB_COURSE,
        "title": "Webbkurs om våld",
        "summary": "En kostnadsfri webbaserad introduktionskurs om mäns våld mot kvinnor och "
        "våld i nära relationer, framtagen av NCK i samverkan med länsstyrelserna och "
        "Socialstyrelsen. Den vänder sig till dem som möter våldsutsatta i sitt arbete och kan "
        "gås enskilt eller i grupp på arbetsplatsen.",
        "url": "https://www.nck.uu.se/kunskapsbanken/webbstod-for-kommuner/"
        "utbildning-moter-valdsutsatta/webbkurs-om-vald/om-webbkursen",
        "target_groups": [T.SOCIAL_SERVICES, T.HEALTH_CARE, T.NONPROFITS],
        "topics": [Topic.INTIMATE_PARTNER_VIOLENCE, Topic.SEXUAL_VIOLENCE],
    },
    {
        "publisher": NCK,
        "unit": "Nationellt centrum för kvinnofrid (NCK)",
        "kind": MaterialKind.TRAINING,
        "title": "Kunskapsbanken om mäns våld mot kvinnor",
        "summary": "NCK:s kunskapsbank samlar fakta, forskning och stöd för yrkesverksamma om "
        "mäns våld mot kvinnor, våld i nära relationer, sexuellt våld och hedersrelaterat våld.",
        "url": "https://www.nck.uu.se/kunskapsbanken/",
        "target_groups": [T.SOCIAL_SERVICES, T.HEALTH_CARE, T.NONPROFITS],
        "topics": [Topic.INTIMATE_PARTNER_VIOLENCE, Topic.SEXUAL_VIOLENCE, Topic.HONOUR],
    },
    {
        "publisher": BARNAFRID,
        "unit": "Barnafrid – nationellt kunskapscentrum",
        "kind": MaterialKind.TRAINING,
        "title": "Kunskapsstöd om barn som utsatts för våld",
        "summary": "Barnafrid vid Linköpings universitet samlar och sprider kunskap om våld och "
        "andra övergrepp mot barn, för dig som i ditt arbete möter barn som utsatts för våld "
        "eller upplevt våld mellan närstående.",
        "url": "https://barnafrid.se/",
        "target_groups": [T.STAFF_MEETING_CHILDREN, T.SOCIAL_SERVICES, T.HEALTH_CARE],
        "topics": [Topic.CHILDREN],
    },
    {
        "publisher": OSTERGOTLAND,
        "unit": "Nationella kompetensteamet mot hedersrelaterat våld och förtryck",
        "kind": MaterialKind.TRAINING,
        "title": "Stöd i arbetet mot hedersrelaterat våld och förtryck",
        "summary": "Det nationella kompetensteamet vid Länsstyrelsen Östergötland ger stöd till "
        "yrkesverksamma i ärenden och utbildar om hedersrelaterat våld och förtryck, "
        "barnäktenskap och könsstympning.",
        "url": "https://www.hedersfortryck.se/",
        "target_groups": [T.SOCIAL_SERVICES, T.STAFF_MEETING_CHILDREN, T.NONPROFITS],
        "topics": [Topic.HONOUR, Topic.CHILDREN],
    },
    {
        "publisher": NCK,
        "unit": "Nationellt centrum för kvinnofrid (NCK)",
        "kind": MaterialKind.HANDBOOK,
        "title": "Handbok om att fråga om våld i hälso- och sjukvården (utkast)",
        "summary": "Ett utkast som NCK:s redaktör arbetar med; det visas inte i den publika "
        "listan förrän det publiceras.",
        "url": "https://www.nck.uu.se/kunskapsbanken/",
        "target_groups": [T.HEALTH_CARE],
        "topics": [Topic.INTIMATE_PARTNER_VIOLENCE],
        "draft": True,
    },
]


def _nck_editor():
    user, _created = get_user_model().objects.get_or_create(
        username=NCK_EDITOR,
        defaults={
            "first_name": "Nora",
            "last_name": "Redaktör (NCK)",
            "email": f"{NCK_EDITOR}@demo.fordela.example",
            "password": make_password(DEMO_PASSWORD),
        },
    )
    Membership.objects.get_or_create(
        user=user,
        organisation=Organisation.objects.get(reference_key=NCK),
        defaults={"role": OrganisationRole.REPRESENTANT},
    )
    return user


@transaction.atomic
def seed_demo_materials() -> dict[str, int]:
    agency_editor = get_user_model().objects.get(username="handlaggare")
    nck_editor = _nck_editor()
    created = published = 0
    for entry in ENTRIES:
        publisher = Organisation.objects.get(reference_key=entry["publisher"])
        if Material.objects.filter(publisher=publisher, title=entry["title"]).exists():
            continue
        editor = nck_editor if entry["publisher"] == NCK else agency_editor
        material = services.create_material(
            editor,
            services.MaterialValues(
                title=entry["title"],
                summary=entry["summary"],
                publisher=publisher,
                kind=entry["kind"],
                publisher_unit=entry.get("unit", ""),
                url=entry["url"],
                target_groups=list(entry["target_groups"]),
                topics=list(entry["topics"]),
                parts=entry.get("parts", []),
            ),
        )
        created += 1
        if not entry.get("draft"):
            services.publish(editor, material)
            published += 1
    total = Material.objects.filter(status=MaterialStatus.PUBLISHED).count()
    return {"created": created, "published": published, "total_published": total}
