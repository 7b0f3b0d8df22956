"""The one way to keep a user's file: checked by content, stored by UUID, removed again when the
transaction recording it fails."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shanglian.appeals.models import Attachment
from shanglian.common.uploads import check_uploads, check_with_uploads, kept_files

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


def test_a_field_carries_every_reason_of_the_files():
    files = [SimpleUploadedFile("a.pdf", b""), SimpleUploadedFile("b.pdf", b"<html></html>")]
    with pytest.raises(ValidationError) as refused:
        check_uploads(files, field="proofs")
    assert list(refused.value.message_dict) == ["proofs"] and len(refused.value.message_dict["proofs"]) == 2
    with pytest.raises(ValidationError) as refused:
        check_uploads([SimpleUploadedFile("a.pdf", PDF)] * 2, max_files=1, field="proofs")
    assert refused.value.message_dict == {"proofs": ["附件最多 1 个，您选择了 2 个。"]}


def test_the_record_and_its_files_are_refused_together():
    def check():
        raise ValidationError({"title": ["请填写标题。"]})

    with pytest.raises(ValidationError) as refused:
        check_with_uploads(check, [SimpleUploadedFile("a.pdf", b"")], field="scans")
    assert set(refused.value.message_dict) == {"title", "scans"}
    values, checked = check_with_uploads(lambda: {"title": "标题"}, [SimpleUploadedFile("a.pdf", PDF)], field="scans")
    assert values == {"title": "标题"} and checked[0].extension == "pdf"


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


# --- Office attachments are opened safely before they are accepted (issue 18.1) ---------------------

def test_an_ordinary_docx_and_xlsx_are_accepted():
    from .crafted import docx_bytes, xlsx_bytes

    checked = check_uploads([SimpleUploadedFile("材料.docx", docx_bytes()),
                             SimpleUploadedFile("清单.xlsx", xlsx_bytes([("A1", "名称")]))])
    assert [item.extension for item in checked] == ["docx", "xlsx"]
    assert checked[0].upload.tell() == 0


@pytest.mark.parametrize(("name", "reason"), [
    ("bomb.docx", "解压后过大"), ("laughs.docx", "DTD/实体"), ("laughs.xlsx", "DTD/实体"), ("far.xlsx", "数据区域异常"),
])
def test_a_crafted_office_attachment_is_refused_with_a_chinese_reason(name, reason):
    from .crafted import bomb_docx, laughing_docx, laughing_xlsx, xlsx_bytes

    content = {"bomb.docx": bomb_docx, "laughs.docx": laughing_docx, "laughs.xlsx": laughing_xlsx,
               "far.xlsx": lambda: xlsx_bytes([("A1", "名称"), ("XFD1048576", "远")])}[name]()
    assert len(content) < 1024 * 1024
    with pytest.raises(ValidationError) as info:
        check_uploads([SimpleUploadedFile(name, content)])
    assert f"“{name}”" in info.value.messages[0] and reason in info.value.messages[0]
