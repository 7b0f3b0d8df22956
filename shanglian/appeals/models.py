"""Enterprise appeals (诉求) and rights cases (维权): DESIGN §3.

The state lives on `Appeal.status` and changes only through `services.py`; every change is one
`TimelineEntry` (immutable). A dispatch creates one `Assignment` per department; the appeal's own
deadline is the latest deadline of its open assignments.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shanglian.common.fields import EncryptedTextField
from shanglian.common.models import StoredFile
from shanglian.common.validators import validate_mobile


class AppealCategory(models.Model):
    """诉求类别 — the category dictionary with the deadlines of the 12345 practice (editable)."""

    code = models.SlugField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    reply_days = models.PositiveSmallIntegerField("答复时限（工作日）", default=5)
    sign_hours = models.PositiveSmallIntegerField("签收时限（工作小时）", default=2)
    is_rights_case = models.BooleanField("维权案件", default=False,
                                         help_text="维权案件另记对方当事人、涉及金额、法律援助和调解结果。")
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    ASSIGNED = "assigned", "已派单"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复"
    REOPENED = "reopened", "重办"
    CLOSED = "closed", "已办结"


# States in which an appeal is still being worked on (and can be overdue).
OPEN_STATES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.REOPENED)


def overdue_q(on=None):
    """Overdue, defined once: open and past its deadline on `on` (default today; the deadline day
    itself is still in time)."""
    return Q(status__in=OPEN_STATES, deadline__lt=on or timezone.localdate())


def assignment_overdue_q(on=None):
    """A department's assignment is late, defined once: the department still holds it (待签收 or 办理中)
    past its own deadline on `on` (default today; the deadline day itself is still in time). Its own
    deadline, because an extension moves one department's deadline, not the others'."""
    return Q(state__in=Assignment.HELD_STATES, deadline__lt=on or timezone.localdate())


def stat_key(appeal):
    """What places an appeal in the KPI summaries (`AppealDayStat`, `AppealReach`): (federation, category,
    submitted_at, enterprise), None for a field not loaded."""
    values = appeal.__dict__
    return (values.get("federation_id"), values.get("category_id"), values.get("submitted_at"),
            values.get("enterprise_id"))


# The work queues of the desk's and the departments' lists (key: tab label); selectors define what each holds.
QUEUES = {
    "pending_accept": "待受理",
    "pending_dispatch": "待派单",
    "handling": "办理中",
    "due_soon": "即将超期",
    "overdue": "已超期",
    "replied": "待评价/回访",
    "extension": "待审批延期",
    "callback": "待回访",
    "all": "全部",
}

DEPARTMENT_QUEUES = {
    "to_sign": "待签收",
    "handling": "办理中",
    "due_soon": "即将超期",
    "overdue": "已超期",
    "replied": "已答复",
    "all": "全部",
}


class AppealQuerySet(models.QuerySet):
    def overdue(self, on=None):
        return self.filter(overdue_q(on))

    # --- one set of rows read in one form and counted in another (selectors.appeal_list's `in_order`) ----
    # The ordered page of a large scope is read walking an index in the list's order and testing each row's
    # membership; its count is cheaper as a semi-join from the scope's own list. `counted_as(other)` gives
    # this queryset's rows with `count()` taken from `other` (the same rows by definition, see
    # tests/test_scope_plans.py). Kept through ordering and related loading only: any other change
    # (a filter, a slice, values…) counts its own rows again.
    def counted_as(self, queryset):
        clone = self._chain()
        clone._count_source = queryset
        return clone

    def count(self):
        form = self.counting_form()
        return super().count() if form is self else form.count()

    def counting_form(self):
        """The form whose count is this queryset's (itself, or that of `counted_as`): for a count up to a
        limit (ui.listing.count_up_to)."""
        source = getattr(self, "_count_source", None)
        return source if source is not None and self._result_cache is None else self

    def _keeping_count(self, clone):
        clone._count_source = getattr(self, "_count_source", None)
        return clone

    def order_by(self, *field_names):
        return self._keeping_count(super().order_by(*field_names))

    def select_related(self, *fields):
        return self._keeping_count(super().select_related(*fields))

    def prefetch_related(self, *lookups):
        return self._keeping_count(super().prefetch_related(*lookups))


# States in which a department holds it.
WITH_DEPARTMENT_STATES = (Status.ASSIGNED, Status.HANDLING, Status.REOPENED)


class Channel(models.TextChoices):
    PLATFORM = "platform", "平台"
    PHONE = "phone", "电话"
    VISIT = "visit", "走访"
    EVENT = "event", "恳谈会/早餐会"
    LETTER = "letter", "来信"
    SURVEY = "survey", "问卷调查"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


# 满意度 in 百分制 (DESIGN §3).
RATING_POINTS = {Rating.SATISFIED: 100, Rating.BASICALLY: 80, Rating.UNSATISFIED: 0}


class MediationResult(models.TextChoices):
    NONE = "", "—"
    SETTLED = "settled", "调解成功"
    PARTIAL = "partial", "部分达成"
    FAILED = "failed", "调解不成"
    LITIGATION = "litigation", "转诉讼/仲裁"


class Appeal(models.Model):
    federation = models.ForeignKey("orgs.Federation", verbose_name="工商联", on_delete=models.PROTECT,
                                   related_name="appeals")
    number = models.CharField("诉求编号", max_length=20, unique=True)
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="appeals")
    person = models.ForeignKey("members.Person", verbose_name="提出人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="appeals")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    # Encrypted at rest like every mobile; shown through `common.masking` (full only to a PII reader).
    contact_mobile = EncryptedTextField("联系电话", blank=True, validators=[validate_mobile])
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices, default=Channel.PLATFORM)
    category = models.ForeignKey(AppealCategory, verbose_name="诉求类别", on_delete=models.PROTECT,
                                 related_name="appeals")
    title = models.CharField("诉求标题", max_length=100)
    content = models.TextField("诉求内容", max_length=5000)
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    source_note = models.CharField("来源活动/走访", max_length=200, blank=True,
                                   help_text="在恳谈会、早餐会或走访中提出时，记下是哪一次。")

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    first_dispatched_at = models.DateTimeField("首次派单时间", null=True, blank=True)
    deadline = models.DateField("办理期限", null=True, blank=True, db_index=True)
    deadline_provisional = models.BooleanField("期限待确认", default=False,
                                               help_text="期限跨入尚无节假日安排的年份时按周一至周五推算。")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_on_time = models.BooleanField("按时答复", null=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    rejected_reason = models.CharField("不予受理理由", max_length=500, blank=True)
    is_supervised = models.BooleanField("督办", default=False, db_index=True)
    supervised_at = models.DateTimeField("督办时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)
    rating = models.CharField("评价", max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    # 维权 (rights case) fields, used when the category is a rights case.
    counterpart = models.CharField("对方当事人", max_length=200, blank=True)
    amount_involved = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    legal_aid_given = models.BooleanField("提供法律援助", default=False)
    mediation_result = models.CharField("调解结果", max_length=20, choices=MediationResult.choices, blank=True)

    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["federation", "status", "deadline"], name="appeal_fed_status_deadline"),
            # The lists' default sort (newest first, id breaking ties) read in index order, LIMIT 20 with no
            # sort of the federation's appeals: 全部 and the API list; one status (待受理, 已答复 …).
            models.Index(fields=["federation", "submitted_at", "id"], name="appeal_list_fed_submitted"),
            models.Index(fields=["federation", "status", "submitted_at", "id"], name="appeal_list_fed_st_submitted"),
            # The KPIs (figures.py) of a federation's scope read the appeals of a period from this index
            # alone: the scope, the submission instant, then every column they count or group by (issue 19).
            models.Index(fields=["federation", "submitted_at", "status", "rating", "replied_on_time", "category",
                                 "deadline", "enterprise"], name="appeal_fed_submitted_kpi"),
            # A chamber's scope: the appeals of its member enterprises, by submission instant — and its KPIs
            # (figures.py, counted from the appeals: chamber membership changes over time, so there are no
            # summaries for it) read the period's appeals of each member from this index alone, every column
            # they count or group by after the instant (the federation's `appeal_fed_submitted_kpi`, issue 19),
            # and the id (SQLite keeps it in every index; PostgreSQL reads it from here to count the appeals and
            # join their assignments, an index-only scan instead of a heap fetch per appeal: 542 → 418 ms for
            # the 诉求统计 of a chamber of 3,829 members at 1,000,000 appeals).
            models.Index(fields=["enterprise", "submitted_at", "status", "rating", "replied_on_time", "category",
                                 "deadline", "id"], name="appeal_enterprise_kpi"),
            # A chamber's queue counts: its members' appeals by status (and deadline, rating, reply instant),
            # from the index alone.
            models.Index(fields=["enterprise", "status", "deadline", "rating", "replied_at"],
                         name="appeal_enterprise_queue"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(rejected_reason=""),
                                   name="appeals_rejected_has_reason"),
            models.CheckConstraint(condition=Q(amount_involved__isnull=True) | Q(amount_involved__gte=0),
                                   name="appeals_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("appeals:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember where the loaded appeal sits in the KPI summaries, so that a save moving it (another
        day or category) also recomputes the rows it leaves (`summaries.appeal_written`)."""
        instance = super().from_db(db, field_names, values)
        instance._loaded_stat_key = stat_key(instance)
        return instance

    @property
    def is_open(self):
        return self.status in OPEN_STATES

    def current_assignments(self):
        """The assignments of the current round that were not returned (`Assignment.is_current` on
        fetched rows)."""
        return self.assignments.filter(round=self.reopen_count).exclude(state=Assignment.State.RETURNED)

    def pending_extensions(self):
        """The extension requests waiting for the desk's decision, oldest first."""
        return (ExtensionRequest.objects.filter(assignment__appeal=self, decision=ExtensionRequest.Decision.PENDING)
                .select_related("assignment__department").order_by("id"))

    def overdue_on(self, on):
        """The model's side of `overdue_q`: open and past its deadline on `on`."""
        return self.is_open and self.deadline is not None and self.deadline < on

    @property
    def is_overdue(self):
        return self.overdue_on(timezone.localdate())

    @property
    def rating_points(self):
        return RATING_POINTS.get(self.rating)


