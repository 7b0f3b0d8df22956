"""Demo 通知调研与宣传 of the demo district, shaped like the seeds ("建立信息网络，及时向企业提供信息服务", "深入企业
调研, 问卷调查", "调研报告 to the district committee", "成功宣传企业家近百人", "共38项制度", "缔结友好商会5个"):

- Three dozen notices sent over the last year by the federation's staff (to all members, a committee, a working
  group, an event's invitees, a saved filter) and by chamber1's and chamber2's secretaries (to their chambers),
  their recipients resolved by `selectors.audience.recipients_of` on the day they went out; about 70% of the
  receipts read (the reader is the enterprise's account when it has one), each recipient enterprise's users told in
  their inbox; a few drafts and one withdrawn notice (its receipts kept).
- Saved filters of the federation and of chamber1.
- Seven surveys with questions of every kind and skip logic (five closed, two collecting; one answered per person,
  two by the chambers), sent like the notices; a few hundred submitted answer sheets that follow each survey's skip
  logic and bounds, a few drafts on the open ones; an appeal opened from one answer about financing (问卷调查).
- Six research reports drawing on the surveys and the leaders' visits, most sent to 区委/区政府, three with a 批示.
- About 150 articles over three years by outlet level, featuring about 95 distinct entrepreneurs and their firms
  ("成功宣传企业家近百人"), the rest about the federation itself.
- The 38 rules in force with their version histories (the adopting body; a version linked to the meeting's
  resolution when the events step recorded one of that body) and one repealed rule.
- Five friendly organisations in force and one ended, each with its agreement and visits exchanged both ways.

Drawn from its own seeded generator over the saved rows in id order: the same district, seed and `end` give the
same rows. A builder of the demo registry (step "communications", after members, appeals, events, engagement and
growth); `seed_demo --if-empty` never runs it twice.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.models import User
from shanglian.appeals.models import Appeal, Channel
from shanglian.common.numbering import daily_number
from shanglian.demo.draws import day_between, weighted
from shanglian.demo.files import load_toml
from shanglian.demo.registry import register
from shanglian.engagement.models import Visit
from shanglian.events.models import Event, Invitation, Resolution
from shanglian.growth.models import WorkingGroup
from shanglian.members import demo as members_demo
from shanglian.members.models import EnterpriseRole, Membership, Person
from shanglian.members.selectors import membership_in_force_q
from shanglian.notifications.models import Notification
from shanglian.orgs.models import Committee, Street

from .models import (
    Agreement,
    Answer,
    Article,
    Audience,
    Exchange,
    Notice,
    NoticeRecipient,
    Partner,
    Question,
    ResearchReport,
    Response,
    ResponseAppeal,
    Rule,
    RuleVersion,
    SavedFilter,
    Survey,
    SurveyRecipient,
)
from .selectors.audience import recipients_of

__all__ = ["CommunicationsResult", "build", "counts"]

DEMO_SEED = members_demo.DEMO_SEED + 24  # the communications' own stream
_TEXTS = load_toml("communications.toml")

SENT_NOTICES = 36
DRAFT_NOTICES = 3
READ_SHARE = 0.7
ANSWER_SHARE = (0.35, 0.6)  # of a closed survey's recipients: who answered
MAX_RESPONSES = 110  # answer sheets of one survey at most (a few hundred over the seven)
ARTICLES = 150
FEATURED_PERSONS = 95
PERSON_ARTICLES = 112  # of the articles: those featuring entrepreneurs (the rest: the federation's own news)
SMS_SHARE = 0.3


@dataclass
class CommunicationsResult:
    notices: int
    receipts: int
    surveys: int
    responses: int
    reports: int
    articles: int
    rules: int
    partners: int


def _aware(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class _Builder:
    def __init__(self, result, end, seed):
        self.rng, self.end = random.Random(seed), end
        self.district, self.users = result.federation, result.users
        self.staff = self.users["staff"]
        self.chamber_users = [self.users[k] for k in ("chamber1", "chamber2") if k in self.users]
        firm_ids, person_ids = result.core_ids()
        self.firm_ids, self.person_ids = set(firm_ids), person_ids
        self.accounts = {}
        for user in User.objects.filter(enterprise_id__in=firm_ids, is_active=True).order_by("pk"):
            self.accounts.setdefault(user.enterprise_id, []).append(user)

    def open_accounts(self, enterprise_ids):
        """A firm reached by a notice or a survey reads it and answers through an enterprise account: those without
        one get one that signs in by SMS code only (as the growth step's applicants do)."""
        from django.contrib.auth.models import Group

        from shanglian.accounts.roles import Role
        from shanglian.members.models import Enterprise

        missing = sorted({e for e in enterprise_ids if e and e not in self.accounts})
        new = []
        for firm in Enterprise.objects.filter(pk__in=missing).order_by("pk"):
            user = User(username=f"qy{firm.uscc.lower()}", display_name=firm.contact_name or "企业联系人",
                        enterprise=firm)
            user.set_unusable_password()
            new.append(user)
        saved = User.objects.bulk_create(new, batch_size=500)
        group = Group.objects.get_or_create(name=Role.ENTERPRISE.value)[0]
        User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in saved],
                                                batch_size=1000)
        for user in saved:
            self.accounts[user.enterprise_id] = [user]

    # --- helpers ------------------------------------------------------------------------------------------------
    def reader(self, enterprise_id):
        users = self.accounts.get(enterprise_id)
        return users[0] if users else None

    def target(self, record, audience, sender):
        """Point `record` (a Notice or a Survey, unsaved) at an audience of `audience`'s kind that has recipients;
        the federation's members when the district has none of that kind."""
        chamber = sender.chamber if sender.chamber_id else None
        record.audience = Audience.ALL_MEMBERS
        if chamber is not None or audience == Audience.CHAMBER:
            record.audience, record.chamber_audience = Audience.CHAMBER, chamber or self.rng.choice(self.chambers)
        elif audience == Audience.COMMITTEE and self.committees:
            record.audience, record.committee = Audience.COMMITTEE, self.rng.choice(self.committees)
        elif audience == Audience.WORKING_GROUP and self.groups:
            record.audience, record.working_group = Audience.WORKING_GROUP, self.rng.choice(self.groups)
        elif audience == Audience.EVENT and self.events:
            record.audience, record.event = Audience.EVENT, self.rng.choice(self.events)
        elif audience == Audience.SAVED_FILTER and self.filters:
            record.audience, record.saved_filter = Audience.SAVED_FILTER, self.rng.choice(self.filters)

    def load_targets(self):
        district = self.district
        self.chambers = [u.chamber for u in self.chamber_users]
        self.committees = list(Committee.objects.filter(federation=district).order_by("pk"))
        self.groups = list(WorkingGroup.objects.filter(federation=district).order_by("pk"))
        invited = Invitation.objects.exclude(status=Invitation.Status.CANCELLED).values("event_id")
        self.events = list(Event.objects.filter(federation=district, chamber__isnull=True, pk__in=invited,
                                                starts_at__lte=_aware(self.end)).order_by("-starts_at", "pk")[:20])

    # --- saved filters ------------------------------------------------------------------------------------------
    def saved_filters(self):
        street = Street.objects.filter(federation=self.district).order_by("pk").first()
        rows = []
        for name, kind in _TEXTS["filters"]:
            criteria = {"kind": Membership.Kind.ENTERPRISE}
            if kind == "street":
                if street is None:
                    continue
                criteria["street"] = str(street.pk)
            rows.append(SavedFilter(federation=self.district, name=name, criteria=criteria, created_by=self.staff))
        if self.chamber_users:
            user = self.chamber_users[0]
            rows.append(SavedFilter(federation=self.district, chamber_id=user.chamber_id,
                                    name=_TEXTS["chamber_filter"], criteria={"kind": Membership.Kind.ENTERPRISE},
                                    created_by=user))
        self.filters = [f for f in SavedFilter.objects.bulk_create(rows) if f.chamber_id is None]
        return len(rows)

    # --- notices ------------------------------------------------------------------------------------------------
    def notices(self):
        rng, end = self.rng, self.end
        specs = _TEXTS["notices"]
        receipts = 0
        days = sorted(day_between(rng, end - timedelta(days=360), end - timedelta(days=1))
                      for _ in range(SENT_NOTICES))
        withdrawn_at = rng.randrange(SENT_NOTICES // 2, SENT_NOTICES)
        for i, day in enumerate(days):
            title, body, audience = specs[i % len(specs)]
            sender = self.staff
            if audience == Audience.CHAMBER and self.chamber_users:
                sender = self.chamber_users[i % len(self.chamber_users)]
            sent_at = _aware(day, rng.randint(8, 17), rng.randint(0, 59))
            notice = Notice(federation=self.district, chamber_id=sender.chamber_id,
                            number=daily_number("TZ", when=sent_at), title=title.format(year=day.year),
                            body=f"<p>{body}</p><p>{rng.choice(_TEXTS['notice_closings'])}</p>",
                            sms_copy=rng.random() < SMS_SHARE, status=Notice.Status.SENT, created_by=sender,
                            sent_by=sender, sent_at=sent_at)
            self.target(notice, audience, sender)
            notice.save()
            receipts += self.receipts(notice, sender, day, sent_at)
            if i == withdrawn_at:
                Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.WITHDRAWN,
                                                           withdrawn_reason=_TEXTS["withdrawn_reason"])
        for i in range(DRAFT_NOTICES):
            title, body, audience = specs[(SENT_NOTICES + i) % len(specs)]
            notice = Notice(federation=self.district, number=daily_number("TZ", when=_aware(end, 9 + i)),
                            title=title.format(year=end.year), body=f"<p>{body}</p>", created_by=self.staff)
            self.target(notice, audience, self.staff)
            notice.save()
        return Notice.objects.filter(federation=self.district).count(), receipts

    def receipts(self, notice, sender, day, sent_at):
        rng, now = self.rng, _aware(self.end, 18)
        rows, messages = [], []
        reached = recipients_of(notice, sender=sender, on=day)
        self.open_accounts(r.enterprise_id for r in reached)
        for reach in reached:
            read_at = reader = None
            if reach.enterprise_id in self.accounts and rng.random() < READ_SHARE:
                read_at = min(now, sent_at + timedelta(minutes=rng.randint(10, 60 * 24 * 10)))
                reader = self.reader(reach.enterprise_id)
            rows.append(NoticeRecipient(notice=notice, enterprise_id=reach.enterprise_id, person_id=reach.person_id,
                                        name=reach.name[:200], read_at=read_at, read_by=reader))
            for user in self.accounts.get(reach.enterprise_id, []) if reach.enterprise_id else []:
                messages.append(Notification(recipient=user, kind="notice", title=notice.title,
                                             url=reverse("communications:h5_notice", args=[notice.pk]),
                                             read_at=read_at if user == reader else None))
        NoticeRecipient.objects.bulk_create(rows, batch_size=1000)
        created = Notification.objects.bulk_create(messages, batch_size=1000)
        Notification.objects.filter(pk__in=[m.pk for m in created]).update(created_at=sent_at)
        return len(rows)

    # --- surveys ------------------------------------------------------------------------------------------------
    def surveys(self):
        rng, end = self.rng, self.end
        responses = 0
        self.closed_surveys = []
        for spec in _TEXTS["surveys"]:
            sender = self.staff
            if spec.get("chamber") and len(self.chamber_users) >= spec["chamber"]:
                sender = self.chamber_users[spec["chamber"] - 1]
            closed = spec["status"] == "closed"
            opened_day = end - timedelta(days=rng.randint(40, 330) if closed else rng.randint(4, 10))
            opened = _aware(opened_day, 9)
            closes_on = opened_day + timedelta(days=21) if closed else end + timedelta(days=14)
            survey = Survey(federation=self.district, chamber_id=sender.chamber_id,
                            number=daily_number("WJ", when=opened), title=spec["title"], intro=spec["intro"],
                            respondent=spec["respondent"], closes_on=closes_on, status=spec["status"],
                            created_by=sender, opened_at=opened, closed_at=_aware(closes_on, 18) if closed else None)
            self.target(survey, spec["audience"], sender)
            survey.save()
            questions = self.questions(survey, spec["questions"])
            reached = recipients_of(survey, sender=sender, on=opened_day)
            self.open_accounts(r.enterprise_id for r in reached)
            SurveyRecipient.objects.bulk_create(
                [SurveyRecipient(survey=survey, enterprise_id=r.enterprise_id, person_id=r.person_id,
                                 name=r.name[:200]) for r in reached], batch_size=1000)
            firms = [r.enterprise_id for r in reached if r.enterprise_id]
            responses += self.responses(survey, questions, firms, opened_day, closes_on if closed else end)
            if closed and survey.chamber_id is None:
                self.closed_surveys.append(survey)
        return Survey.objects.filter(federation=self.district).count(), responses

    def questions(self, survey, specs):
        saved = []
        for order, spec in enumerate(specs, start=1):
            show_if = saved[spec["show_if"] - 1] if spec.get("show_if") else None
            question = Question.objects.create(
                survey=survey, order=order, kind=spec["kind"], text=spec["text"],
                required=spec.get("required", True), options=spec.get("options", []),
                low=spec.get("low", 1), high=spec.get("high", 5), low_label=spec.get("low_label", ""),
                high_label=spec.get("high_label", ""),
                minimum=Decimal(spec["minimum"]) if "minimum" in spec else None,
                maximum=Decimal(spec["maximum"]) if "maximum" in spec else None, unit=spec.get("unit", ""),
                show_if=show_if, show_if_option=spec.get("show_if_option") if show_if else None)
            saved.append(question)
        return saved

    def answer(self, question):
        """A plausible answer to `question`: (choices, number, text)."""
        rng = self.rng
        if question.kind == Question.Kind.SINGLE:
            weights = [len(question.options) - i + 1 for i in range(len(question.options))]
            return [rng.choices(range(len(question.options)), weights=weights)[0]], None, ""
        if question.kind == Question.Kind.MULTIPLE:
            k = rng.randint(1, min(3, len(question.options)))
            return sorted(rng.sample(range(len(question.options)), k)), None, ""
        if question.kind == Question.Kind.SCALE:
            span = question.high - question.low
            return [], Decimal(question.high - min(span, int(rng.expovariate(1.2)))), ""
        if question.kind == Question.Kind.NUMBER:
            low = int(question.minimum or 0)
            high = int(question.maximum if question.maximum is not None else 1000)
            return [], Decimal(min(high, low + int(rng.paretovariate(1.5) * 10))), ""
        return [], None, rng.choice(_TEXTS["answer_texts"])

    def responses(self, survey, questions, firms, first, last):
        rng = self.rng
        share = rng.uniform(*ANSWER_SHARE) if survey.status == Survey.Status.CLOSED else 0.15
        per_person = survey.respondent == Survey.Respondent.PERSON
        pool = [f for f in firms if f in self.accounts]  # an answer sheet is filled in through an account
        chosen = rng.sample(pool, min(MAX_RESPONSES, round(len(pool) * share)))
        drafts = set(chosen[:3]) if survey.status == Survey.Status.OPEN else set()
        sheets, answer_rows = [], []
        for enterprise_id in sorted(chosen):
            user = self.reader(enterprise_id)
            key = f"u{user.pk}" if per_person else f"e{enterprise_id}"
            when = _aware(day_between(rng, first, last), rng.randint(8, 21), rng.randint(0, 59))
            draft = enterprise_id in drafts
            sheets.append(Response(survey=survey, enterprise_id=enterprise_id, respondent=user, respondent_key=key,
                                   status=Response.Status.DRAFT if draft else Response.Status.SUBMITTED,
                                   submitted_at=None if draft else when))
            chosen_options, rows = {}, []
            for question in questions:
                if question.show_if_id is not None:
                    if question.show_if_option not in chosen_options.get(question.show_if_id, []):
                        continue  # hidden by skip logic: never answered
                if not question.required and rng.random() < 0.4:
                    continue
                if draft and rows and rng.random() < 0.5:
                    break  # a draft stops partway
                choices, number, text = self.answer(question)
                chosen_options[question.pk] = choices
                rows.append((question, choices, number, text))
            answer_rows.append(rows)
        saved = Response.objects.bulk_create(sheets, batch_size=500)
        Answer.objects.bulk_create(
            [Answer(response=sheet, question=q, choices=c, number=n, text=t)
             for sheet, rows in zip(saved, answer_rows, strict=True) for q, c, n, t in rows], batch_size=1000)
        return sum(1 for s in saved if s.status == Response.Status.SUBMITTED)

    def appeal_from_answers(self):
        """转为诉求: an answer about financing in the first closed survey whose firm then brought an appeal to the desk
        (by phone or otherwise, not linked to a visit or an event) after answering — that appeal becomes the one the
        answer opened (channel 问卷调查, its source the survey). The appeals demo wrote the appeal with its whole life,
        dated before the day the demo is built; raising a new one through `submit_appeal` would date it today."""
        if not self.closed_surveys:
            return 0
        survey = self.closed_surveys[0]
        answers = (Answer.objects.filter(response__survey=survey, response__status=Response.Status.SUBMITTED,
                                         question__kind=Question.Kind.TEXT, question__show_if__isnull=False)
                   .exclude(text="").select_related("response", "question").order_by("pk"))
        for answer in answers:
            appeal = (Appeal.objects.filter(enterprise_id=answer.response.enterprise_id, source_note="",
                                            channel__in=(Channel.PHONE, Channel.OTHER),
                                            submitted_at__gte=answer.response.submitted_at)
                      .order_by("submitted_at", "pk").first())
            if appeal is None:
                continue
            Appeal.objects.filter(pk=appeal.pk).update(
                channel=Channel.SURVEY, source_note=f"问卷调查：{survey.title}（{survey.number}）"[:200])
            ResponseAppeal.objects.create(response=answer.response, question=answer.question, appeal=appeal)
            return 1
        return 0

    # --- research reports ---------------------------------------------------------------------------------------
    def reports(self):
        rng, end = self.rng, self.end
        visits = list(Visit.objects.filter(federation=self.district).order_by("pk").values_list("pk", "visited_on"))
        surveys = list(self.closed_surveys)
        n = 0
        for i, (title, topic, method, destination, leader) in enumerate(_TEXTS["reports"]):
            period_end = end - timedelta(days=60 + 110 * i)
            period_start = period_end - timedelta(days=rng.randint(45, 100))
            submitted_on = min(end, period_end + timedelta(days=rng.randint(7, 20))) if destination else None
            instructed_on = min(end, submitted_on + timedelta(days=rng.randint(5, 20))) if leader else None
            report = ResearchReport.objects.create(
                federation=self.district, title=title, topic=topic, period_start=period_start, period_end=period_end,
                method=method, summary=_TEXTS["report_summary"], submitted_to=destination, submitted_on=submitted_on,
                instructed=bool(leader), instructed_by=leader, instructed_on=instructed_on,
                instruction=_TEXTS["instruction"] if leader else "", created_by=self.staff)
            if method in ("survey", "mixed") and surveys:
                report.surveys.add(surveys[i % len(surveys)])
            if method in ("visit", "mixed", "field"):
                during = [pk for pk, day in visits if period_start <= day <= period_end]
                report.visits.add(*rng.sample(during, min(len(during), rng.randint(3, 8))))
            n += 1
        return n

    # --- publicity ----------------------------------------------------------------------------------------------
    def articles(self):
        rng, end = self.rng, self.end
        members = set(Membership.objects.filter(membership_in_force_q(end), federation=self.district,
                                                enterprise_id__isnull=False).values_list("enterprise_id", flat=True))
        firsts = {}
        for person_id, enterprise_id in (EnterpriseRole.objects.filter(enterprise_id__in=members)
                                         .order_by("person_id", "pk").values_list("person_id", "enterprise_id")):
            firsts.setdefault(person_id, enterprise_id)
        holders = sorted(firsts)
        featured = sorted(rng.sample(holders, min(FEATURED_PERSONS, len(holders))))
        names = dict(Person.objects.filter(pk__in=featured).values_list("pk", "name"))
        from shanglian.members.models import Enterprise

        firms = dict(Enterprise.objects.filter(pk__in=set(firsts[p] for p in featured)).values_list("pk", "name"))
        order = featured + [rng.choice(featured) for _ in range(max(0, PERSON_ARTICLES - len(featured)))] \
            if featured else []
        rows, links = [], []
        first = end - timedelta(days=3 * 365)
        for i in range(ARTICLES):
            level = weighted(rng, _TEXTS["outlet_levels"])
            outlet = rng.choice(_TEXTS["outlets"][level])
            day = day_between(rng, first, end)
            if i < len(order):
                person = order[i]
                enterprise = firsts[person]
                kind = weighted(rng, _TEXTS["article_kinds"])
                title = rng.choice(_TEXTS["person_titles"]).format(name=names[person], enterprise=firms[enterprise])
                links.append((person, enterprise))
            else:
                kind, title = "news", rng.choice(_TEXTS["federation_titles"])
                links.append(None)
            rows.append(Article(federation=self.district, title=title[:150], kind=kind, outlet=outlet, level=level,
                                published_on=day, link=f"https://news.example.com/{day:%Y%m}/{i + 1:04d}.html",
                                created_by=self.staff))
        saved = Article.objects.bulk_create(rows)
        Article.persons.through.objects.bulk_create(
            [Article.persons.through(article_id=a.pk, person_id=link[0]) for a, link in zip(saved, links, strict=True)
             if link])
        Article.enterprises.through.objects.bulk_create(
            [Article.enterprises.through(article_id=a.pk, enterprise_id=link[1])
             for a, link in zip(saved, links, strict=True) if link])
        return len(saved)

    # --- rules --------------------------------------------------------------------------------------------------
    def rules(self):
        rng, end = self.rng, self.end
        resolutions = defaultdict(list)
        for pk, body, starts in (Resolution.objects.filter(event__federation=self.district, passed=True)
                                 .exclude(event__body="").order_by("pk")
                                 .values_list("pk", "event__body", "event__starts_at")):
            day = timezone.localdate(starts)
            if day <= end:
                resolutions[body].append((pk, day))
        specs = [(*spec, "") for spec in _TEXTS["rules"]] + [tuple(_TEXTS["repealed_rule"])]
        n = 0
        for title, category, body, repealed in ((s[1], s[0], s[2], s[3]) for s in specs):
            rule = Rule.objects.create(federation=self.district, title=title, category=category,
                                       created_by=self.staff)
            count = weighted(rng, [(1, 55), (2, 30), (3, 15)])
            adopted = day_between(rng, end - timedelta(days=8 * 365), end - timedelta(days=400 * count))
            versions = []
            for v in range(1, count + 1):
                resolution = None
                after = versions[-1].adopted_on if versions else date.min
                held = [(pk, day) for pk, day in resolutions.get(body, []) if day >= after]
                if v == count and held and rng.random() < 0.7:
                    resolution, adopted = rng.choice(held)
                effective = min(end, adopted + timedelta(days=rng.choice([0, 0, 15, 30])))
                versions.append(RuleVersion(
                    rule=rule, version=v, adopted_by=body, adopted_on=adopted, effective_from=effective,
                    resolution_id=resolution,
                    text=_TEXTS["rule_text"].format(title=title, clause=_TEXTS["rule_clauses"][(v - 1) % 3]),
                    note="" if v == 1 else rng.choice(_TEXTS["revision_notes"]), created_by=self.staff))
                adopted = min(end, adopted + timedelta(days=rng.randint(300, 700)))
            self.order_versions(versions)
            RuleVersion.objects.bulk_create(versions)
            if repealed:
                last = max(v.effective_from for v in versions)
                Rule.objects.filter(pk=rule.pk).update(repealed_on=min(end, last + timedelta(days=500)),
                                                       repeal_reason=repealed)
            n += 1
        return n

    @staticmethod
    def order_versions(versions):
        """A later version is never adopted before an earlier one (a resolution's day may fall before)."""
        for earlier, later in zip(versions, versions[1:], strict=False):
            if later.adopted_on < earlier.adopted_on:
                later.adopted_on = earlier.adopted_on
            later.effective_from = max(later.effective_from, later.adopted_on)

    # --- friendly organisations ---------------------------------------------------------------------------------
    def partners(self):
        rng, end = self.rng, self.end
        n = 0
        for name, kind, region, years, agreement, ended in _TEXTS["partners"]:
            since = day_between(rng, date(end.year - years, 3, 1), date(end.year - years, 10, 31))
            ended_on = day_between(rng, since + timedelta(days=365), end - timedelta(days=30)) if ended else None
            partner = Partner.objects.create(federation=self.district, name=name, kind=kind, region=region,
                                             contact=f"{region[-3:]}联络员", since=since, ended_on=ended_on,
                                             created_by=self.staff)
            Agreement.objects.create(partner=partner, title=agreement, signed_on=since,
                                     ends_on=since + timedelta(days=5 * 365) if rng.random() < 0.5 else None,
                                     summary="双方在会员交流、产业合作、消费帮扶、信息共享等方面加强合作。")
            last = ended_on or end
            exchanges = []
            for k in range(rng.randint(2, 4)):
                exchanges.append(Exchange(
                    partner=partner, direction=Exchange.Direction.INCOMING if k % 2 == 0 else
                    Exchange.Direction.OUTGOING, date=day_between(rng, since, last),
                    leader=rng.choice(_TEXTS["exchange_leaders"]), delegates=rng.randint(5, 30),
                    purpose=rng.choice(_TEXTS["exchange_purposes"]), outcome=rng.choice(_TEXTS["exchange_outcomes"])))
            Exchange.objects.bulk_create(exchanges)
            n += 1
        return n


