"""Field encryption and blind indexes for personal data at rest (等保 -25..-28, PIPL).

One interface, `FieldCipher.encrypt(str) -> str` / `decrypt(str) -> str`, so the algorithm can be
swapped (e.g. for SM4 if 密评 requires it) by adding a token version, without touching callers.

Token format, version 1: ``v1:<kid>:<urlsafe-base64(nonce ‖ ciphertext ‖ tag)>``

- AES-256-GCM (`cryptography`'s AESGCM) with a random 12-byte nonce per encryption;
- the associated data is ``b"v1:<kid>"``, so a token cannot be relabelled with another key id or
  version without failing authentication;
- `settings.SHANGLIAN_FIELD_KEYS` maps key id -> 32-byte key; `SHANGLIAN_FIELD_KEY_ID` (the first key)
  encrypts, every key decrypts, so rotating is: put a new key first, keep the old ones until every
  row has been re-saved.

Any failure to decrypt (tampered token, unknown key id, malformed token) raises `DecryptionError` and
logs a warning that names the key id and the reason, never the token or the plaintext.

`blind_index(value)` is an HMAC-SHA256 (key `SHANGLIAN_BLIND_INDEX_KEY`) of the normalised value, in
hex: equal values give equal indexes, so rows can be found and de-duplicated by ID number or mobile
without storing them in clear. It cannot be rotated without recomputing every index.

For an import of many rows, `FieldCipher.encrypt_many` and `blind_indexes` give, value by value,
exactly what `encrypt` (the same format, a fresh random nonce for every value) and `blind_index` give,
with the per-call work (key lookup, normaliser, one random read per value) done once per batch.
"""

import base64
import binascii
import hashlib
import hmac
import logging
import os
import unicodedata
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

__all__ = ["DecryptionError", "FieldCipher", "blind_index", "blind_indexes", "get_cipher"]

logger = logging.getLogger(__name__)

VERSION = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
TAG_BYTES = 16


class DecryptionError(Exception):
    """A stored token could not be decrypted: tampered with, truncated, or its key is missing."""

    def __init__(self, message="加密数据解密失败：数据可能已被篡改，或所需密钥不可用。"):
        super().__init__(message)


