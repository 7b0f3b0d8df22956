"""The fast paths of the code normalisers, the blind index and the batch encryption give exactly what
the plain implementations gave (property-based: hypothesis), on codes already plain and on anything."""

from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from shanglian.common.crypto import blind_index, blind_indexes, get_cipher
from shanglian.common.validators import normalize_id_number, normalize_mobile, normalize_uscc
from shanglian.members.models import Enterprise
from shanglian.members.tests.oracles import old_blind_index, old_normalize_code, old_normalize_mobile

# codes as an import meets them: plain ones, and ones with full-width forms, spaces, separators, prefixes
_CODES = st.one_of(
    st.from_regex(r"\A[0-9A-Z]{1,20}\Z"),
    st.from_regex(r"\A(\+86|0086|86)?1[3-9][0-9]{9}\Z"),
    st.from_regex(r"\A[0-9]{11,13}\Z"),
    st.text(alphabet="0123456789ABXYZabxyz+-() 　\u200b\ufeff\n０９Ａｘ", max_size=22),
    st.text(max_size=12),
)


@settings(max_examples=1500, deadline=None)
@given(_CODES)
def test_the_normalisers_give_what_they_gave_before_their_fast_paths(value):
    assert normalize_uscc(value) == old_normalize_code(value)
    assert normalize_id_number(value) == old_normalize_code(value)
    assert normalize_mobile(value) == old_normalize_mobile(value)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.none(), _CODES), max_size=8))
def test_blind_indexes_are_the_hmac_of_the_normalised_value_as_before(values):
    key = django_settings.SHANGLIAN_BLIND_INDEX_KEY
    for normalizer, normalize in [(None, None), (normalize_mobile, normalize_mobile),
                                  ("shanglian.common.validators.normalize_id_number", normalize_id_number)]:
        expected = [old_blind_index(value, normalize, key) for value in values]
        assert blind_indexes(values, normalizer) == expected
        assert [blind_index(value, normalizer) for value in values] == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.just(""), st.text(max_size=20)), max_size=12))
def test_a_column_encrypted_in_one_batch_decrypts_to_itself_with_a_fresh_token_each(values):
    field = Enterprise._meta.get_field("contact_mobile")
    tokens = field.get_db_prep_save_many(values, connection=None)
    cipher = get_cipher()
    for value, token in zip(values, tokens, strict=True):
        if value is None or value == "":
            assert token == value
        else:
            assert token.startswith(f"v1:{cipher.current_key_id}:") and cipher.decrypt(token) == value
            assert len(token) == len(field.get_db_prep_save(value, connection=None))  # the same format
    encrypted = [token for token in tokens if token]
    assert len(set(encrypted)) == len(encrypted)  # a fresh nonce for every value
