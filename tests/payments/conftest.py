from tests.requisitions.conftest import clock_at, round_, smtp_sink  # noqa: F401
