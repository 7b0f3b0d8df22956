import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from shanglian.common.crypto import DecryptionError, FieldCipher, blind_index, get_cipher

from .conftest import KEY_NEW, KEY_OLD

ID_NUMBER = "120103199001011237"


def test_encrypted_value_decrypts_to_the_same_text(field_keys):
    cipher = get_cipher()
    for text in [ID_NUMBER, "13800138000", "张三丰 · 天津市河西区", "x"]:
        assert cipher.decrypt(cipher.encrypt(text)) == text


def test_token_names_version_and_key_and_hides_the_value(field_keys):
    token = get_cipher().encrypt(ID_NUMBER)
    assert token.startswith("v1:k1:")
    assert ID_NUMBER not in token


def test_same_value_encrypts_differently_each_time(field_keys):
    cipher = get_cipher()
    assert cipher.encrypt(ID_NUMBER) != cipher.encrypt(ID_NUMBER)


def test_changing_any_single_character_of_a_token_is_detected(field_keys):
    cipher = get_cipher()
    token = cipher.encrypt(ID_NUMBER)
    for position, char in enumerate(token):
        replacement = "B" if char != "B" else "C"
        tampered = token[:position] + replacement + token[position + 1 :]
        with pytest.raises(DecryptionError):
            cipher.decrypt(tampered)


def test_truncated_or_garbage_tokens_are_refused(field_keys):
    cipher = get_cipher()
    token = cipher.encrypt(ID_NUMBER)
    for bad in [token[:-4], "v1:k1:", "v1:k1:AAAA", "plaintext", "", "v2:k1:" + token[6:]]:
        with pytest.raises(DecryptionError):
            cipher.decrypt(bad)


def test_token_relabelled_with_another_key_id_is_refused(rotate_keys):
    rotate_keys()
    cipher = get_cipher()
    token = FieldCipher({"k1": KEY_OLD}, "k1").encrypt(ID_NUMBER)
    relabelled = token.replace("v1:k1:", "v1:k2:")
    with pytest.raises(DecryptionError):
        cipher.decrypt(relabelled)


def test_token_written_with_an_old_key_decrypts_after_rotation(rotate_keys):
    old_token = get_cipher().encrypt(ID_NUMBER)
    rotate_keys()
    cipher = get_cipher()
    assert cipher.decrypt(old_token) == ID_NUMBER
    assert cipher.encrypt(ID_NUMBER).startswith("v1:k2:")


def test_token_whose_key_was_removed_is_refused(field_keys):
    token = FieldCipher({"gone": KEY_NEW}, "gone").encrypt(ID_NUMBER)
    with pytest.raises(DecryptionError):
        get_cipher().decrypt(token)


def test_decryption_failure_has_a_chinese_message_and_logs_a_warning_without_the_value(field_keys, caplog):
    token = get_cipher().encrypt(ID_NUMBER)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with caplog.at_level(logging.WARNING, logger="shanglian.common.crypto"):
        with pytest.raises(DecryptionError) as exc:
            get_cipher().decrypt(tampered)
    assert "解密失败" in str(exc.value)
    assert isinstance(exc.value, Exception)
    records = [r for r in caplog.records if r.name == "shanglian.common.crypto"]
    assert records and records[0].levelno == logging.WARNING
    logged = caplog.text
    assert ID_NUMBER not in logged
    assert tampered[6:] not in logged and token[6:] not in logged


def test_keys_of_the_wrong_size_are_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        FieldCipher({"k1": b"short"}, "k1")
    with pytest.raises(ImproperlyConfigured):
        FieldCipher({"k1": KEY_OLD}, "missing")


def test_blind_index_is_a_stable_hex_hmac(field_keys):
    index = blind_index(ID_NUMBER)
    assert len(index) == 64 and int(index, 16) >= 0
    assert blind_index(ID_NUMBER) == index
    assert blind_index("120103199001011245") != index
    assert ID_NUMBER not in index


def test_blind_index_depends_on_the_key(field_keys):
    before = blind_index(ID_NUMBER)
    field_keys.SHANGLIAN_BLIND_INDEX_KEY = KEY_NEW
    assert blind_index(ID_NUMBER) != before


def test_blind_index_of_differently_written_equal_values_is_equal(field_keys):
    normalizer = "shanglian.common.validators.normalize_mobile"
    assert blind_index("+86 138 0013 8000", normalizer) == blind_index("13800138000", normalizer)
    assert blind_index("１３８００１３８０００") == blind_index("13800138000")


def test_blind_index_of_empty_value_is_empty(field_keys):
    assert blind_index(None) == ""
    assert blind_index("") == ""
    assert blind_index("   ") == ""
