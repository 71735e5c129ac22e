"""Stop early, with a clear message, when the tests' PostgreSQL is not reachable."""

import os
import sys

import psycopg

url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fordela")
# Connect to the maintenance database of the same server: the test database
# itself is created by the test run.
server = url.rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(server, connect_timeout=3).close()
except psycopg.OperationalError as error:
    sys.exit(
        f"PostgreSQL is not reachable at {server}:\n  {error}\n"
        "The tests need PostgreSQL. Start it, e.g. on Debian:\n"
        "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
        "or point DATABASE_URL at a server where the user may create databases."
    )
