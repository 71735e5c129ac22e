"""Regional URLs: the region staff's rounds and decisions (issue 20 §1–3).
The agency's readers reach the same pages read-only."""

from django.urls import path

from ..views import decisions, rounds

urlpatterns: list = [
    path("regional/utlysningar/", rounds.round_list, name="rounds"),
    path("regional/utlysningar/ny/", rounds.round_create, name="round_create"),
    path("regional/utlysningar/<int:pk>/", rounds.round_page, name="round"),
    path("regional/utlysningar/<int:pk>/andra/", rounds.round_edit, name="round_edit"),
    path("regional/utlysningar/<int:pk>/fragor/", rounds.round_questions, name="round_questions"),
    path(
        "regional/utlysningar/<int:pk>/fragor/ny-version/",
        rounds.questions_new_version,
        name="round_questions_new",
    ),
    path(
        "regional/utlysningar/<int:pk>/fragor/publicera/",
        rounds.questions_publish,
        name="round_questions_publish",
    ),
    path(
        "regional/utlysningar/<int:pk>/finansiering/",
        rounds.refresh_funding,
        name="round_refresh_funding",
    ),
    path("regional/utlysningar/<int:pk>/oppna/", rounds.round_open, name="round_open"),
    path("regional/utlysningar/<int:pk>/stang/", rounds.round_close, name="round_close"),
    path("regional/utlysningar/<int:pk>/avsluta/", rounds.round_finish, name="round_finish"),
    path("regional/ansokningar/<int:pk>/", decisions.assessment, name="assessment"),
    path("regional/ansokningar/<int:pk>/forslag/", decisions.propose, name="propose"),
    path("regional/ansokningar/<int:pk>/beslut/", decisions.decide, name="decide"),
    path(
        "regional/ansokningar/<int:pk>/tillbaka/",
        decisions.return_proposal,
        name="return_proposal",
    ),
    path("regional/beslut/<int:pk>/brev/", decisions.decision_letter, name="decision_letter"),
]
