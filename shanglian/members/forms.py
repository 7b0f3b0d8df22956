"""The staff forms of the member registry. They only parse what was typed and offer the choices the
user may name (scoped querysets); the services check the values with the import's rules
(`rules.py`) and their `ValidationError` is put under the fields (`form.add_error(None, exc)`)."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField, date_field
from shanglian.common.masking import mask
from shanglian.common.pickers import IndustryField
from shanglian.orgs.models import Chamber

from . import rules, selectors
from .models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person
from .pickers import EnterpriseField, PersonField


def _model_field(model, name, **kwargs):
    """The model field's own form field (label, length, choices, required), with `kwargs` on top."""
    return model._meta.get_field(name).formfield(**kwargs)


def _code_field(label, *, required=False, placeholder=""):
    """A code typed by hand (信用代码, 身份证号, 手机号): text; the service normalises and checks it."""
    return forms.CharField(label=label, required=required, max_length=40,
                           error_messages={"required": f"请填写{label}。"},
                           widget=forms.TextInput(attrs={"placeholder": placeholder, "autocomplete": "off"}))


def keep_personal_values(form, record, fields):
    """An edit form never shows a stored ID number or mobile (the pages mask them): the field is left
    empty, which keeps the stored value — as an empty cell does in the import — and says what is stored."""
    for name, kind in fields.items():
        field = form.fields[name]
        field.required = False
        stored = mask(kind, getattr(record, name))
        field.help_text = f"已登记 {stored}，留空则不修改" if stored else "尚未登记"
        field.widget.attrs["placeholder"] = "留空则不修改" if stored else field.widget.attrs.get("placeholder", "")


def _choice(model, name, **kwargs):
    field = _model_field(model, name, **kwargs)
    if field.required:
        field.error_messages["required"] = f"请选择{field.label}。"
    field.error_messages["invalid_choice"] = f"{field.label}不在可选范围内，请重新选择。"
    if not isinstance(field, forms.ModelChoiceField) and list(field.choices)[:1] == [("", "---------")]:
        field.choices = [("", "请选择" if field.required else "未填")] + list(field.choices)[1:]
    return field


class EnterpriseForm(Form):
    name = _model_field(Enterprise, "name", error_messages={"required": "请填写企业名称。"})
    uscc = _code_field("统一社会信用代码", required=True, placeholder="18 位，如 91120103MA05L2XY3K")
    enterprise_type = _choice(Enterprise, "enterprise_type", empty_label="请选择")
    industry = IndustryField(label="行业", levels=("class",), placeholder="输入行业名称或代码，如 软件开发、6513",
                             help_text="GB/T 4754-2017 小类",
                             error_messages={"required": "请选择行业（小类）。", "invalid_choice": rules.INDUSTRY_NOT_A_CLASS})
    size = _choice(Enterprise, "size")
    is_high_tech = _model_field(Enterprise, "is_high_tech")
    street = _choice(Enterprise, "street", empty_label="未填")
    is_local = _model_field(Enterprise, "is_local")
    founded = date_field("成立日期")
    employees = _model_field(Enterprise, "employees", error_messages={"invalid": "从业人数应为整数。"})
    registered_capital = _model_field(Enterprise, "registered_capital", error_messages={"invalid": "注册资本应为数字。"})
    legal_representative = _model_field(Enterprise, "legal_representative")
    contact_name = _model_field(Enterprise, "contact_name")
    contact_mobile = _code_field("联系人手机", placeholder="11 位手机号")
    address = _model_field(Enterprise, "address")
    joined = date_field("入会日期", help_text="新增的企业同时登记为本商会会员")

    SECTIONS = [("企业档案", ["name", "uscc", "enterprise_type", "industry", "size", "is_high_tech", "street",
                             "is_local", "founded", "employees", "registered_capital"]),
                ("联系方式", ["legal_representative", "contact_name", "contact_mobile", "address"])]

    def __init__(self, *args, user, federation, joins_chamber=False, **kwargs):
        """`federation`: the enterprise's (its streets are offered); `joins_chamber`: a chamber
        secretary's new enterprise, which joins the chamber on 入会日期."""
        super().__init__(*args, **kwargs)
        self.fields["enterprise_type"].queryset = rules.dictionary("enterprise_type")
        self.fields["street"].queryset = rules.streets_of(federation)
        if joins_chamber:
            self.fields["joined"].required = True
            self.fields["joined"].error_messages["required"] = "请填写入会日期。"
        else:
            del self.fields["joined"]

    def clean_industry(self):
        return self.cleaned_data["industry"].pk  # the code, as the import's rules take it

    def sections(self):
        extra = [("加入本商会", ["joined"])] if "joined" in self.fields else []
        return self.SECTIONS + extra

    @staticmethod
    def initial_for(enterprise):
        initial = {name: getattr(enterprise, name) for name in (
            "name", "uscc", "size", "is_high_tech", "is_local", "founded", "employees", "registered_capital",
            "legal_representative", "contact_name", "address")}
        return {**initial, "enterprise_type": enterprise.enterprise_type_id, "industry": enterprise.industry_id,
                "street": enterprise.street_id}


