import pytest

from tests.library.fixtures import make_library


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
