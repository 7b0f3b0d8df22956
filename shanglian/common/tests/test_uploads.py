"""The one way to keep a user's file: checked by content, stored by UUID, removed again when the
transaction recording it fails."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shanglian.appeals.models import Attachment
from shanglian.common.uploads import check_uploads, kept_files

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_type_comes_from_the_content_not_the_name():
    checked = check_uploads([SimpleUploadedFile("扫描件.docx", PDF)])
    assert checked[0].extension == "pdf" and checked[0].name == "扫描件.docx"
    with pytest.raises(ValidationError, match="不是允许的类型"):
        check_uploads([SimpleUploadedFile("合同.pdf", b"<html><script>alert(1)</script></html>")])


def test_kept_files_are_stored_by_uuid_and_recorded(cast, media):
    from shanglian.appeals.tests.factories import make_appeal

    appeal = make_appeal(cast)
    with kept_files("appeals") as keeper, transaction.atomic():
        keeper.save(Attachment, check_uploads([SimpleUploadedFile("../../营业执照.pdf", PDF)]), appeal=appeal)
    row = Attachment.objects.get()
    assert row.original_name == "营业执照.pdf" and row.size == len(PDF) and len(row.sha256) == 64
    assert (media / "appeals" / row.stored_name).read_bytes() == PDF


def test_a_failed_transaction_removes_the_files_it_stored(cast, media):
    from shanglian.appeals.tests.factories import make_appeal

    appeal = make_appeal(cast)
    with pytest.raises(RuntimeError), kept_files("appeals") as keeper, transaction.atomic():
        keeper.save(Attachment, check_uploads([SimpleUploadedFile("a.pdf", PDF)]), appeal=appeal)
        raise RuntimeError("the audit write failed")
    assert not Attachment.objects.exists()
    assert list((media / "appeals").iterdir()) == []
