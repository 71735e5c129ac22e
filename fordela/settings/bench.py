"""Load benchmark profile (``make bench-web``): production settings, served
over plain HTTP on 127.0.0.1, plus the baseline endpoint under /_bench/.

scripts/bench_web.py provides SECRET_KEY and DATABASE_URL; never deploy this.
"""

import os

# The benchmark never writes payment files; the demo's example values will do.
os.environ.setdefault("FORDELA_AGENCY_ORGNR", "2021000555")
os.environ.setdefault("FORDELA_AGENCY_BANKGIRO", "55555551")
os.environ.setdefault("FORDELA_AGENCY_BIC", "NDEASESS")

from .production import *  # noqa: F403
from .production import DATABASES

# gunicorn listens on 127.0.0.1 without TLS in front of it.
SECURE_SSL_REDIRECT = False
BENCHMARK_ENDPOINTS = True
# Keep connections open between requests, as production should
# (toolchain-notes §6: without it each request pays for a new connection).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
INSTALLED_APPS = [*INSTALLED_APPS, "fordela.bench"]  # noqa: F405
