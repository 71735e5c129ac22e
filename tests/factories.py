"""factory_boy factories for the models tests need most."""

import datetime

import factory

from fordela.organisations.models import Organisation, OrganisationKind, Population
from fordela.programmes.models import Eligibility, Pool, PoolKind, Programme, ProgrammeYear


def _luhn_complete(nine_digits: str) -> str:
    from stdnum import luhn

    return nine_digits + luhn.calc_check_digit(nine_digits)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = OrganisationKind.KOMMUN
    organisation_number = factory.Sequence(lambda n: _luhn_complete(f"21200{n:04d}"))
    municipality_code = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")
    county_code = "01"
    county_name = "Stockholms län"
    reference_key = factory.Sequence(lambda n: f"test-{n}")


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    organisation = factory.SubFactory(OrganisationFactory)
    reference_date = datetime.date(2020, 12, 31)
    population = 10_000


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    reference_number = factory.Sequence(lambda n: f"T2020/{n:05d}")
    slug = factory.LazyAttribute(lambda o: o.reference_number.lower().replace("/", "-"))
    title = "Testprogram"
    decision_date = datetime.date(2020, 3, 12)
    first_year = 2020
    last_year = 2022


class ProgrammeYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeYear

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2021


class PoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pool

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    slug = "kommuner"
    name = "Kommuner"
    kind = PoolKind.REQUISITION
    eligibility = Eligibility.MUNICIPALITIES
    amount_sek = 1_000_000
    allows_redistribution = True
