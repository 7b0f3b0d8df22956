"""Import kinds are registered by their own apps and found at startup; a new app adds a kind — its
spec, its pages, its jobs — without editing any other app (here: the toy kind of toy.py, its pages in this module)."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import include, path, reverse

from shanglian.common.models import DictItem, ImportJob
from shanglian.imports import jobs, registry
from shanglian.imports.pages import ImportPages
from shanglian.members.imports import MemberImportSpec
from shanglian.policies.imports import PolicyImportSpec

from .toy import KIND, ToySpec, toy_file

PAGES = ImportPages(
    kind=KIND, namespace="toy", name="toy_import", noun="玩具", breadcrumbs=(("玩具", None),),
    make_template=lambda actor: b"", title="导入玩具", back_url="workbench:home", back_label="工作台",
    notes_template="members/_import_notes.html",  # any notes do
)


def _urls():
    from shanglian.urls import urlpatterns

    return [*urlpatterns, path("toy/", include((PAGES.urlpatterns(), "toy")))]


urlpatterns = _urls()


def test_each_app_registers_its_own_kind_at_startup():
    assert {"members", "policies"} <= set(registry.kinds())
    assert registry.spec_class("members") is MemberImportSpec
    assert registry.spec_class("policies") is PolicyImportSpec


def test_a_kind_cannot_be_taken_twice(toy_kind):
    registry.register(KIND, ToySpec)  # the same class again: harmless
    with pytest.raises(ImproperlyConfigured):
        registry.register(KIND, MemberImportSpec)
    with pytest.raises(LookupError):
        registry.spec_class("no_such_kind")


def test_a_new_kind_runs_through_the_jobs_without_editing_another_app(cast, media, toy_kind):
    job = jobs.check_upload(actor=cast.users.staff, kind=KIND, upload=toy_file([["T1", "甲"], ["T2", "乙"]]))
    assert (job.kind, job.total, job.valid, job.failed) == (KIND, 2, 2, 0)
    assert jobs.job_for(cast.users.staff, job.pk, KIND) == job
    jobs.commit(actor=cast.users.staff, job=job, valid_only=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert sorted(DictItem.objects.filter(kind=KIND).values_list("code", flat=True)) == ["T1", "T2"]


def test_a_job_of_an_unregistered_kind_is_not_found(cast, media, toy_kind):
    job = jobs.check_upload(actor=cast.users.staff, kind=KIND, upload=toy_file([["T1", "甲"]]))
    registry.unregister(KIND)
    with pytest.raises(PermissionDenied):
        jobs.job_for(cast.users.staff, job.pk, KIND)


def test_the_spec_refuses_a_user_before_anything_is_stored(cast, media, toy_kind):
    with pytest.raises(PermissionDenied):
        jobs.check_upload(actor=cast.users.chamber1, kind=KIND, upload=toy_file([["T1", "甲"]]))
    assert not ImportJob.objects.exists()


@pytest.mark.urls(__name__)
def test_a_new_kind_gets_the_shared_pages(cast, login, media, toy_kind):
    client = login(cast.users.staff)
    assert "导入玩具" in client.get(reverse("toy:toy_import")).content.decode()
    response = client.post(reverse("toy:toy_import"), {"file": toy_file([["T1", "甲"]])})
    job = ImportJob.objects.get(kind=KIND)
    assert response.status_code == 302 and response["Location"] == reverse("toy:toy_import_job", args=[job.pk])
    assert "共 1 条，成功 1 条，失败 0 条" in client.get(response["Location"]).content.decode()
    client.post(reverse("toy:toy_import_commit", args=[job.pk]))
    assert DictItem.objects.filter(kind=KIND, code="T1").exists()
    # another kind's pages do not find the job
    assert client.get(reverse("members:member_import_job", args=[job.pk])).status_code == 404
