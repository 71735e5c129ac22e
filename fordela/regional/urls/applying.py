"""Regional URLs: applying (issue 20 §3). Public: the rounds and a round's
page. The applicant: starting, the draft, the check page, the receipt."""

from django.urls import path

from ..views import applying

urlpatterns: list = [
    path("regionala-bidrag/", applying.public_rounds, name="apply_rounds"),
    path("regionala-bidrag/<int:round_pk>/", applying.public_round, name="apply_round"),
    path("regionala-bidrag/<int:round_pk>/ansok/", applying.start, name="apply_start"),
    path("regionala-bidrag/ansokan/<int:pk>/", applying.edit, name="apply_edit"),
    path(
        "regionala-bidrag/ansokan/<int:pk>/autospara/",
        applying.autosave,
        name="apply_autosave",
    ),
    path("regionala-bidrag/ansokan/<int:pk>/kontrollera/", applying.check, name="apply_check"),
    path("regionala-bidrag/ansokan/<int:pk>/kvitto/", applying.receipt, name="apply_receipt"),
    path(
        "regionala-bidrag/ansokan/<int:pk>/ta-tillbaka/",
        applying.withdraw,
        name="apply_withdraw",
    ),
]