class AssignmentQuerySet(models.QuerySet):
    def overdue(self, on=None):
        return self.filter(assignment_overdue_q(on))


class Assignment(models.Model):
    """One department's part of an appeal (派单)."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", "待签收"
        HANDLING = "handling", "办理中"
        REPLIED = "replied", "已答复"
        RETURNED = "returned", "已退回"

    # The states in which the department holds it: not yet replied or returned.
    HELD_STATES = (State.ASSIGNED, State.HANDLING)

    appeal = models.ForeignKey(Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey("orgs.Department", verbose_name="承办部门", on_delete=models.PROTECT,
                                   related_name="assignments")
    state = models.CharField("办理状态", max_length=20, choices=State.choices, default=State.ASSIGNED,
                             db_index=True)
    # 0 for the first handling; a reopened appeal gets new assignments with round = its reopen count,
    # so the first reply, its timeliness and the second one all stay on record.
    round = models.PositiveSmallIntegerField("办理轮次", default=0)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="派单人", null=True,
                                      on_delete=models.SET_NULL, related_name="+")
    dispatched_at = models.DateTimeField("派单时间")
    sign_deadline = models.DateTimeField("签收时限")
    deadline = models.DateField("答复期限")
    deadline_provisional = models.BooleanField("期限待确认", default=False)
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reply = models.TextField("答复内容", blank=True)
    replied_on_time = models.BooleanField("按时答复", null=True)
    working_days_to_reply = models.PositiveSmallIntegerField("答复用时（工作日）", null=True, blank=True)
    sign_overdue_notified_at = models.DateTimeField("签收超时提醒时间", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "派单"
        verbose_name_plural = "派单"
        ordering = ["id"]
        indexes = [
            # A department's scope and its queues (selectors.appeals_visible_to, department_queue_filter,
            # queue_counts): the appeal ids of its assignments in a state / past a deadline, from the index alone.
            models.Index(fields=["department", "state", "deadline", "appeal"], name="assignment_dept_queue"),
            # The number of distinct appeals of a department (its list, 全部) and of a queue (the tabs): read
            # in appeal order from these, no sort of 73,000 ids at city scale (issue 19). The first covers the
            # queues' conditions too: SQLite's planner, shown sampled statistics, may count a deadline queue
            # through it (4 ms, index only) rather than sort the few ids `assignment_dept_queue` finds.
            models.Index(fields=["department", "appeal", "state", "deadline"], name="assignment_dept_appeals"),
            models.Index(fields=["department", "state", "appeal"], name="assignment_dept_state_appeals"),
            # The reply figures of the KPIs (figures.py) per appeal, from this index alone (issue 19).
            models.Index(fields=["appeal", "department", "state", "replied_at", "replied_on_time",
                                 "working_days_to_reply", "deadline"], name="assignment_appeal_kpi"),
        ]

    def __str__(self):
        return f"{self.appeal.number} → {self.department}"

    @property
    def is_active(self):
        return self.state != self.State.RETURNED

    @property
    def is_current(self):
        """Of the appeal's current round and not returned: the Python side of `Appeal.current_assignments()`,
        for rows already fetched (a prefetched `appeal.assignments`)."""
        return self.round == self.appeal.reopen_count and self.is_active


class ExtensionRequest(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        DENIED = "denied", "不同意"

    assignment = models.ForeignKey(Assignment, verbose_name="派单", on_delete=models.CASCADE,
                                   related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    days = models.PositiveSmallIntegerField("延期（工作日）")
    reason = models.CharField("延期理由", max_length=500)
    decision = models.CharField("审批结果", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    old_deadline = models.DateField("原期限")
    new_deadline = models.DateField("新期限", null=True, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(decision="pending"),
                                    name="appeals_one_pending_extension"),
        ]

    def __str__(self):
        return f"{self.assignment} 延期{self.days}个工作日"


class RatingRecord(models.Model):
    """Each rating given (an appeal reopened and replied again is rated again)."""

    class Source(models.TextChoices):
        ENTERPRISE = "enterprise", "企业评价"
        CALLBACK = "callback", "回访"

    appeal = models.ForeignKey(Appeal, verbose_name="诉求", on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField("评价", max_length=20, choices=Rating.choices)
    comment = models.CharField("评价意见", max_length=500, blank=True)
    source = models.CharField("评价方式", max_length=20, choices=Source.choices)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评价人", null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField("评价时间")
    round = models.PositiveSmallIntegerField("办理轮次", default=0)

    class Meta:
        verbose_name = "评价记录"
        verbose_name_plural = "评价记录"
        ordering = ["id"]

    def __str__(self):
        return self.get_rating_display()


class TimelineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("办理记录不可修改。")

    def delete(self):
        raise PermissionError("办理记录不可删除。")


class TimelineEntry(models.Model):
    """One step of an appeal's history: immutable once written."""

    appeal = models.ForeignKey(Appeal, verbose_name="诉求", on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人", max_length=100, blank=True)
    action = models.SlugField("操作", max_length=30)
    action_label = models.CharField("操作名称", max_length=30)
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices, blank=True)
    department = models.ForeignKey("orgs.Department", verbose_name="部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # `note` is what the step says; the enterprise reads it for the steps of `selectors.PUBLIC_NOTES`
    # (the desk's words to the enterprise, a reply, a rejection …). `internal_note` is the desk's
    # internal remark: federation staff and departments only, never the enterprise or a chamber.
    note = models.TextField("说明", blank=True)
    internal_note = models.TextField("内部意见", blank=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("办理记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("办理记录不可删除。")


class Attachment(StoredFile):
    """A file of an appeal (the submission's or a department reply's), see `common.models.StoredFile`."""

    appeal = models.ForeignKey(Appeal, verbose_name="诉求", on_delete=models.PROTECT, related_name="attachments")
    timeline_entry = models.ForeignKey(TimelineEntry, verbose_name="办理记录", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"


# --- maintained summaries of the KPIs (issue 19; `shanglian.appeals.summaries` keeps them) -------------------
class AppealCounts(models.Model):
    """The KPI counts of a set of appeals (`figures.Figures` without 当前超期, which counts whatever the
    period): with no department, of all those appeals; with a department, of those it holds (dispatched to it
    and not returned), plus its own replies (`department_*`: every round of its assignments, as its 按部门 row
    counts them; but `department_replied_appeals`, the appeals, once each). A month row (`span` MONTH, `day`
    the month's first day) holds the sums of the month's day rows of the same keys, so that a long period sums
    a row per month and only its partial months by the day."""

    class Span(models.TextChoices):
        DAY = "d", "日"
        MONTH = "m", "月"

    department = models.ForeignKey("orgs.Department", null=True, on_delete=models.CASCADE, related_name="+")
    span = models.CharField(max_length=1, choices=Span.choices, default=Span.DAY)
    day = models.DateField()
    category = models.ForeignKey(AppealCategory, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    reply_days_total = models.PositiveIntegerField(default=0)
    reply_days_count = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basically = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)
    department_replied = models.PositiveIntegerField(default=0)
    department_replied_on_time = models.PositiveIntegerField(default=0)
    department_reply_days_total = models.PositiveIntegerField(default=0)
    department_reply_days_count = models.PositiveIntegerField(default=0)
    # of the appeals it holds, those whose assignment of it is replied (its 已答复 queue: the department's
    # list counts it from here, not from every assignment it ever answered)
    department_replied_appeals = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.day} {self.category_id} {self.department_id or '-'}: {self.received}"


class AppealDayStat(AppealCounts):
    """The counts (`AppealCounts`) of the appeals submitted on one local day (or month) in one federation and
    category. Derived data: `summaries.refresh` recomputes a day row from the appeals and its month row from
    the day rows, `rebuild_appeal_stats` all of them."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "诉求日统计"
        verbose_name_plural = "诉求日统计"
        constraints = [
            models.UniqueConstraint(fields=["federation", "span", "day", "category"],
                                    condition=Q(department__isnull=True), name="appeal_day_stat_unique_all"),
            models.UniqueConstraint(fields=["department", "span", "day", "category", "federation"],
                                    condition=Q(department__isnull=False), name="appeal_day_stat_unique_department"),
        ]
        # the bucket a write recomputes (federation, category, day: its day rows of every department, the sums of
        # its month): without it each write read every row of its federation (issue 19)
        indexes = [models.Index(fields=["federation", "department", "span", "day"], name="appeal_day_stat_fed_day"),
                   models.Index(fields=["department", "span", "day"], name="appeal_day_stat_dept_day"),
                   models.Index(fields=["federation", "category", "span", "day"], name="appeal_day_stat_bucket")]


class AppealChamberDayStat(AppealCounts):
    """The counts (`AppealCounts`) of a chamber's appeals — those of its active members, whatever their
    federation (`selectors.appeals_visible_to`) — submitted on one local day (or month) in one category: a
    chamber's 诉求统计 and 工作台 read them instead of every appeal of its members. Derived data, kept like
    `AppealDayStat` on every appeal and assignment write, and on every change of a chamber membership
    (`summaries.chamber_members_changed`: the enterprise's appeals join or leave the chamber's rows)."""

    chamber = models.ForeignKey("orgs.Chamber", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "商会诉求日统计"
        verbose_name_plural = "商会诉求日统计"
        constraints = [
            models.UniqueConstraint(fields=["chamber", "span", "day", "category"],
                                    condition=Q(department__isnull=True), name="appeal_chamber_stat_unique_all"),
            models.UniqueConstraint(fields=["chamber", "department", "span", "day", "category"],
                                    condition=Q(department__isnull=False),
                                    name="appeal_chamber_stat_unique_department"),
        ]
        indexes = [models.Index(fields=["chamber", "department", "span", "day"], name="appeal_chamber_stat_day"),
                   models.Index(fields=["chamber", "category", "span", "day"], name="appeal_chamber_stat_bucket")]


class AppealReach(models.Model):
    """The local day of an enterprise's first appeal in a federation (no department), or of the first one a
    department holds in any federation (with the department; `federation` is then that appeal's):
    服务企业数 counts the enterprises whose first day is up to the period's end. Derived data, kept like
    `AppealDayStat`."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("orgs.Department", null=True, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey("members.Enterprise", on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField()

    class Meta:
        verbose_name = "诉求企业首次日期"
        verbose_name_plural = "诉求企业首次日期"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "federation"], condition=Q(department__isnull=True),
                                    name="appeal_reach_unique_all"),
            models.UniqueConstraint(fields=["enterprise", "department"], condition=Q(department__isnull=False),
                                    name="appeal_reach_unique_department"),
        ]
        indexes = [models.Index(fields=["federation", "department", "first_day", "enterprise"],
                                name="appeal_reach_fed_day"),
                   models.Index(fields=["department", "first_day", "enterprise"], name="appeal_reach_dept_day")]

    def __str__(self):
        return f"{self.enterprise_id} {self.department_id or '-'}: {self.first_day}"
