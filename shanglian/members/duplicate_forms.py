"""The forms of the duplicate queue and the merge (`duplicate_views`)."""

from django import forms

from .models import DuplicateCandidate

KIND_CHOICES = [("", "全部"), *DuplicateCandidate.Kind.choices]
STATUS_CHOICES = [(DuplicateCandidate.Status.OPEN, "待处理"), (DuplicateCandidate.Status.DISMISSED, "非重复")]


class CandidateSearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称或人士姓名"}))
    kind = forms.ChoiceField(label="类型", required=False, choices=KIND_CHOICES)
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_CHOICES,
                               widget=forms.HiddenInput)

    def filters(self):
        return {"q": self.cleaned_data.get("q") or "", "kind": self.cleaned_data.get("kind") or "",
                "status": self.cleaned_data.get("status") or DuplicateCandidate.Status.OPEN}


class MergeSearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "保留或被合并记录的名称"}))
    kind = forms.ChoiceField(label="类型", required=False, choices=KIND_CHOICES)

    def filters(self):
        return {"q": self.cleaned_data.get("q") or "", "kind": self.cleaned_data.get("kind") or ""}


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label="保留哪一条", choices=[("first", "保留记录一"), ("second", "保留记录二")],
                             widget=forms.RadioSelect, error_messages={
                                 "required": "请选择要保留的记录。", "invalid_choice": "请选择记录一或记录二。"})
    reason = forms.CharField(label="合并理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写合并理由。",
                                             "max_length": "合并理由最多 300 个字。"})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写合并理由。")
        return reason


class DismissForm(forms.Form):
    note = forms.CharField(label="说明", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": "例如：同名不同企业，信用代码不同"}),
                           error_messages={"max_length": "说明最多 200 个字。"})
