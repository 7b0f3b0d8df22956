"""活动: events (trainings, forums, breakfasts, statutory meetings …), their invitations (请柬), RSVPs,
check-ins and the scan log behind them, feedback, resolutions of statutory meetings, and the rotating
executive chair (轮值主席).

One event belongs to one federation and is organised by the federation itself, one of its chambers, a
committee or a working group. Its kind is a dictionary item (`DictItem` of kind `event_kind`); which kinds
count as training and which are statutory meetings is a property of the code (`TRAINING_KINDS`,
`STATUTORY_BODIES`), the labels are the dictionary's.

A check-in is one row per invitation (a unique constraint, so eight simultaneous scans of one code
count once) or one row per walk-in; every scan, accepted or not, is a `Scan` row, keyed by the client's
nonce so that a repeated upload of the same scan is answered again, not counted again.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shanglian.common.models import StoredFile
from shanglian.common.periods import day_bounds, local_day

# Kinds (DictItem codes of kind "event_kind") whose events are trainings: 培训班, 研讨班.
TRAINING_KINDS = ("training", "seminar")
# Kinds whose events collect appeals at the table (恳谈会, 早餐会, 座谈会): 登记诉求 on their page.
APPEAL_KINDS = ("dialogue", "breakfast", "symposium")


class Body(models.TextChoices):
    """The bodies that hold statutory meetings, and whose members (in the current term) are their attendees."""

    CONGRESS = "congress", "会员代表大会"
    EXECUTIVE = "executive", "执委会"
    STANDING = "standing", "常委会"
    CHAIR_OFFICE = "chair_office", "主席办公会"
    CHAMBER_BOARD = "chamber_board", "商会理事会"
    CHAMBER_ASSEMBLY = "chamber_assembly", "商会会员大会"


# The dictionary code of each statutory body's meetings.
STATUTORY_BODIES = {
    "congress": Body.CONGRESS, "executive": Body.EXECUTIVE, "standing": Body.STANDING,
    "chair_office": Body.CHAIR_OFFICE, "chamber_board": Body.CHAMBER_BOARD,
    "chamber_assembly": Body.CHAMBER_ASSEMBLY,
}
CHAMBER_BODIES = (Body.CHAMBER_BOARD, Body.CHAMBER_ASSEMBLY)


def new_code():
    return secrets.token_urlsafe(12)


class Programme(models.Model):
    """项目: a series of events counted together (a yearly training programme, 杰青领航 …): 人次 and the
    participation rate of member and of all enterprises are reported per programme."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="programmes")
    name = models.CharField("项目名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, help_text="留空表示跨年度项目")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "活动项目"
        verbose_name_plural = "活动项目"
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="events_programme_unique_name",
                                               violation_error_message="本工商联已有同名项目。")]

    def __str__(self):
        return f"{self.name}（{self.year}）" if self.year else self.name


