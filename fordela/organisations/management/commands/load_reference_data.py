from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fordela.organisations.reference_data import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = (
        "Load kommuner, regioner, länsstyrelser and other actors with their populations "
        "from the reference CSV files. Safe to run again: only differences are written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Folder with kommuner.csv, regioner.csv and other_actors.csv "
            "(default: data/reference in the project).",
        )

    def handle(self, *args, **options):
        directory = options["directory"] or Path(settings.BASE_DIR) / "data" / "reference"
        try:
            result = load_reference_data(directory, actor="manage.py load_reference_data")
        except ReferenceDataError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Referensdata lästes inte in: {len(exc.errors)} fel. Databasen är oförändrad."
            ) from exc
        self.stdout.write(
            f"Organisationer: {result.organisations_created} nya, "
            f"{result.organisations_updated} ändrade, "
            f"{result.organisations_unchanged} oförändrade."
        )
        self.stdout.write(
            f"Folkmängder: {result.populations_created} nya, "
            f"{result.populations_updated} ändrade, "
            f"{result.populations_unchanged} oförändrade."
        )
