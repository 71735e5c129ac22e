from tests.requisitions.conftest import clock_at, english, round_, smtp_sink  # noqa: F401