class EventQuerySet(models.QuerySet):
    def trainings(self):
        return self.filter(kind__code__in=TRAINING_KINDS)

    def statutory(self):
        return self.exclude(body="")

    def held(self):
        """Events that took place (not drafts, not cancelled)."""
        return self.exclude(status__in=(Event.Status.DRAFT, Event.Status.CANCELLED))


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        REGISTRATION = "registration", "报名中"
        RUNNING = "running", "进行中"
        FINISHED = "finished", "已结束"
        CANCELLED = "cancelled", "已取消"

    class Organiser(models.TextChoices):
        FEDERATION = "federation", "工商联"
        CHAMBER = "chamber", "商会"
        COMMITTEE = "committee", "专门委员会"
        WORKING_GROUP = "working_group", "专项工作组"

    number = models.CharField("活动编号", max_length=20, unique=True)
    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="events")
    title = models.CharField("活动名称", max_length=200)
    kind = models.ForeignKey("common.DictItem", verbose_name="活动类型", on_delete=models.PROTECT,
                             related_name="+", limit_choices_to={"kind": "event_kind"})
    body = models.CharField("会议机构", max_length=20, choices=Body.choices, blank=True,
                            help_text="法定会议的召开机构（由活动类型决定）")
    organiser = models.CharField("主办方类型", max_length=20, choices=Organiser.choices,
                                 default=Organiser.FEDERATION)
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="主办商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="events")
    committee = models.ForeignKey("orgs.Committee", verbose_name="主办专委会", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="events")
    working_group = models.CharField("主办工作组", max_length=100, blank=True)
    programme = models.ForeignKey(Programme, verbose_name="所属项目", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="events")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    venue = models.CharField("地点", max_length=200)
    capacity = models.PositiveIntegerField("名额", null=True, blank=True, help_text="留空表示不限名额")
    rsvp_deadline = models.DateTimeField("报名截止", null=True, blank=True, help_text="留空则截至活动开始")
    leaders = models.CharField("出席领导", max_length=300, blank=True)
    programme_text = models.TextField("议程", blank=True)
    description = models.TextField("活动简介", blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    # The posted 签到码's secret: a new one makes every printed code of the event invalid.
    checkin_code = models.CharField("签到码密钥", max_length=32, default=new_code, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["federation", "starts_at", "id"], name="event_list_fed_starts"),
            models.Index(fields=["chamber", "starts_at", "id"], name="event_list_chamber_starts"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="events_event_ends_after_start",
                                   violation_error_message="结束时间不能早于开始时间。"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def organiser_name(self):
        if self.organiser == self.Organiser.CHAMBER and self.chamber_id:
            return self.chamber.name
        if self.organiser == self.Organiser.COMMITTEE and self.committee_id:
            return self.committee.name
        if self.organiser == self.Organiser.WORKING_GROUP and self.working_group:
            return self.working_group
        return self.federation.name

    @property
    def is_statutory(self):
        return bool(self.body)

    @property
    def is_training(self):
        return self.kind.code in TRAINING_KINDS

    @property
    def collects_appeals(self):
        return self.kind.code in APPEAL_KINDS

    def rsvp_closes_at(self):
        return self.rsvp_deadline or self.starts_at

    def checkin_window(self):
        """Check-in is open from 00:00 of the first day (local) to 24:00 of the last."""
        # an event ending at 00:00 ends on the day before (its end is the first instant not in it)
        end = max(self.ends_at - datetime.timedelta(microseconds=1), self.starts_at)
        return day_bounds(local_day(self.starts_at))[0], day_bounds(local_day(end))[1]

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = "结束时间不能早于开始时间。"
        if self.rsvp_deadline and self.ends_at and self.rsvp_deadline > self.ends_at:
            errors["rsvp_deadline"] = "报名截止不能晚于活动结束。"
        if self.organiser == self.Organiser.CHAMBER and not self.chamber_id:
            errors["chamber"] = "请选择主办商会。"
        if self.organiser == self.Organiser.COMMITTEE and not self.committee_id:
            errors["committee"] = "请选择主办专委会。"
        if self.organiser == self.Organiser.WORKING_GROUP and not self.working_group.strip():
            errors["working_group"] = "请填写主办工作组。"
        if self.chamber_id and self.federation_id and self.chamber.federation_id != self.federation_id:
            errors["chamber"] = "商会不属于该工商联。"
        if self.committee_id and self.federation_id and self.committee.federation_id != self.federation_id:
            errors["committee"] = "专门委员会不属于该工商联。"
        if self.programme_id and self.federation_id and self.programme.federation_id != self.federation_id:
            errors["programme"] = "项目不属于该工商联。"
        if errors:
            raise ValidationError(errors)


class EventAttachment(StoredFile):
    """活动资料: the programme, slides, the sign-in sheet scan … shown to the invitees on their page."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = "活动资料"
        verbose_name_plural = "活动资料"


class Invitation(models.Model):
    """请柬: one invitee — a person (with the enterprise they came for, if any) or an enterprise — and
    their answer. `code` is random and only ever shown inside a signed QR token (`tokens.py`)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待回复"
        ACCEPTED = "accepted", "参加"
        SUBSTITUTE = "substitute", "代为参加"
        DECLINED = "declined", "不参加"
        WAITLISTED = "waitlisted", "候补"
        CANCELLED = "cancelled", "已取消"

    class Channel(models.TextChoices):
        SITE = "site", "站内"
        SMS = "sms", "站内+短信"

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("members.Person", verbose_name="受邀人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="invitations")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="受邀企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="invitations")
    name = models.CharField("姓名", max_length=100, help_text="发出请柬时的受邀人姓名（或企业名称）")
    mobile_tail = models.CharField("手机尾号", max_length=4, blank=True)
    channel = models.CharField("通知方式", max_length=8, choices=Channel.choices, default=Channel.SITE)
    status = models.CharField("回复", max_length=16, choices=Status.choices, default=Status.PENDING)
    substitute_name = models.CharField("代参加人", max_length=50, blank=True)
    responded_at = models.DateTimeField("回复时间", null=True, blank=True)
    waitlisted_at = models.DateTimeField("候补时间", null=True, blank=True,
                                         help_text="进入候补名单的时间：候补按此先后转正")
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回复人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    code = models.CharField("签到凭证", max_length=32, unique=True, default=new_code, editable=False)
    invited_at = models.DateTimeField("邀请时间", default=timezone.now)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="邀请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "请柬"
        verbose_name_plural = "请柬"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], condition=Q(person__isnull=False),
                                    name="events_invitation_unique_person",
                                    violation_error_message="该人员已受邀。"),
            models.UniqueConstraint(fields=["event", "enterprise"], condition=Q(person__isnull=True),
                                    name="events_invitation_unique_enterprise",
                                    violation_error_message="该企业已受邀。"),
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(enterprise__isnull=False),
                                   name="events_invitation_has_invitee"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "event"], name="invitation_enterprise_event"),
            models.Index(fields=["event", "status"], name="invitation_event_status"),
        ]

    def __str__(self):
        return f"{self.name}（{self.event}）"

    @property
    def attends(self):
        """Holds one of the event's places (参加 or 代为参加)."""
        return self.status in (self.Status.ACCEPTED, self.Status.SUBSTITUTE)


