"""The incoming-payment pages' rows of the URL × role table
(tests/access/url_access_table.py): READ_RECOVERY (handläggare,
beslutsfattare, ekonomi) reads, REGISTER_PAYMENTS (ekonomi) acts; anyone
else logged in gets 403, the anonymous the login page."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from fordela.recovery.services import payments
from tests.access.url_access_table import Entry, expect
from tests.recovery.bgmax_files import bgmax_file, deposit, payment

BG = "55555551"
READERS_200 = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)


def _objects(world) -> dict:
    if "payments" not in world.extras:
        ekonomi = world.users["ekonomi"]
        queued = payments.register_payment(
            ekonomi, reference="", amount_sek=500, paid_on=datetime.date(2022, 6, 14)
        )
        imported = payments.import_bgmax(
            ekonomi,
            "bgmax.txt",
            bgmax_file([deposit(BG, [payment("", 100_00, 1, reference_code="1")])]),
        )
        world.extras["payments"] = {"queued": queued, "import": imported}
    return world.extras["payments"]


def queued_kwargs(world) -> dict:
    return {"pk": _objects(world)["queued"].pk}


def import_kwargs(world) -> dict:
    return {"pk": _objects(world)["import"].pk}


def _file(world) -> dict:
    content = bgmax_file([deposit(BG, [payment("", 250_00, 99, reference_code="1")])])
    return {"file": SimpleUploadedFile("bgmax.txt", content, content_type="text/plain")}


ROWS = {
    "recovery:payments": Entry(READERS_200),
    "recovery:payment_queue": Entry(READERS_200),
    "recovery:payment_register": Entry(expect(403, anonymous=302, ekonomi=200)),
    "recovery:payment_import": Entry(expect(403, anonymous=302, ekonomi=200)),
    "recovery:payment_import_result": Entry(READERS_200, kwargs=import_kwargs),
    "recovery:payment": Entry(READERS_200, kwargs=queued_kwargs),
    "recovery:payment_resolve": Entry(
        expect(403, anonymous=302, ekonomi=302),
        kwargs=queued_kwargs,
        method="post",
        data=lambda w: {"action": "close", "note": "Dubbelbetalning", "confirmed": "1"},
        note="confirmed: resolved, back to the payment",
    ),
}

# The same pages when they act (POST): registered by hand, a file imported.
POST_ROWS = {
    "recovery:payment_register": Entry(
        expect(403, anonymous=302, ekonomi=302),
        method="post",
        data=lambda w: {"reference": "", "amount_sek": "100", "paid_on": "2022-06-14"},
        note="registered: to the payment's page",
    ),
    "recovery:payment_import": Entry(
        expect(403, anonymous=302, ekonomi=302),
        method="post",
        data=_file,
        note="imported: to the import's result",
    ),
}
