"""The encrypted and blind-index fields, on a throwaway table created with the schema editor."""

import pytest
from django.apps.registry import Apps
from django.core import checks
from django.core.exceptions import FieldError
from django.db import connection, models

from shanglian.common.crypto import DecryptionError
from shanglian.common.fields import BlindIndexField, EncryptedTextField
from shanglian.common.validators import normalize_id_number

ID_NUMBER = "120103199001011237"
MOBILE = "13800138000"

test_apps = Apps()


class Secret(models.Model):
    label = models.CharField(max_length=20, blank=True)
    id_number = EncryptedTextField(blank=True, null=True)
    id_number_index = BlindIndexField(
        source="id_number", normalizer="shanglian.common.validators.normalize_id_number"
    )

    class Meta:
        apps = test_apps
        app_label = "common_tests"
        db_table = "common_test_secret"

    def __str__(self):
        return self.label


@pytest.fixture(scope="module")
def secret_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Secret)
    yield Secret
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.delete_model(Secret)


@pytest.fixture
def db_with_secrets(secret_table, db, field_keys):
    return secret_table


def raw_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_index FROM common_test_secret WHERE id = %s", [pk])
        return cursor.fetchone()


def write_raw_token(pk, token):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE common_test_secret SET id_number = %s WHERE id = %s", [token, pk])


def test_raw_column_holds_a_token_and_no_plaintext(db_with_secrets):
    secret = Secret.objects.create(id_number=ID_NUMBER)
    stored, index = raw_row(secret.pk)
    assert stored.startswith("v1:k1:")
    assert ID_NUMBER not in stored and ID_NUMBER not in index
    assert len(index) == 64


def test_value_reads_back_as_plaintext(db_with_secrets):
    secret = Secret.objects.create(id_number=ID_NUMBER)
    assert secret.id_number == ID_NUMBER
    assert Secret.objects.get(pk=secret.pk).id_number == ID_NUMBER
    assert list(Secret.objects.values_list("id_number", flat=True)) == [ID_NUMBER]


def test_none_and_empty_string_are_stored_as_they_are(db_with_secrets):
    empty = Secret.objects.create(id_number="")
    missing = Secret.objects.create(id_number=None)
    assert raw_row(empty.pk) == ("", "")
    assert raw_row(missing.pk) == (None, "")
    assert Secret.objects.get(pk=empty.pk).id_number == ""
    assert Secret.objects.get(pk=missing.pk).id_number is None


def test_row_is_found_by_the_blind_index_of_its_exact_value(db_with_secrets):
    wanted = Secret.objects.create(label="wanted", id_number=ID_NUMBER)
    Secret.objects.create(label="other", id_number="120103199001011245")
    field = Secret._meta.get_field("id_number_index")
    assert list(Secret.objects.filter(id_number_index=field.index_for(ID_NUMBER))) == [wanted]
    # The normalizer makes a differently written equal value find the same row.
    assert Secret.objects.get(id_number_index=field.index_for(" " + ID_NUMBER.lower() + "\u3000")) == wanted
    assert not Secret.objects.filter(id_number_index=field.index_for("120103199001011253")).exists()


def test_bulk_create_encrypts_and_indexes_too(db_with_secrets):
    Secret.objects.bulk_create([Secret(label="a", id_number=ID_NUMBER), Secret(label="b", id_number="")])
    field = Secret._meta.get_field("id_number_index")
    found = Secret.objects.get(id_number_index=field.index_for(ID_NUMBER))
    assert found.label == "a" and found.id_number == ID_NUMBER
    assert raw_row(found.pk)[0].startswith("v1:k1:")


def test_blind_index_follows_changes_of_its_source(db_with_secrets):
    secret = Secret.objects.create(id_number=ID_NUMBER)
    field = Secret._meta.get_field("id_number_index")
    secret.id_number = ""
    secret.save()
    assert raw_row(secret.pk)[1] == ""
    secret.id_number = MOBILE
    secret.save(update_fields=["id_number", "id_number_index"])
    assert raw_row(secret.pk)[1] == field.index_for(MOBILE)


def test_saving_the_source_without_its_blind_index_is_refused(db_with_secrets):
    secret = Secret.objects.create(id_number=ID_NUMBER)
    secret.id_number = MOBILE
    with pytest.raises(ValueError):
        secret.save(update_fields=["id_number"])


def test_flipping_one_character_of_the_stored_token_makes_the_read_fail(db_with_secrets):
    secret = Secret.objects.create(id_number=ID_NUMBER)
    token = raw_row(secret.pk)[0]
    position = len(token) // 2
    flipped = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
    write_raw_token(secret.pk, flipped)
    with pytest.raises(DecryptionError):
        Secret.objects.get(pk=secret.pk)


def test_token_written_with_an_old_key_still_reads_after_a_new_key_is_put_first(db_with_secrets, rotate_keys):
    secret = Secret.objects.create(id_number=ID_NUMBER)
    rotate_keys()
    reread = Secret.objects.get(pk=secret.pk)
    assert reread.id_number == ID_NUMBER
    assert raw_row(secret.pk)[0].startswith("v1:k1:")
    reread.save()
    assert raw_row(secret.pk)[0].startswith("v1:k2:")
    assert Secret.objects.get(pk=secret.pk).id_number == ID_NUMBER


def test_filtering_an_encrypted_field_by_value_is_refused_not_silently_empty(db_with_secrets):
    Secret.objects.create(id_number=ID_NUMBER)
    with pytest.raises(FieldError):
        list(Secret.objects.filter(id_number=ID_NUMBER))
    with pytest.raises(FieldError):
        list(Secret.objects.filter(id_number__startswith="1201"))


def test_filtering_an_encrypted_field_for_empty_values_works(db_with_secrets):
    Secret.objects.create(id_number=ID_NUMBER)
    empty = Secret.objects.create(id_number="")
    missing = Secret.objects.create(id_number=None)
    assert list(Secret.objects.filter(id_number="")) == [empty]
    assert list(Secret.objects.filter(id_number__isnull=True)) == [missing]


def test_fields_deconstruct_for_migrations():
    name, path, args, kwargs = Secret._meta.get_field("id_number").deconstruct()
    assert path == "shanglian.common.fields.EncryptedTextField"
    assert kwargs == {"blank": True, "null": True}

    name, path, args, kwargs = Secret._meta.get_field("id_number_index").deconstruct()
    assert path == "shanglian.common.fields.BlindIndexField"
    assert kwargs == {
        "source": "id_number",
        "normalizer": "shanglian.common.validators.normalize_id_number",
    }
    rebuilt = BlindIndexField(*args, **kwargs)
    assert (rebuilt.max_length, rebuilt.db_index, rebuilt.source) == (64, True, "id_number")


def test_blind_index_normalizer_may_be_a_module_level_function_but_not_a_lambda():
    field = BlindIndexField(source="x", normalizer=normalize_id_number)
    assert field.normalizer == "shanglian.common.validators.normalize_id_number"
    with pytest.raises(ValueError):
        BlindIndexField(source="x", normalizer=lambda value: value)


def test_model_checks_refuse_unique_encrypted_fields_and_unknown_sources():
    other_apps = Apps()

    class Broken(models.Model):
        secret = EncryptedTextField(unique=True)
        secret_index = BlindIndexField(source="missing")

        class Meta:
            apps = other_apps
            app_label = "common_tests"

        def __str__(self):
            return "broken"

    ids = {error.id for error in Broken.check() if isinstance(error, checks.Error)}
    assert {"common.E001", "common.E003"} <= ids