PLACE_STATUSES = (Invitation.Status.ACCEPTED, Invitation.Status.SUBSTITUTE)


class CheckIn(models.Model):
    """签到: one attendance. An invitee's is unique per invitation; a walk-in (现场登记) has none."""

    class Method(models.TextChoices):
        SCAN = "scan", "扫码签到"
        SELF = "self", "自助签到"
        MANUAL = "manual", "人工签到"
        WALK_IN = "walk_in", "现场登记"

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.CASCADE, related_name="checkins")
    invitation = models.ForeignKey(Invitation, verbose_name="请柬", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="checkins")
    person = models.ForeignKey("members.Person", verbose_name="人员", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="checkins")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="checkins")
    name = models.CharField("姓名", max_length=100)
    mobile_tail = models.CharField("手机尾号", max_length=4, blank=True)
    organisation = models.CharField("单位", max_length=200, blank=True, help_text="现场登记者自报的单位")
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField("签到时间", default=timezone.now)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签到操作人", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "签到"
        verbose_name_plural = "签到"
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "invitation"], condition=Q(invitation__isnull=False),
                                    name="events_checkin_once_per_invitation"),
        ]
        indexes = [
            models.Index(fields=["event", "checked_in_at"], name="checkin_event_time"),
            models.Index(fields=["enterprise", "event"], name="checkin_enterprise_event"),
            # participation: the enterprises that attended the events of a period, from the index alone
            models.Index(fields=["event", "enterprise"], name="checkin_event_enterprise"),
        ]

    def __str__(self):
        return f"{self.name} {timezone.localtime(self.checked_in_at):%m-%d %H:%M}"


class Scan(models.Model):
    """Every scan and manual check-in attempt and its answer (pretix's check-in log): who, when, what
    was read, the result and why. `nonce` is the client's id for one scan; the same nonce uploaded again
    gets the first answer back."""

    class Result(models.TextChoices):
        OK = "ok", "签到成功"
        ALREADY = "already", "已签到"
        REFUSED = "refused", "拒绝"

    event = models.ForeignKey(Event, verbose_name="活动", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="scans")
    nonce = models.CharField("扫描标识", max_length=64, null=True, blank=True, unique=True)
    payload = models.CharField("扫描内容（截断）", max_length=120, blank=True)
    scanned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="扫描人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    scanned_at = models.DateTimeField("扫描时间", default=timezone.now)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    reason = models.CharField("原因", max_length=40, blank=True)
    message = models.CharField("提示", max_length=200)
    checkin = models.ForeignKey(CheckIn, verbose_name="签到", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="scans")

    class Meta:
        verbose_name = "签到扫描记录"
        verbose_name_plural = "签到扫描记录"
        ordering = ["-scanned_at", "-id"]
        indexes = [models.Index(fields=["event", "scanned_at"], name="scan_event_time")]

    def __str__(self):
        return f"{self.get_result_display()} {self.message}"


class Feedback(models.Model):
    """活动反馈: one per attendance, after the event."""

    checkin = models.OneToOneField(CheckIn, verbose_name="签到", on_delete=models.CASCADE, related_name="feedback")
    score = models.PositiveSmallIntegerField("总体评价", validators=[MinValueValidator(1)],
                                             choices=[(5, "非常满意"), (4, "满意"), (3, "一般"), (2, "不满意"),
                                                      (1, "很不满意")])
    useful = models.TextField("最有收获的内容", blank=True)
    suggestion = models.TextField("意见建议", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "活动反馈"
        verbose_name_plural = "活动反馈"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.checkin.name}：{self.get_score_display()}"


class EventAppeal(models.Model):
    """An appeal raised at an event (恳谈会/早餐会/座谈会): the link both ways."""

    event = models.ForeignKey(Event, verbose_name="活动", on_delete=models.PROTECT, related_name="raised_appeals")
    appeal = models.OneToOneField("appeals.Appeal", verbose_name="诉求", on_delete=models.CASCADE,
                                  related_name="raised_at")

    class Meta:
        verbose_name = "活动收集诉求"
        verbose_name_plural = "活动收集诉求"
        ordering = ["id"]

    def __str__(self):
        return f"{self.event} → {self.appeal}"


