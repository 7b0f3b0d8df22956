import pytest

from shanglian.imports import registry

from .toy import KIND, ToySpec


@pytest.fixture
def toy_kind():
    registry.register(KIND, ToySpec)
    yield KIND
    registry.unregister(KIND)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
