"""Synthetic data at N times the demo's size for ``make bench-scale``
(``fordela.bench.scale``). PostgreSQL only; builds on ``make demo-data``."""

from django.core.management.base import BaseCommand, CommandError

from fordela.bench.scale import ScaleDataError, generate


class Command(BaseCommand):
    help = (
        "Add N − 1 synthetic programmes shaped like S2020/01591 (requisitions, payments, "
        "applications, audit events) to the demo data; factor 1 is the demo as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, required=True)
        parser.add_argument("--seed", type=int, default=15, help="the random generator's seed")

    def handle(self, *args, **options):
        try:
            result = generate(options["factor"], seed=options["seed"], log=self.stdout.write)
        except ScaleDataError as error:
            raise CommandError(str(error)) from None
        if not result.programmes:
            self.stdout.write(f"Nothing to add for factor {options['factor']}.")
            return
        made = ", ".join(f"{count} {name}" for name, count in result.added.items() if count)
        self.stdout.write(
            f"Factor {options['factor']}: added {', '.join(result.programmes)} "
            f"in {result.seconds:.1f} s: {made}."
        )
