"""Every change of a 宣传报道 and of its scans: acting user first, role, scope, row lock, audit row — in one
transaction; a refused input raises `ValidationError` with Chinese messages by field and writes nothing.

- `save_article` records an article (the editors', in their own federation) or changes one: where it appeared (媒体
  and its level), when, what kind, a link, the persons and enterprises it features (of the user's scope; an edited
  article keeps those it featured even if they left the scope since), and new scans (`common.uploads`, stored under
  "communications"); `remove_scans` drops some of its scans (their files go once the change is committed).
- `delete_article`: the article and its scans (audited by `common.records.delete_or_refuse`).

The rules a row of the import is checked against as well (`communications.imports`) are `article_errors`,
`link_error` and `same_article`, so both refuse the same values in the same words.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import raise_grouped
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.common.uploads import check_with_uploads, kept_files, remove_stored
from shanglian.members.selectors import enterprises_visible_to, persons_visible_to

from ..models import Article, ArticleScan, OutletLevel
from ..selectors import articles as selectors

FOLDER = "communications"
SCANS = "扫描件"
FIRST_DAY = date(1949, 10, 1)
FIELDS = ("title", "kind", "outlet", "level", "published_on", "link", "note")
LIMITS = {"title": ("标题", 150), "outlet": ("媒体", 100), "link": ("链接", 500), "note": ("备注", 300)}
ALREADY_RECORDED = "已登记过这篇稿件（同一媒体、同一日期、同一标题），请勿重复录入。"
MAX_FEATURED = 50
_url = URLValidator(schemes=["http", "https"])


def _text(value):
    return (value or "").strip()


def link_error(link):
    """The reason a link is refused, or ""."""
    if not link:
        return ""
    try:
        _url(link)
    except ValidationError:
        return "链接应为以 http:// 或 https:// 开头的网址。"
    return ""


def article_errors(values, *, today):
    """[(field, reason)] of one article's own values (texts already trimmed): title, outlet, level and the date
    required, the date not in the future, the kind and level among their choices, the link a web address, the texts
    within their limits."""
    errors = []
    for name, label in (("title", "标题"), ("outlet", "媒体")):
        if not values.get(name):
            errors.append((name, f"请填写{label}。"))
    if values.get("level") not in OutletLevel.values:
        errors.append(("level", "请选择媒体级别。"))
    if values.get("kind") not in Article.Kind.values:
        errors.append(("kind", "请选择稿件类型。"))
    day = values.get("published_on")
    if day is None:
        errors.append(("published_on", "请填写刊发日期。"))
    elif day > today:
        errors.append(("published_on", "刊发日期不能晚于今天。"))
    elif day < FIRST_DAY:
        errors.append(("published_on", f"刊发日期不能早于 {FIRST_DAY:%Y-%m-%d}。"))
    for name, (label, limit) in LIMITS.items():
        value = values.get(name) or ""
        if len(value) > limit:
            errors.append((name, f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。"))
    if (reason := link_error(values.get("link"))) and not any(name == "link" for name, _ in errors):
        errors.append(("link", reason))
    return errors


def same_article(queryset, *, title, outlet, published_on):
    """An article of `queryset` with the same title in the same outlet on the same day, or None."""
    return queryset.filter(title=title, outlet=outlet, published_on=published_on).first()


def _ids(values):
    return {getattr(v, "pk", v) for v in values or ()}


def _featured(actor, wanted, visible, current, field, noun, errors):
    """The records of `wanted` within `visible` or already featured (`current`), or an error naming them."""
    wanted = _ids(wanted)
    if len(wanted) > MAX_FEATURED:
        errors.append((field, f"一篇稿件最多关联 {MAX_FEATURED} 个{noun}。"))
        return []
    model = visible.model
    allowed = set(visible.filter(pk__in=wanted).values_list("pk", flat=True)) | (wanted & current)
    if allowed != wanted:
        errors.append((field, f"所选{noun}不存在或不在您的管理范围内。"))
        return []
    return list(model.objects.filter(pk__in=allowed).order_by("id"))


def check_article(actor, data, *, article=None, today=None):
    """Every rule of an article before anything is written: the cleaned values with `persons` and `enterprises`
    (records), or ValidationError (Chinese, by field)."""
    today = today or timezone.localdate()
    values = {name: data.get(name) for name in FIELDS}
    for name in ("title", "outlet", "link", "note"):
        values[name] = _text(values[name])
    values["kind"] = values["kind"] or Article.Kind.NEWS
    errors = article_errors(values, today=today)
    current_persons = _ids(article.persons.all()) if article is not None else set()
    current_firms = _ids(article.enterprises.all()) if article is not None else set()
    values["persons"] = _featured(actor, data.get("persons"), persons_visible_to(actor).select_related(None),
                                  current_persons, "persons", "人物", errors)
    values["enterprises"] = _featured(actor, data.get("enterprises"),
                                      enterprises_visible_to(actor).select_related(None), current_firms,
                                      "enterprises", "企业", errors)
    raise_grouped(errors)
    return values


def _locked(actor, article):
    editable = selectors.articles_editable_by(actor)  # 403 for a reader
    pk = getattr(article, "pk", article)
    locked = Article.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not editable.filter(pk=pk).exists():
        raise PermissionDenied("您没有修改该宣传报道的权限。")
    return locked


def save_article(*, actor, data, article=None, files=(), remove_scans=()):
    """Record an article (`article` None) or change one; `data` = FIELDS + persons, enterprises (records or ids);
    `files` are new scans, `remove_scans` scans of this article to drop. Returns the article."""
    require_role(actor, *EDITOR_ROLES)
    if article is not None:
        article = selectors.articles_editable_by(actor).filter(pk=getattr(article, "pk", article)).first()
        if article is None:
            raise PermissionDenied("您没有修改该宣传报道的权限。")
    values, checked = check_with_uploads(lambda: check_article(actor, data, article=article), files, field="scans")
    if article is None and actor.federation_id is None:
        raise ValidationError({"__all__": ["您的账号未关联工商联，不能登记宣传报道。"]})
    removed_ids = _ids(remove_scans)
    with kept_files(FOLDER) as keeper, transaction.atomic():
        before = None
        if article is not None:
            obj = _locked(actor, article)
            before = snapshot(obj)
        else:
            obj = Article(created_by=actor, federation_id=actor.federation_id)
        others = Article.objects.filter(federation_id=obj.federation_id)
        if obj.pk is not None:
            others = others.exclude(pk=obj.pk)
        if same_article(others, title=values["title"], outlet=values["outlet"],
                        published_on=values["published_on"]) is not None:
            raise ValidationError({"__all__": [ALREADY_RECORDED]})
        for name in FIELDS:
            setattr(obj, name, values[name])
        obj.full_clean(exclude=["created_by", "persons", "enterprises"])
        obj.save()
        obj.persons.set(values["persons"])
        obj.enterprises.set(values["enterprises"])
        gone = list(obj.scans.filter(pk__in=removed_ids))
        if len(gone) != len(removed_ids):
            raise ValidationError({"remove_scans": ["所选扫描件不属于该稿件或已被删除。"]})
        keeper.save(ArticleScan, checked, article=obj, uploaded_by=actor)
        added = [item.name for item in checked]
        if before is None:
            record_saved(actor=actor, obj=obj, detail={"scans": added} if added else None)
        else:
            record_saved(actor=actor, obj=obj, before=before)
            if added or gone:
                record(AuditAction.UPDATE, actor=actor, obj=obj, detail={"changes": [
                    *({"field": SCANS, "old": "", "new": name} for name in added),
                    *({"field": SCANS, "old": scan.original_name, "new": ""} for scan in gone)]})
        stored = [scan.stored_name for scan in gone]
        for scan in gone:
            scan.delete()
        transaction.on_commit(lambda: [remove_stored(FOLDER, name) for name in stored])
    return obj


def delete_article(*, actor, article):
    """Delete an article with its scans (audited); their files go once the deletion is committed."""
    with transaction.atomic():
        locked = _locked(actor, article)
        stored = list(locked.scans.values_list("stored_name", flat=True))
        delete_or_refuse(actor=actor, obj=locked, along=("scans",))
        transaction.on_commit(lambda: [remove_stored(FOLDER, name) for name in stored])


__all__ = ["ALREADY_RECORDED", "FIELDS", "FOLDER", "article_errors", "check_article", "delete_article",
           "link_error", "same_article", "save_article"]
