"""Settings profiles: ``demo`` (default, SQLite allowed), ``test`` (PostgreSQL),
``production`` (everything from the environment, secure defaults) and ``bench``
(production-like, plus the benchmark baseline endpoint)."""
