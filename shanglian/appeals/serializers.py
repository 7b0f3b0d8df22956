"""The request bodies of the appeal actions in the API (one per transition of `workflow.APPEAL_FLOW`).
Field names are the services' keywords (or carry `source=` to them), so a valid body is the service's
keyword arguments as it stands."""

from rest_framework import serializers

from shanglian.common.api import TextField

from .models import MediationResult, Rating


class NoteSerializer(serializers.Serializer):
    note = TextField(multiline=True, label="意见", required=False, allow_blank=True, default="")


def _public_note():
    return TextField(multiline=True, label="给企业的说明（企业可见）", required=False, allow_blank=True, default="",
                                 help_text="企业在其诉求详情中看到这段话。")


def _internal_note():
    return TextField(multiline=True, label="内部意见（仅内部可见）", required=False, allow_blank=True, default="",
                                 help_text="仅工商联工作人员和承办部门可见，企业看不到。")


class DeskNoteSerializer(serializers.Serializer):
    public_note = _public_note()
    internal_note = _internal_note()


class ReasonSerializer(serializers.Serializer):
    reason = TextField(multiline=True, label="理由", allow_blank=True)


class DispatchSerializer(serializers.Serializer):
    departments = serializers.ListField(label="承办部门ID", child=serializers.IntegerField(), allow_empty=True)
    deadline = serializers.DateField(label="办理期限", required=False, allow_null=True, default=None,
                                     help_text="不填则按诉求类别的答复时限（工作日）自动计算；不能早于今天。")
    public_note = _public_note()
    internal_note = _internal_note()


class AcceptDispatchSerializer(DispatchSerializer):
    """受理并派单: the dispatch body; the appeal is accepted and dispatched in one transaction."""


class ExtensionRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(label="延期（工作日）")
    reason = TextField(multiline=True, label="延期理由", allow_blank=True)


class ExtensionDecisionSerializer(serializers.Serializer):
    request = serializers.IntegerField(label="延期申请ID", source="request_id", required=False, allow_null=True,
                                       default=None,
                                       help_text="同时有多个部门申请延期时必填。")
    approve = serializers.BooleanField(label="同意延期")
    note = TextField(multiline=True, label="审批意见", required=False, allow_blank=True, default="",
                                 help_text="不同意时必填。")


class ReplySerializer(serializers.Serializer):
    reply = TextField(multiline=True, label="答复内容", allow_blank=True)


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(label="评价", choices=Rating.choices)
    comment = TextField(multiline=True, label="评价意见", required=False, allow_blank=True, default="",
                                    help_text="不满意时必填。")


class CloseSerializer(serializers.Serializer):
    note = TextField(multiline=True, label="办结说明", allow_blank=True)


class RightsCaseSerializer(serializers.Serializer):
    counterpart = TextField(label="对方当事人", allow_blank=True)
    amount_involved = serializers.DecimalField(label="涉及金额（元）", max_digits=14, decimal_places=2,
                                               required=False, allow_null=True, default=None)
    legal_aid_given = serializers.BooleanField(label="提供法律援助", required=False, default=False)
    mediation_result = serializers.ChoiceField(label="调解结果", choices=MediationResult.choices, required=False,
                                               default="")
