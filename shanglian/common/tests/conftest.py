import pytest

KEY_OLD = bytes(range(32))
KEY_NEW = bytes(range(32, 64))
BLIND_KEY = bytes(range(64, 96))


@pytest.fixture
def field_keys(settings):
    """Known keys for the test: one current key "k1" and the blind-index key."""
    settings.SHANGLIAN_FIELD_KEYS = {"k1": KEY_OLD}
    settings.SHANGLIAN_FIELD_KEY_ID = "k1"
    settings.SHANGLIAN_BLIND_INDEX_KEY = BLIND_KEY
    return settings


@pytest.fixture
def rotate_keys(field_keys):
    """Put a new key "k2" first, keeping "k1" for decryption, as a key rotation does."""

    def rotate():
        field_keys.SHANGLIAN_FIELD_KEYS = {"k2": KEY_NEW, "k1": KEY_OLD}
        field_keys.SHANGLIAN_FIELD_KEY_ID = "k2"

    return rotate