class PersonForm(Form):
    name = _model_field(Person, "name", error_messages={"required": "请填写姓名。"})
    id_number = _code_field("身份证号", required=True, placeholder="18 位")
    gender = forms.ChoiceField(label="性别", required=False, choices=[("", "按身份证号")] + list(Person.Gender.choices),
                               help_text="留空时按身份证号确定")
    mobile = _code_field("手机号", placeholder="11 位手机号")
    political_affiliation = _choice(Person, "political_affiliation", empty_label="未填")
    education = _choice(Person, "education", empty_label="未填")
    is_new_generation = _model_field(Person, "is_new_generation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["political_affiliation"].queryset = rules.dictionary("political_affiliation")
        self.fields["education"].queryset = rules.dictionary("education")

    def clean_gender(self):
        return self.cleaned_data["gender"] or None

    @staticmethod
    def initial_for(person):
        return {"name": person.name, "gender": person.gender, "political_affiliation": person.political_affiliation_id,
                "education": person.education_id, "is_new_generation": person.is_new_generation}


class PersonRoleForm(Form):
    """企业任职: link the person to an enterprise the user may change."""

    enterprise = EnterpriseField(label="企业")
    role = _choice(EnterpriseRole, "role")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = selectors.enterprises_editable_by(user)


def _joined():
    return date_field("入会日期", required=True, error_messages={"required": "请填写入会日期。"})


class MembershipForm(Form):
    """工商联会员. On creation the kind and the member; afterwards only the membership's own fields."""

    kind = _choice(Membership, "kind")
    enterprise = EnterpriseField(label="企业", required=False, help_text="企业会员填写")
    person = PersonField(label="个人", required=False, help_text="个人会员填写")
    group = ModelChoiceField(label="团体（商会、协会）", required=False, queryset=Chamber.objects.none(),
                                   empty_label="请选择", help_text="团体会员填写")
    number = _model_field(Membership, "number", help_text="同一工商联内不能重复")
    joined = _joined()
    status = _choice(Membership, "status")
    suspended_on = date_field("暂停日期", help_text="状态为“暂停”时必填")
    left = date_field("退会日期", help_text="状态为“退会”时必填")
    left_reason = _model_field(Membership, "left_reason")
    body_position = _choice(Membership, "body_position")

    SUBJECT = ["kind", "enterprise", "person", "group"]
    OWN = ["number", "joined", "status", "suspended_on", "left", "left_reason", "body_position"]

    def __init__(self, *args, user, federation, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].error_messages["invalid_choice"] = "团体不在可选范围内，请重新选择。"
        if creating:
            self.fields["enterprise"].scope_to(user)
            self.fields["person"].scope_to(user)
            self.fields["group"].queryset = rules.chambers_of(federation)
        else:
            for name in self.SUBJECT:
                del self.fields[name]

    def sections(self):
        own = ("会员信息", self.OWN)
        return [("会员", self.SUBJECT), own] if "kind" in self.fields else [own]

    @staticmethod
    def initial_for(membership):
        return {name: getattr(membership, name) for name in MembershipForm.OWN}


class ChamberMembershipForm(Form):
    """商会会员: on creation the chamber (an editor's choice; a secretary's own) and the enterprise."""

    chamber = ModelChoiceField(label="商会", queryset=Chamber.objects.none(), empty_label="请选择",
                                     error_messages={"required": "请选择商会。",
                                                     "invalid_choice": "商会不在可选范围内，请重新选择。"})
    enterprise = EnterpriseField(label="企业")
    joined = _joined()
    status = _choice(ChamberMembership, "status")
    left = date_field("退会日期", help_text="状态为“退会”时必填")
    left_reason = _model_field(ChamberMembership, "left_reason")
    position = _model_field(ChamberMembership, "position", help_text="如 会长、副会长、理事；留空为会员")

    def __init__(self, *args, user, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["chamber"].queryset = selectors.chambers_editable_by(user).order_by("name")
            self.fields["enterprise"].scope_to(user)
        else:
            del self.fields["chamber"], self.fields["enterprise"]

    @staticmethod
    def initial_for(membership):
        return {name: getattr(membership, name) for name in ("joined", "status", "left", "left_reason", "position")}
