"""Forms of the applications part: the staff list's search, 不予通过 (the reason) and the enterprise's 入会申请表 on
its phone (the form of a real application, with its files by kind). They parse what was typed;
`services.applications` checks every rule again and writes."""

from django import forms

from shanglian.common.forms import FILES_HELP, Form, ModelChoiceField, MultipleFileField, date_field
from shanglian.orgs.models import Chamber
from shanglian.orgs.selectors import chambers_in_scope

from ..models import ApplicationAttachment, MembershipApplication

MAX_REASON = 300
MAX_STATEMENT = 1000
K = ApplicationAttachment.Kind


class ApplicationSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称、统一社会信用代码或申请编号"}))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *MembershipApplication.Status.choices])
    chamber = ModelChoiceField(label="申请加入商会", required=False, empty_label="全部", queryset=Chamber.objects.none(),
                               error_messages={"invalid_choice": "所选商会不存在或不在您的查看范围内。"})
    submitted_from = date_field("提交日期自")
    submitted_to = date_field("提交日期至")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("submitted_from") and data.get("submitted_to") and data["submitted_to"] < data["submitted_from"]:
            self.add_error("submitted_to", "结束日期不能早于开始日期。")
        return data

    def filters(self):
        data = self.cleaned_data
        return {"q": (data.get("q") or "").strip(), "status": data.get("status") or "",
                "chamber": data["chamber"].pk if data.get("chamber") else None,
                "submitted_from": data.get("submitted_from"), "submitted_to": data.get("submitted_to")}


class RefuseForm(Form):
    """不予通过: the reason, which the applicant is told."""

    reason = forms.CharField(label="不予通过的原因", max_length=MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 3, "placeholder": "将通知申请企业"}),
                             error_messages={"required": "请填写不予通过的原因。",
                                             "max_length": f"原因不能超过 {MAX_REASON} 字。"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


def _text(label, *, max_length, required=True, placeholder=""):
    attrs = {"placeholder": placeholder} if placeholder else {}
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.TextInput(attrs=attrs),
                           error_messages={"required": f"请填写{label}。", "max_length": f"{label}不能超过 {max_length} 字。"})


def _amount(label):
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2,
                              widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0}),
                              error_messages={"invalid": f"{label}应为数字。", "min_value": f"{label}不能为负数。",
                                              "max_digits": f"{label}过大。", "max_whole_digits": f"{label}过大。",
                                              "max_decimal_places": f"{label}最多保留两位小数。"})


class ApplicationForm(Form):
    """入会申请表 on the enterprise's phone: the company's facts as it declares them, the chamber it asks to join
    too (one of its federation's), its statement and its files (营业执照 required)."""

    enterprise_name = _text("企业名称", max_length=200)
    uscc = _text("统一社会信用代码", max_length=30, placeholder="18位，如 91120103MA05XXXXXX")
    legal_representative = _text("法定代表人", max_length=50)
    address = _text("企业地址", max_length=200)
    founded = date_field("成立日期")
    employees = forms.IntegerField(label="从业人数", required=False, min_value=0, max_value=10_000_000,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                                   error_messages={"invalid": "从业人数应为整数。", "min_value": "从业人数不能为负数。",
                                                   "max_value": "从业人数过大。"})
    registered_capital = _amount("注册资本（万元）")
    annual_revenue = _amount("上年营业收入（万元）")
    main_products = _text("主营产品（服务）", max_length=300)
    contact_name = _text("联系人", max_length=50)
    contact_mobile = _text("联系电话", max_length=20, placeholder="11位手机号码")
    chamber = ModelChoiceField(label="同时申请加入商会", required=False, empty_label="不申请加入商会",
                               queryset=Chamber.objects.none(),
                               error_messages={"invalid_choice": "所选商会不存在或不属于本企业所在的工商联。"})
    recommender = _text("推荐单位或推荐人", max_length=100, required=False)
    statement = forms.CharField(label="入会意愿及对工商联的建议", required=False, max_length=MAX_STATEMENT,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                error_messages={"max_length": f"入会意愿及建议不能超过 {MAX_STATEMENT} 字。"})
    licence_files = MultipleFileField(label="营业执照", help_text="必传；" + FILES_HELP)
    identity_files = MultipleFileField(label="法定代表人身份证明", help_text=FILES_HELP)
    other_files = MultipleFileField(label="其他材料", help_text="荣誉证书、纳税证明等，可不传；" + FILES_HELP)

    def __init__(self, *args, enterprise, **kwargs):
        kwargs.setdefault("initial", {
            "enterprise_name": enterprise.name, "uscc": enterprise.uscc,
            "legal_representative": enterprise.legal_representative, "address": enterprise.address,
            "founded": enterprise.founded, "employees": enterprise.employees,
            "registered_capital": enterprise.registered_capital, "contact_name": enterprise.contact_name})
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = (Chamber.objects.filter(federation_id=enterprise.federation_id,
                                                                  status=Chamber.Status.ACTIVE).order_by("name"))

    def application_data(self):
        data = dict(self.cleaned_data)
        files = {K.LICENCE: data.pop("licence_files", []) or [], K.IDENTITY: data.pop("identity_files", []) or [],
                 K.OTHER: data.pop("other_files", []) or []}
        chamber = data.pop("chamber", None)
        return {"data": data, "files": files, "chamber": chamber}

