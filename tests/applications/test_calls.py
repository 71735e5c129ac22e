"""Calls: seeded by the demo with the real dates, versioned question sets that never
change once published, and next year's call as a copy."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fordela.applications import calls, demo
from fordela.applications.models import Question, QuestionKind, QuestionSetStatus
from fordela.programmes.models import Pool


def test_seeded_ngo_call_has_the_real_dates_and_the_pools_budget(world):
    call = world.ngo_call
    assert call.opens_on == datetime.date(2021, 10, 18)
    assert call.closes_on == datetime.date(2021, 12, 21)
    assert call.budget_sek == 8_000_000
    assert call.question_set.is_published
    assert call.question_set.questions.count() == 6
    assert [a["key"] for a in call.attachment_checklist] == [
        "statutes",
        "annual_report",
        "accounts",
        "audit_report",
    ]


def test_stimulus_call_needs_consultation_and_is_for_lansstyrelser_and_universities(world):
    assert world.stimulus_call.budget_sek == 7_000_000
    assert world.stimulus_call.needs_consultation
    assert calls.eligible(world.stimulus_call, world.lansstyrelse)
    assert not calls.eligible(world.stimulus_call, world.ngo)


def test_seed_calls_is_idempotent(world):
    again = demo.seed_calls()
    assert [c.pk for c in again] == [world.ngo_call.pk, world.stimulus_call.pk]


def test_service_refuses_to_add_a_question_to_a_published_set(world):
    with pytest.raises(ValidationError, match="published"):
        calls.add_question(
            "tests", world.ngo_call.question_set, key="x", text="X?", kind=QuestionKind.TEXT
        )


def test_a_published_question_set_cannot_be_published_again(world):
    question_set = world.ngo_call.question_set
    published_at = question_set.published_at
    with pytest.raises(ValidationError, match="that is published cannot be published"):
        calls.publish_question_set("tests", question_set)
    question_set.refresh_from_db()
    assert question_set.published_at == published_at


def test_database_refuses_to_change_a_published_question(world):
    question = world.ngo_call.question_set.questions.first()
    question.text = "Ändrad fråga"
    with pytest.raises(IntegrityError.__mro__[1]), transaction.atomic():
        question.save()
    with pytest.raises(IntegrityError.__mro__[1]), transaction.atomic():
        Question.objects.filter(pk=question.pk).delete()


def test_database_refuses_to_unpublish_a_question_set(world):
    question_set = world.ngo_call.question_set
    question_set.status = QuestionSetStatus.DRAFT
    question_set.published_at = None
    with pytest.raises(IntegrityError.__mro__[1]), transaction.atomic():
        question_set.save()


def test_a_new_version_copies_the_questions_and_leaves_the_published_one_alone(world):
    draft = calls.new_version("tests", world.ngo_call)
    assert draft.version == 2
    calls.add_question(
        "tests", draft, key="extra", text="Något mer?", kind=QuestionKind.TEXT, required=False
    )
    calls.publish_question_set("tests", draft)
    world.ngo_call.refresh_from_db()
    assert world.ngo_call.question_set == draft
    assert world.ngo_call.question_sets.get(version=1).questions.count() == 6
    assert draft.questions.count() == 7


def test_next_years_call_starts_as_a_copy(world):
    pool_2021 = Pool.objects.get(programme_year__year=2021, slug="ideella")
    # Pretend the 2022 call is last year's and copy it to another pool.
    copy = calls.copy_call(
        "tests", world.ngo_call, pool_2021, datetime.date(2022, 10, 1), datetime.date(2022, 12, 1)
    )
    assert copy.copied_from == world.ngo_call
    assert copy.question_set is None  # a draft until someone publishes it
    draft = calls.draft_set(copy)
    assert list(draft.questions.values_list("key", flat=True)) == list(
        world.ngo_call.question_set.questions.values_list("key", flat=True)
    )
    assert copy.criteria == world.ngo_call.criteria


def test_time_left_counts_the_last_day(world, clock_at):
    clock_at("2021-12-20T09:00")
    assert calls.days_left(world.ngo_call) == 2
    clock_at("2021-12-22T00:00")
    assert calls.days_left(world.ngo_call) is None
