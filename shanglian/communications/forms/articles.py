"""Forms of 宣传报道: the list's search form and an article's own form (新增/编辑), whose featured persons and
enterprises are chosen with the registry's pickers (`members.pickers`), one per row. They parse; the service
(`services.articles.save_article`) checks every rule again and its field errors come back onto the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from shanglian.common.forms import FILES_HELP, Form, ModelMultipleChoiceField, MultipleFileField, date_field
from shanglian.members.pickers import EnterpriseField, PersonField

from ..models import Article, ArticleScan, OutletLevel
from .reports import year_field

EXTRA_ROWS = 3  # empty picker rows under those already featured
MIN_ROWS = 5
MAX_ROWS = 50


class ArticleSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "标题或媒体名称"}))
    level = forms.ChoiceField(label="媒体级别", required=False, choices=[("", "全部"), *OutletLevel.choices])
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *Article.Kind.choices])
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__ (the year moves)
    start = date_field("刊发日期自")
    end = date_field("刊发日期至")
    enterprise = EnterpriseField(label="宣传企业", required=False)
    person = PersonField(label="宣传人物", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field()
        self.fields["enterprise"].scope_to(user)
        self.fields["person"].scope_to(user)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data


def _rows(count):
    return max(MIN_ROWS, min(MAX_ROWS, count + EXTRA_ROWS))


def _keep(field, current_ids):
    """A picker scoped to the user that also accepts the records already featured (they may have left the scope)."""
    if current_ids:
        model = field.queryset.model
        field.queryset = model.objects.filter(Q(pk__in=field.queryset.values("pk")) | Q(pk__in=current_ids))


class ArticleForm(Form):
    title = forms.CharField(label="标题", max_length=150, error_messages={"required": "请填写标题。"})
    kind = forms.ChoiceField(label="类型", choices=Article.Kind.choices, initial=Article.Kind.NEWS,
                             error_messages={"required": "请选择稿件类型。", "invalid_choice": "请选择稿件类型。"})
    outlet = forms.CharField(label="媒体", max_length=100, error_messages={"required": "请填写媒体。"},
                             widget=forms.TextInput(attrs={"placeholder": "如：人民日报、天津日报、区融媒体中心"}))
    level = forms.ChoiceField(label="媒体级别", choices=[("", "请选择"), *OutletLevel.choices],
                              error_messages={"required": "请选择媒体级别。", "invalid_choice": "请选择媒体级别。"})
    published_on = date_field("刊发日期", required=True, error_messages={"required": "请填写刊发日期。"})
    link = forms.CharField(label="链接", required=False, max_length=500,
                           widget=forms.URLInput(attrs={"placeholder": "https://"}),
                           help_text="网络稿件的网址；纸质稿件可上传扫描件。")
    note = forms.CharField(label="备注", required=False, max_length=300)
    scans = MultipleFileField(label="扫描件或截图", help_text=FILES_HELP)
    remove_scans = ModelMultipleChoiceField(label="删除已上传的扫描件", required=False,
                                            queryset=ArticleScan.objects.none(), widget=forms.CheckboxSelectMultiple,
                                            error_messages={"invalid_choice": "所选扫描件不属于该稿件。"})

    def __init__(self, *args, user, instance=None, initial=None, **kwargs):
        self.instance = instance
        persons = list(instance.persons.order_by("id").values_list("pk", flat=True)) if instance else []
        firms = list(instance.enterprises.order_by("id").values_list("pk", flat=True)) if instance else []
        initial = dict(initial or {})
        if instance is not None:
            initial.update({name: getattr(instance, name) for name in (
                "title", "kind", "outlet", "level", "published_on", "link", "note")})
        initial.update({f"person_{n}": pk for n, pk in enumerate(persons, start=1)})
        initial.update({f"enterprise_{n}": pk for n, pk in enumerate(firms, start=1)})
        super().__init__(*args, initial=initial, **kwargs)
        self.person_rows = _rows(len(persons))
        self.enterprise_rows = _rows(len(firms))
        for n in range(1, self.person_rows + 1):
            self.fields[f"person_{n}"] = PersonField(user=user, label=f"宣传人物 {n}", required=False)
            _keep(self.fields[f"person_{n}"], persons)
        for n in range(1, self.enterprise_rows + 1):
            self.fields[f"enterprise_{n}"] = EnterpriseField(user=user, label=f"宣传企业 {n}", required=False)
            _keep(self.fields[f"enterprise_{n}"], firms)
        if instance is not None and instance.scans.exists():
            self.fields["remove_scans"].queryset = instance.scans.order_by("id")
        else:
            del self.fields["remove_scans"]

    def person_names(self):
        return [f"person_{n}" for n in range(1, self.person_rows + 1)]

    def enterprise_names(self):
        return [f"enterprise_{n}" for n in range(1, self.enterprise_rows + 1)]

    def article_data(self):
        """What `services.articles.save_article` takes as `data` (a person or enterprise chosen twice counts once)."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in ("title", "kind", "outlet", "level", "published_on", "link",
                                                     "note")}
        values["persons"] = list({p.pk: p for name in self.person_names() if (p := data.get(name))}.values())
        values["enterprises"] = list({e.pk: e for name in self.enterprise_names() if (e := data.get(name))}.values())
        return values

    def onto_fields(self, exc):
        """The service's ValidationError with its messages on the form's fields (persons/enterprises on the first
        picker row; a field the form does not show on the whole form)."""
        if not hasattr(exc, "error_dict"):
            return exc
        moved = {}
        for name, errors in exc.error_dict.items():
            target = {"persons": "person_1", "enterprises": "enterprise_1"}.get(name, name)
            moved.setdefault(target if target in self.fields else "__all__", []).extend(errors)
        return ValidationError(moved)


def sections(form):
    return [
        ("稿件", ["title", "kind", "outlet", "level", "published_on", "link", "note"]),
        ("宣传人物", form.person_names()),
        ("宣传企业", form.enterprise_names()),
        ("扫描件", [name for name in ("scans", "remove_scans") if name in form.fields]),
    ]
