"""The DCAT-AP-SE 3.0.1 catalogue (RDF/XML) of the open-data files
(``reporting.opendata``), for dataportal.se (docs/reporting.md, "Open data")."""

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from fordela.core.agency import agency

from .opendata.identifiers import DATA_LICENCE, absolute, prefix, urls, website_url
from .opendata.published_years import Published, published

# DIGG requires CC0 on the catalogue's own metadata (bundle.json,
# dcterms:license of dcat:Catalog).
METADATA_LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/"


def catalogue_rdf(entries: list[Published] | None = None) -> bytes:
    """The DCAT-AP-SE 3.0.1 catalogue (RDF/XML) of the packages: one dataset
    per programme year with paid grants, each with a JSON and a CSV
    distribution. Every catalogue, dataset, distribution, publisher and
    contact point is an absolute IRI under FORDELA_SITE_URL (no blank
    nodes)."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    adms_type = URIRef("http://purl.org/adms/publishertype/NationalAuthority")
    swedish = URIRef("http://publications.europa.eu/resource/authority/language/SWE")
    sweden = URIRef("http://publications.europa.eu/resource/authority/country/SWE")

    entries = [e for e in (published() if entries is None else entries) if e.grants]
    sender = agency()
    base = absolute(reverse("reporting:opendata"))
    catalogue = URIRef(base + "#katalog")
    publisher = URIRef(base + "#utgivare")
    contact = URIRef(base + "#kontakt")
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", vcard)
    sv = "sv"

    with translation.override("sv"):
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, FOAF.name, Literal(sender.name, lang=sv)))
        graph.add((publisher, DCTERMS.type, adms_type))
        graph.add((publisher, FOAF.homepage, URIRef(website_url(sender.website))))

        graph.add((contact, RDF.type, vcard.Organization))
        graph.add((contact, vcard.fn, Literal(sender.name, lang=sv)))
        graph.add((contact, vcard.hasEmail, URIRef(f"mailto:{sender.email}")))
        if sender.phone:
            graph.add(
                (contact, vcard.hasTelephone, URIRef("tel:" + re.sub(r"[^0-9+]", "", sender.phone)))
            )

        graph.add((catalogue, RDF.type, DCAT.Catalog))
        graph.add(
            (
                catalogue,
                DCTERMS.title,
                Literal(
                    _("Open data on grants from %(agency)s") % {"agency": sender.name}, lang=sv
                ),
            )
        )
        graph.add(
            (
                catalogue,
                DCTERMS.description,
                Literal(
                    _(
                        "The grants %(agency)s has paid, per programme and year, in the "
                        "360Giving data standard (JSON) and as CSV."
                    )
                    % {"agency": sender.name},
                    lang=sv,
                ),
            )
        )
        graph.add((catalogue, DCTERMS.publisher, publisher))
        graph.add((catalogue, DCTERMS.license, URIRef(METADATA_LICENCE)))
        graph.add((catalogue, DCTERMS.language, swedish))
        graph.add((catalogue, DCTERMS.spatial, sweden))
        graph.add((catalogue, FOAF.homepage, URIRef(base)))
        last = max((e.last_paid for e in entries if e.last_paid), default=None)
        if last:
            graph.add((catalogue, DCTERMS.modified, Literal(last.isoformat(), datatype=XSD.date)))

        for entry in entries:
            py = entry.programme_year
            links = urls(py)
            dataset = URIRef(
                absolute(reverse("reporting:opendata")) + f"{py.programme.slug}/{py.year}/"
            )
            graph.add((catalogue, DCAT.dataset, dataset))
            graph.add((dataset, RDF.type, DCAT.Dataset))
            names = {"programme": py.programme.title, "year": py.year}
            graph.add(
                (
                    dataset,
                    DCTERMS.title,
                    Literal(_("Grants paid %(year)s: %(programme)s") % names, lang=sv),
                )
            )
            graph.add(
                (
                    dataset,
                    DCTERMS.description,
                    Literal(
                        _(
                            "Every grant paid within %(programme)s (%(dnr)s) in %(year)s: "
                            "recipient, amount in kronor, dates and pool."
                        )
                        % {**names, "dnr": py.programme.reference_number},
                        lang=sv,
                    ),
                )
            )
            graph.add(
                (dataset, DCTERMS.identifier, Literal(f"{prefix()}-{py.programme.slug}-{py.year}"))
            )
            graph.add((dataset, DCTERMS.publisher, publisher))
            graph.add((dataset, DCAT.contactPoint, contact))
            graph.add((dataset, DCAT.landingPage, URIRef(links["page"])))
            graph.add((dataset, DCTERMS.spatial, sweden))
            graph.add((dataset, DCAT.keyword, Literal("statsbidrag", lang=sv)))
            graph.add((dataset, DCAT.keyword, Literal("360Giving", lang=sv)))
            graph.add(
                (dataset, DCTERMS.conformsTo, URIRef("https://standard.threesixtygiving.org/"))
            )
            if entry.last_paid:
                graph.add(
                    (
                        dataset,
                        DCTERMS.modified,
                        Literal(entry.last_paid.isoformat(), datatype=XSD.date),
                    )
                )
            for kind, media, label in (
                ("json", "application/json", _("360Giving package (JSON)")),
                ("csv", "text/csv", _("The same grants as CSV")),
            ):
                distribution = URIRef(dataset + f"#{kind}")
                graph.add((dataset, DCAT.distribution, distribution))
                graph.add((distribution, RDF.type, DCAT.Distribution))
                graph.add((distribution, DCTERMS.title, Literal(label, lang=sv)))
                graph.add((distribution, DCAT.accessURL, URIRef(links[kind])))
                graph.add((distribution, DCAT.downloadURL, URIRef(links[kind])))
                graph.add((distribution, DCTERMS.format, Literal(media)))
                graph.add(
                    (
                        distribution,
                        DCAT.mediaType,
                        URIRef(f"https://www.iana.org/assignments/media-types/{media}"),
                    )
                )
                graph.add((distribution, DCTERMS.license, URIRef(DATA_LICENCE)))
    return graph.serialize(format="pretty-xml", encoding="utf-8")
