"""Time deciding N applications and producing their decision letters (PDF).
Nothing is kept: the work runs in a transaction that is rolled back."""

from django.core.management.base import BaseCommand

from fordela.bench.letters import run

GOAL_SECONDS = 60


class Command(BaseCommand):
    help = "Time deciding 300 applications and producing their decision letters (goal < 60 s)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300)

    def handle(self, *args, **options):
        result = run(options["count"])
        seconds = result["seconds"]
        per_letter = seconds / result["letters"]
        verdict = "OK" if seconds < GOAL_SECONDS * result["letters"] / 300 else "TOO SLOW"
        self.stdout.write(
            f"{result['letters']} decision letters in {seconds:.1f} s "
            f"({per_letter * 1000:.0f} ms each; deciding {result['deciding_seconds']:.1f} s; "
            f"{result['bytes'] // 1024} KiB) – "
            f"goal for 300: < {GOAL_SECONDS} s: {verdict}"
        )
