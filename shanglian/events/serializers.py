"""The API's request bodies of the event actions (one per transition of `workflow.EVENT_FLOW`, and the invitee's
and the door's own actions in `api.py`). Field names are the services' keywords, so a valid body is the service's
keyword arguments as it stands."""

from rest_framework import serializers

from shanglian.common.api import IdField, TextField

from .models import Invitation
from .services import MAX_NONCE, Answer
from .tokens import MAX_LENGTH


class NoBodySerializer(serializers.Serializer):
    """A transition that takes nothing but the event (发布, 开放报名, 开始活动, 结束活动): `{}`."""


class CancelSerializer(serializers.Serializer):
    reason = TextField(multiline=True, label="取消原因", max_length=200)


class RsvpSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        label="回复", choices=[(a, Invitation.Status(a).label) for a in Answer.ALL],
        help_text="accepted 参加 / declined 不参加 / substitute 代为参加（须填代参加人姓名）。名额已满时“参加”进入候补。")
    substitute_name = TextField(label="代参加人姓名", max_length=50, required=False, allow_blank=True, default="")


def _payload():
    return TextField(label="二维码内容", max_length=MAX_LENGTH * 5,
                     help_text="扫描二维码得到的文字，原样提交（签名令牌，不是编号）。")


def _nonce():
    return serializers.CharField(
        label="扫描标识", max_length=MAX_NONCE, required=False, allow_blank=True, default="",
        help_text=f"客户端为每次扫描生成的唯一标识（字母、数字、-、_，最长{MAX_NONCE}位，如 UUID）。"
                  "同一标识重复上传时返回第一次的结果，不重复计数。")


class ScanSerializer(serializers.Serializer):
    """The door: the invitee's personal code, read by the staff's phone."""

    payload = _payload()
    nonce = _nonce()


class SelfCheckInSerializer(serializers.Serializer):
    """The invitee's phone: the event's posted 签到码."""

    payload = _payload()
    nonce = _nonce()
    invitation = IdField(label="请柬ID", required=False, allow_null=True, default=None,
                         help_text="本企业有多位受邀人参加该活动时，指明由哪一位签到（否则答复 409，列出受邀人）。")