# --- statutory meetings ---------------------------------------------------------------------------------
class QuorumRule(models.Model):
    """The charter's rule for one body's meetings: present ≥ quorum of the members, and a resolution passes
    with more than `pass_share` of those present. Without a row: two thirds, and more than half."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.CASCADE,
                                   related_name="quorum_rules")
    body = models.CharField("会议机构", max_length=20, choices=Body.choices)
    quorum_numerator = models.PositiveSmallIntegerField("出席比例（分子）", default=2)
    quorum_denominator = models.PositiveSmallIntegerField("出席比例（分母）", default=3,
                                                          validators=[MinValueValidator(1)])
    pass_numerator = models.PositiveSmallIntegerField("通过比例（分子）", default=1)
    pass_denominator = models.PositiveSmallIntegerField("通过比例（分母）", default=2,
                                                        validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "议事规则"
        verbose_name_plural = "议事规则"
        constraints = [models.UniqueConstraint(fields=["federation", "body"], name="events_quorum_rule_unique")]

    def __str__(self):
        return f"{self.get_body_display()}：出席≥{self.quorum_numerator}/{self.quorum_denominator}，" \
               f"赞成>{self.pass_numerator}/{self.pass_denominator}"

    def clean(self):
        if self.quorum_denominator and self.quorum_numerator > self.quorum_denominator:
            raise ValidationError({"quorum_numerator": "出席比例不能大于1。"})
        if self.pass_denominator and self.pass_numerator >= self.pass_denominator:
            raise ValidationError({"pass_numerator": "通过比例须小于1。"})


class Resolution(models.Model):
    """决议: recorded only when the meeting has its quorum; the vote and its outcome under the body's rule."""

    event = models.ForeignKey(Event, verbose_name="会议", on_delete=models.CASCADE, related_name="resolutions")
    title = models.CharField("决议事项", max_length=200)
    text = models.TextField("决议内容", blank=True)
    eligible = models.PositiveIntegerField("应到人数")
    present = models.PositiveIntegerField("实到人数")
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对")
    abstentions = models.PositiveIntegerField("弃权")
    passed = models.BooleanField("通过")
    rule = models.CharField("适用规则", max_length=100)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "决议"
        verbose_name_plural = "决议"
        ordering = ["event", "id"]

    def __str__(self):
        return self.title


class ResolutionAttachment(StoredFile):
    resolution = models.ForeignKey(Resolution, verbose_name="决议", on_delete=models.CASCADE,
                                   related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = "决议附件"
        verbose_name_plural = "决议附件"


# --- the rotating executive chair -------------------------------------------------------------------------
class ChairDuty(models.Model):
    """轮值主席: one month of the roster of the federation (or of one chamber) — the chair on duty, drawn
    from the current term's 主席/副主席 (会长/副会长), and the enterprise staff seconded for the month."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="chair_duties")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="chair_duties", help_text="留空表示工商联本级")
    month = models.DateField("月份", help_text="该月1日")
    position = models.ForeignKey("orgs.Position", verbose_name="轮值主席", on_delete=models.PROTECT,
                                 related_name="chair_duties")
    seconded_staff = models.CharField("借调工作人员", max_length=300, blank=True,
                                      help_text="轮值企业借调的工作人员，多人以顿号分隔")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="排班人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "轮值主席"
        verbose_name_plural = "轮值主席"
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "month"], condition=Q(chamber__isnull=True),
                                    name="events_chair_one_per_month",
                                    violation_error_message="该月已有轮值主席。"),
            models.UniqueConstraint(fields=["chamber", "month"], condition=Q(chamber__isnull=False),
                                    name="events_chamber_chair_one_per_month",
                                    violation_error_message="该月已有轮值会长。"),
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月} {self.position.person}"


class DutyLogEntry(models.Model):
    """值班日志: what the chair on duty did on a day, and which appeals and events it concerned."""

    duty = models.ForeignKey(ChairDuty, verbose_name="轮值月份", on_delete=models.CASCADE, related_name="log")
    day = models.DateField("日期")
    content = models.TextField("工作内容")
    appeals = models.ManyToManyField("appeals.Appeal", verbose_name="涉及诉求", blank=True, related_name="+")
    events = models.ManyToManyField(Event, verbose_name="涉及活动", blank=True, related_name="duty_log")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "值班日志"
        verbose_name_plural = "值班日志"
        ordering = ["-day", "-id"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.content[:20]}"
