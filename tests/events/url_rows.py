"""The events' rows of the URL × role table: the registration side's
(url_rows_registration) and the organiser's (url_rows_organiser), whichever
exist."""

import importlib

ROWS: dict = {}
for _name in ("tests.events.url_rows_registration", "tests.events.url_rows_organiser"):
    try:
        ROWS.update(importlib.import_module(_name).ROWS)
    except ModuleNotFoundError as error:
        if error.name != _name:
            raise
