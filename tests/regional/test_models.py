"""The regional models' database checks: what the services rely on even if
a service had a bug."""

import pytest
from django.db import IntegrityError, transaction

from fordela.regional.models import SubGrantRound

pytestmark = pytest.mark.django_db


def test_a_round_cannot_have_decided_more_than_its_funding(make_round):
    round_ = make_round(state_funding_sek=100_000, own_funding_sek=20_000)
    SubGrantRound.objects.filter(pk=round_.pk).update(decided_sek=120_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubGrantRound.objects.filter(pk=round_.pk).update(decided_sek=120_001)