def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """Save the 通知调研与宣传 of the demo district `result` (the "members" step's result) as of `end`."""
    with transaction.atomic():
        builder = _Builder(result, end, seed)
        builder.load_targets()
        builder.saved_filters()
        notices, receipts = builder.notices()
        surveys, responses = builder.surveys()
        builder.appeal_from_answers()
        reports = builder.reports()
        articles = builder.articles()
        rules = builder.rules()
        partners = builder.partners()
    return CommunicationsResult(notices=notices, receipts=receipts, surveys=surveys, responses=responses,
                                reports=reports, articles=articles, rules=rules, partners=partners)


# --- Reporting ---------------------------------------------------------------------------------------------
def counts():
    return [
        ("通知公告", Notice.objects.count()),
        ("阅读回执", NoticeRecipient.objects.count()),
        ("问卷调查", Survey.objects.count()),
        ("已提交答卷", Response.objects.filter(status=Response.Status.SUBMITTED).count()),
        ("调研报告", ResearchReport.objects.count()),
        ("宣传稿件", Article.objects.count()),
        ("规章制度", Rule.objects.count()),
        ("友好商会", Partner.objects.count()),
    ]


@register("communications", after=("members", "appeals", "events", "engagement", "growth"), counts=counts)
def seed(run):
    """`seed_demo`'s step: the core district's notices with their receipts, saved filters, surveys with their answers,
    research reports, publicity, rules and friendly organisations, up to today."""
    return build(run.results["members"], end=run.today)
