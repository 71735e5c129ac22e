"""The uptake map's row of the URL × role table
(tests/access/url_access_table.py): public, the same for every role, on the
world's programme year (its published key)."""

from tests.access.url_access_table import EVERYONE_200, Entry, key


def _year(world) -> dict:
    kwargs = key(world)
    return {"programme": kwargs["programme"], "year": kwargs["year"]}


ROWS = {"reporting:map": Entry(EVERYONE_200, kwargs=_year)}
