"""宣传报道 writes (`services.articles`): the editors record and change their federation's articles with the persons
and enterprises they feature and their scans; every bad input is refused in Chinese with nothing written; the
featured persons and enterprises must be of the editor's scope (an edited article keeps those it had); a leader and a
chamber secretary may not write."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import Article, ArticleScan
from shanglian.communications.services.articles import delete_article, save_article

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def data(**more):
    values = {"title": "扎根河西二十年的民营企业家", "kind": "feature", "outlet": "天津日报", "level": "municipal",
              "published_on": date(2025, 6, 1), "link": "https://www.example.com/a/1.html", "note": ""}
    values.update(more)
    return values


def messages_of(exc):
    return {name: " ".join(errors) for name, errors in exc.value.message_dict.items()}


def test_an_editor_records_an_article_with_whom_it_features_and_a_scan(cast, media):
    article = save_article(actor=cast.users.staff, data=data(persons=[cast.person1], enterprises=[cast.ent1.pk]),
                           files=[SimpleUploadedFile("版面.png", PNG)])
    assert article.federation == cast.district and article.created_by == cast.users.staff
    assert list(article.persons.all()) == [cast.person1] and list(article.enterprises.all()) == [cast.ent1]
    assert article.scans.get().original_name == "版面.png"
    event = AuditEvent.objects.get(action="create", object_type="communications.article")
    assert event.detail["scans"] == ["版面.png"]
    assert {c["field"] for c in event.detail["changes"]} >= {"标题", "宣传人物", "宣传企业"}


def test_editing_keeps_a_featured_person_who_left_the_scope_and_removes_a_scan(cast, media,
                                                                             django_capture_on_commit_callbacks):
    article = save_article(actor=cast.users.staff, data=data(persons=[cast.person1]),
                           files=[SimpleUploadedFile("版面.png", PNG)])
    cast.person1.federation = cast.other  # the person moved to another federation since
    cast.person1.save()
    scan = article.scans.get()
    with django_capture_on_commit_callbacks(execute=True):
        save_article(actor=cast.users.staff, article=article, data=data(title="新标题", persons=[cast.person1]),
                     remove_scans=[scan])
    article.refresh_from_db()
    assert article.title == "新标题" and list(article.persons.all()) == [cast.person1]
    assert not ArticleScan.objects.exists() and not (media / "communications" / scan.stored_name).exists()


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"title": ""}, "title", "请填写标题"),
    ({"outlet": " "}, "outlet", "请填写媒体"),
    ({"level": "galactic"}, "level", "请选择媒体级别"),
    ({"kind": "rumour"}, "kind", "请选择稿件类型"),
    ({"published_on": None}, "published_on", "请填写刊发日期"),
    ({"published_on": timezone.localdate() + timedelta(days=1)}, "published_on", "不能晚于今天"),
    ({"published_on": date(1900, 1, 1)}, "published_on", "不能早于"),
    ({"link": "javascript:alert(1)"}, "link", "http"),
    ({"link": "ftp://example.com/a"}, "link", "http"),
    ({"note": "长" * 301}, "note", "不能超过 300 字"),
], ids=["no-title", "no-outlet", "bad-level", "bad-kind", "no-date", "future", "too-old", "script-link", "ftp-link",
        "long-note"])
def test_a_bad_article_is_refused_in_chinese_and_nothing_is_written(cast, values, field, words):
    with pytest.raises(ValidationError) as exc:
        save_article(actor=cast.users.staff, data=data(**values))
    assert words in messages_of(exc)[field]
    assert not Article.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


def test_a_forbidden_scan_is_refused_and_nothing_is_written(cast, media):
    with pytest.raises(ValidationError) as exc:
        save_article(actor=cast.users.staff, data=data(), files=[SimpleUploadedFile("a.png", b"<html>hi</html>")])
    assert "不是允许的类型" in messages_of(exc)["scans"]
    assert not Article.objects.exists() and not ArticleScan.objects.exists()


def test_a_person_or_enterprise_outside_the_scope_is_refused(cast):
    stranger = testing.make_person(cast.other, name="外区人士")
    with pytest.raises(ValidationError) as exc:
        save_article(actor=cast.users.staff, data=data(persons=[stranger], enterprises=[cast.ent_other]))
    assert "人物" in messages_of(exc)["persons"] and "企业" in messages_of(exc)["enterprises"]
    assert not Article.objects.exists()


def test_the_same_article_twice_is_recorded_once(cast):
    save_article(actor=cast.users.staff, data=data())
    with pytest.raises(ValidationError) as exc:
        save_article(actor=cast.users.admin, data=data(link=""))
    assert "已登记过这篇稿件" in messages_of(exc)["__all__"] and Article.objects.count() == 1


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_the_editors_write_articles(cast, role):
    with pytest.raises(PermissionDenied):
        save_article(actor=getattr(cast.users, role), data=data())
    assert not Article.objects.exists()


def test_another_federations_editor_cannot_change_or_delete_an_article(cast):
    article = testing.make_article(cast.district)
    with pytest.raises(PermissionDenied):
        save_article(actor=cast.users.outsider_staff, article=article, data=data())
    with pytest.raises(PermissionDenied):
        delete_article(actor=cast.users.outsider_staff, article=article)
    assert Article.objects.filter(pk=article.pk).exists()


def test_deleting_an_article_removes_its_scans_and_featured_links_and_is_audited(cast, media,
                                                                               django_capture_on_commit_callbacks):
    article = save_article(actor=cast.users.staff, data=data(persons=[cast.person1]),
                           files=[SimpleUploadedFile("版面.png", PNG)])
    path = media / "communications" / article.scans.get().stored_name
    with django_capture_on_commit_callbacks(execute=True):
        delete_article(actor=cast.users.staff, article=article)
    assert not Article.objects.exists() and not ArticleScan.objects.exists() and not path.exists()
    assert not cast.person1.articles.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="communications.article").count() == 1
