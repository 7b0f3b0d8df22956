"""Issue 18.1: a crafted spreadsheet uploaded on an import page is refused in Chinese before
python-calamine reads it, and neither a job nor the uploaded file is left behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian.common.models import ImportJob
from shanglian.common.tests.crafted import laughing_xlsx, xlsx_bytes
from shanglian.imports import jobs

CRAFTED = {
    "far column": (lambda: xlsx_bytes([("A1", "会员类型*"), ("B1", "入会日期*"), ("GT2", "远")]), "数据区域异常"),
    "last cell": (lambda: xlsx_bytes([("A1", "会员类型*"), ("XFD1048576", "远")]), "数据区域异常"),
    "billion laughs": (laughing_xlsx, "DTD/实体"),
}


def _left_behind(media):
    folder = media / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("case", list(CRAFTED))
def test_a_crafted_sheet_uploaded_on_the_import_page_is_refused_and_nothing_is_kept(cast, login, media, case):
    build, reason = CRAFTED[case]
    response = login(cast.users.staff).post(reverse("members:member_import"),
                                            {"file": SimpleUploadedFile("会员.xlsx", build())})
    assert response.status_code == 200 and reason in response.content.decode()
    assert not ImportJob.objects.exists() and _left_behind(media) == []


def test_an_upload_that_fails_in_any_way_while_checked_is_not_kept(cast, media, monkeypatch):
    def explode(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(jobs, "run_import", explode)
    upload = SimpleUploadedFile("会员.xlsx", xlsx_bytes([("A1", "会员类型*")]))
    with pytest.raises(MemoryError):
        jobs.check_upload(actor=cast.users.staff, kind="members", upload=upload)
    assert not ImportJob.objects.exists() and _left_behind(media) == []
