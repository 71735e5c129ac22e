"""The decision-letter benchmark runs end to end and leaves nothing behind."""

from django.core.management import call_command

from fordela.applications.models import Decision


def test_bench_decision_letters_reports_the_time_and_rolls_back(db, capsys):
    call_command("bench_decision_letters", "--count", "10")
    out = capsys.readouterr().out
    assert "10 decision letters in" in out
    assert not Decision.objects.exists()