class FieldCipher:
    """Authenticated encryption of short text values, with key ids for rotation."""

    def __init__(self, keys=None, current_key_id=None):
        if keys is None:
            keys = settings.SHANGLIAN_FIELD_KEYS
        if current_key_id is None:
            current_key_id = getattr(settings, "SHANGLIAN_FIELD_KEY_ID", None) or next(iter(keys), None)
        if not keys or current_key_id not in keys:
            raise ImproperlyConfigured("字段加密密钥配置错误：当前密钥编号不在 SHANGLIAN_FIELD_KEYS 中。")
        self._aeads = {}
        for kid, key in keys.items():
            if not kid or ":" in kid:
                raise ImproperlyConfigured("字段加密密钥编号不能为空，也不能包含冒号。")
            if not isinstance(key, bytes) or len(key) != KEY_BYTES:
                raise ImproperlyConfigured("字段加密密钥必须为 32 字节（AES-256）。")
            self._aeads[kid] = AESGCM(key)
        self.current_key_id = current_key_id

    @staticmethod
    def _associated_data(version, kid):
        return f"{version}:{kid}".encode()

    def encrypt(self, plaintext):
        if not isinstance(plaintext, str):
            raise TypeError("FieldCipher.encrypt expects str")
        kid = self.current_key_id
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aeads[kid].encrypt(nonce, plaintext.encode(), self._associated_data(VERSION, kid))
        payload = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return f"{VERSION}:{kid}:{payload}"

    def encrypt_many(self, plaintexts):
        """`[self.encrypt(p) for p in plaintexts]`, with the nonces (12 random bytes for every value, as
        `encrypt` draws them) read from the operating system in one call."""
        plaintexts = list(plaintexts)
        if any(not isinstance(plaintext, str) for plaintext in plaintexts):
            raise TypeError("FieldCipher.encrypt expects str")
        kid = self.current_key_id
        seal, associated = self._aeads[kid].encrypt, self._associated_data(VERSION, kid)
        nonces = os.urandom(NONCE_BYTES * len(plaintexts))
        encode, prefix = base64.urlsafe_b64encode, f"{VERSION}:{kid}:"
        tokens = []
        for start, plaintext in zip(range(0, len(nonces), NONCE_BYTES), plaintexts, strict=True):
            nonce = nonces[start:start + NONCE_BYTES]
            tokens.append(prefix + encode(nonce + seal(nonce, plaintext.encode(), associated)).decode("ascii"))
        return tokens

    def decrypt(self, token):
        if not isinstance(token, str):
            self._fail("not a string", kid=None)
        head, sep, payload = token.rpartition(":")
        version, sep2, kid = head.partition(":")
        if not (sep and sep2) or version != VERSION:
            self._fail("unknown token format or version", kid=None)
        aead = self._aeads.get(kid)
        if aead is None:
            self._fail("unknown key id", kid=kid)
        try:
            raw = base64.b64decode(payload.encode("ascii"), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raw = None
        # Only the canonical encoding is accepted: a changed padding bit is tampering too.
        if raw is None or base64.urlsafe_b64encode(raw).decode("ascii") != payload:
            self._fail("payload is not canonical base64", kid=kid)
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            self._fail("payload too short", kid=kid)
        try:
            plaintext = aead.decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._associated_data(version, kid)
            )
        except InvalidTag:
            self._fail("authentication tag mismatch (tampered or wrong key)", kid=kid)
        try:
            return plaintext.decode()
        except UnicodeDecodeError:
            self._fail("plaintext is not UTF-8", kid=kid)

    @staticmethod
    def _fail(reason, kid):
        # Never log the token or the value: the key id and the reason are enough to investigate.
        logger.warning("Field decryption failed: %s (key id %r)", reason, kid[:32] if kid else kid)
        raise DecryptionError()


@lru_cache(maxsize=1)
def get_cipher():
    """The cipher built from the settings (cached; rebuilt when a test overrides the settings)."""
    return FieldCipher()


@receiver(setting_changed)
def _reset_caches(*, setting, **kwargs):
    if setting in {"SHANGLIAN_FIELD_KEYS", "SHANGLIAN_FIELD_KEY_ID"}:
        get_cipher.cache_clear()


@lru_cache(maxsize=64)
def _import_normalizer(path):
    return import_string(path)


def _resolve_normalizer(normalizer):
    if isinstance(normalizer, str):
        return _import_normalizer(normalizer)
    return normalizer


def blind_index(value, normalizer=None):
    """HMAC-SHA256 of the normalised value, hex (64 characters); "" for None or an empty value.

    The value is first passed through `normalizer` (a callable or a dotted path, e.g.
    "shanglian.common.validators.normalize_id_number"), then NFKC-normalised and stripped, so
    "350102199001011234" and "３５０１０２…" give the same index when the normalizer says so.
    """
    return blind_indexes([value], normalizer)[0]


def blind_indexes(values, normalizer=None):
    """`[blind_index(value, normalizer) for value in values]`: the normaliser and the key looked up once."""
    normalize = _resolve_normalizer(normalizer)
    key = settings.SHANGLIAN_BLIND_INDEX_KEY
    digest, nfkc = hmac.digest, unicodedata.normalize
    indexes = []
    for value in values:
        if value is None:
            indexes.append("")
            continue
        text = normalize(value) if normalize else value
        text = str(text)
        if not text.isascii():
            text = nfkc("NFKC", text)  # NFKC leaves ASCII as it is
        text = text.strip()
        indexes.append(digest(key, text.encode(), hashlib.sha256).hex() if text else "")
    return indexes
