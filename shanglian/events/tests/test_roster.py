"""The rotating executive chair (轮值主席) on its pages: the roster every role reads, the plan its keepers make
(a month twice, a gap — within the plan or with the roster already there — or someone who is not a chair that
month is refused with the month named and nothing written), a chamber's own roster, and the duty log."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.appeals.tests.factories import submit
from shanglian.common.errors import Refused
from shanglian.events import services
from shanglian.events.models import ChairDuty, DutyLogEntry
from shanglian.orgs.models import Position, Term

pytestmark = pytest.mark.django_db

YEAR = 2027
READERS = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1"]


@pytest.fixture(autouse=True)
def reference_data(db):
    testing.ensure_reference_data()


@pytest.fixture
def chairs(cast):
    """The district's current term: a 主席, a 副主席 who leaves at the end of March 2027, a 常委; chamber1's
    term with its 会长 and 副会长; chamber2's 会长."""
    term = Term.objects.create(federation=cast.district, number=14, start=date(2024, 1, 1))
    people = {name: testing.make_person(cast.district, name=name) for name in
              ("主席甲", "副主席乙", "常委丙", "会长丁", "副会长戊", "他会会长")}
    chair = Position.objects.create(term=term, person=people["主席甲"], title="chairman")
    vice = Position.objects.create(term=term, person=people["副主席乙"], title="vice_chairman", end=date(YEAR, 3, 31))
    standing = Position.objects.create(term=term, person=people["常委丙"], title="standing")
    board = Term.objects.create(federation=cast.district, chamber=cast.chamber1, number=3, start=date(2024, 1, 1))
    president = Position.objects.create(term=board, person=people["会长丁"], title="president")
    vice_president = Position.objects.create(term=board, person=people["副会长戊"], title="vice_president")
    other = Term.objects.create(federation=cast.district, chamber=cast.chamber2, number=1, start=date(2024, 1, 1))
    other_president = Position.objects.create(term=other, person=people["他会会长"], title="president")
    return type("Chairs", (), {"chair": chair, "vice": vice, "standing": standing, "president": president,
                               "vice_president": vice_president, "other_president": other_president})


def _plan(client, start, chairs_and_staff, chamber=None):
    data = {"start": start, "months": len(chairs_and_staff)}
    if chamber is not None:
        data["chamber"] = chamber.pk
    for i, (position, staff) in enumerate(chairs_and_staff):
        data[f"chair_{i}"] = position.pk if position is not None else ""
        data[f"staff_{i}"] = staff
    return client.post(reverse("events:roster_plan"), data)


@pytest.fixture
def planned(cast, chairs):
    """January and February 2027 of the federation's roster."""
    return services.plan_roster(actor=cast.users.staff, rows=[(date(YEAR, 1, 1), chairs.chair, "张秘书、李干事"),
                                                               (date(YEAR, 2, 1), chairs.vice, "")])


# --- reading the roster -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", READERS)
def test_every_role_reads_the_federations_roster(cast, planned, login, role):
    response = login(getattr(cast.users, role)).get(reverse("events:roster") + f"?year={YEAR}")
    content = response.content.decode()
    assert response.status_code == 200
    assert "主席甲" in content and "张秘书、李干事" in content and "副主席乙" in content
    assert content.count("未安排") >= 10  # March to December have no chair
    assert "排班" not in content or role in ("admin", "staff")


def test_the_auditor_reads_the_audit_log_only(cast, planned, login):
    auditor = login(cast.users.auditor)
    assert auditor.get(reverse("events:roster")).status_code == 403
    assert auditor.get(reverse("events:duty", args=[planned[0].pk])).status_code == 403


def test_the_enterprise_reads_it_on_its_phone_layout(cast, planned, login):
    response = login(cast.users.ent1).get(reverse("events:roster") + f"?year={YEAR}")
    assert [t.name for t in response.templates][0] == "events/roster_h5.html"
    duty = ChairDuty.objects.get(month=date(YEAR, 1, 1))
    page = login(cast.users.ent1).get(reverse("events:duty", args=[duty.pk]))
    assert page.status_code == 200 and "主席甲" in page.content.decode() and 'name="content"' not in page.content.decode()


def test_another_federations_roster_is_not_shown(cast, planned, login):
    content = login(cast.users.outsider_staff).get(reverse("events:roster") + f"?year={YEAR}").content.decode()
    assert "主席甲" not in content
    assert content.count('<span class="tag tag-muted">未安排</span>') == 12
    duty = ChairDuty.objects.get(month=date(YEAR, 1, 1))
    assert login(cast.users.outsider_staff).get(reverse("events:duty", args=[duty.pk])).status_code == 404


def test_a_bad_year_is_answered_in_chinese(cast, login):
    response = login(cast.users.staff).get(reverse("events:roster") + "?year=99999")
    assert response.status_code == 400 and "年份“99999”无效" in response.content.decode()


def test_the_month_count_counts_the_duty_log(cast, planned, login):
    duty = planned[0]
    services.write_duty_log(actor=cast.users.staff, duty=duty, day=date(YEAR, 1, 5), content="接待来访企业3家")
    services.write_duty_log(actor=cast.users.staff, duty=duty, day=date(YEAR, 1, 9), content="主持早餐会")
    content = login(cast.users.leader).get(reverse("events:roster") + f"?year={YEAR}").content.decode()
    assert "2 条" in content


def test_a_chambers_roster_for_its_secretary_and_the_federation(cast, chairs, login):
    services.plan_roster(actor=cast.users.chamber1, rows=[(date(YEAR, 1, 1), chairs.president, "")],
                         chamber=cast.chamber1)
    url = reverse("events:roster") + f"?year={YEAR}&chamber={cast.chamber1.pk}"
    for user in (cast.users.chamber1, cast.users.staff, cast.users.leader):
        content = login(user).get(url).content.decode()
        assert "会长丁" in content and "轮值会长" in content
    assert login(cast.users.chamber2).get(url).status_code == 404
    for user in (cast.users.dept1, cast.users.ent1, cast.users.auditor):
        assert login(user).get(url).status_code == 403
    assert login(cast.users.chamber1).get(reverse("events:roster") + "?chamber=x").status_code == 404


# --- planning ---------------------------------------------------------------------------------------------------
def test_staff_plan_consecutive_months(cast, chairs, login):
    staff = login(cast.users.staff)
    page = staff.get(reverse("events:roster_plan") + f"?start={YEAR}-01&months=3")
    assert page.status_code == 200 and "2027年1月至2027年3月" in page.content.decode()
    response = _plan(staff, f"{YEAR}-01", [(chairs.chair, "张秘书"), (chairs.vice, ""), (chairs.chair, "王干事")])
    assert response.status_code == 302 and response["Location"] == reverse("events:roster") + f"?year={YEAR}"
    assert list(ChairDuty.objects.order_by("month").values_list("position_id", "seconded_staff")) == [
        (chairs.chair.pk, "张秘书"), (chairs.vice.pk, ""), (chairs.chair.pk, "王干事")]


def test_the_plan_offers_the_chairs_and_prefills_the_roster(cast, planned, chairs, login):
    content = login(cast.users.staff).get(reverse("events:roster_plan") + f"?start={YEAR}-01&months=2").content.decode()
    assert "主席 主席甲" in content and "副主席 副主席乙" in content and "常委丙" not in content
    assert f'value="{chairs.vice.pk}" selected' in content and "张秘书、李干事" in content
    assert "保存后将被替换" in content


def test_a_month_without_a_chair_is_refused_on_the_form(cast, chairs, login):
    response = _plan(login(cast.users.staff), f"{YEAR}-01", [(chairs.chair, ""), (None, ""), (chairs.chair, "")])
    assert response.status_code == 400 and "请选择2027年2月的轮值主席" in response.content.decode()
    assert not ChairDuty.objects.exists()


def test_a_gap_with_the_roster_already_planned_is_refused(cast, planned, chairs, login):
    response = _plan(login(cast.users.staff), f"{YEAR}-04", [(chairs.chair, "")])
    assert response.status_code == 409 and "2027年3月没有轮值主席：轮值安排须与已有安排逐月衔接" in response.content.decode()
    assert ChairDuty.objects.count() == 2


def test_a_gap_before_the_roster_already_planned_is_refused(cast, chairs):
    services.plan_roster(actor=cast.users.staff, rows=[(date(YEAR, 6, 1), chairs.chair, "")])
    with pytest.raises(Refused, match="2027年3月没有轮值主席"):
        services.plan_roster(actor=cast.users.staff, rows=[(date(YEAR, 1, 1), chairs.vice, ""),
                                                            (date(YEAR, 2, 1), chairs.vice, "")])
    services.plan_roster(actor=cast.users.staff, rows=[(date(YEAR, m, 1), chairs.chair, "") for m in range(3, 6)])
    assert ChairDuty.objects.count() == 4  # March–June: the months before June join it


def test_replanning_a_month_inside_the_roster_keeps_it_whole(cast, planned, chairs):
    services.plan_roster(actor=cast.users.staff, rows=[(date(YEAR, 1, 1), chairs.vice, "新借调")])
    assert list(ChairDuty.objects.order_by("month").values_list("position_id", flat=True)) == [
        chairs.vice.pk, chairs.vice.pk]


def test_two_chairs_in_one_month_are_refused(cast, chairs):
    with pytest.raises(Refused, match="2027年1月安排了两位轮值主席"):
        services.plan_roster(actor=cast.users.staff, rows=[(date(YEAR, 1, 1), chairs.chair, ""),
                                                            (date(YEAR, 1, 20), chairs.vice, "")])
    assert not ChairDuty.objects.exists()


def test_someone_who_is_not_a_chair_is_refused(cast, chairs, login):
    response = _plan(login(cast.users.staff), f"{YEAR}-01", [(chairs.standing, "")])
    assert response.status_code == 400 and "不在可选人员之中" in response.content.decode()
    with pytest.raises(Refused, match="2027年1月的轮值人选须为当月在任的主席、副主席"):
        services.plan_roster(actor=cast.users.staff, rows=[(date(YEAR, 1, 1), chairs.standing, "")])
    assert not ChairDuty.objects.exists()


def test_a_chair_who_has_left_is_refused_for_the_months_after(cast, chairs, login):
    """The 副主席 leaves at the end of March: offered for the period, refused for April, naming it."""
    response = _plan(login(cast.users.staff), f"{YEAR}-03", [(chairs.vice, ""), (chairs.vice, "")])
    assert response.status_code == 409 and "2027年4月的轮值人选须为当月在任的主席、副主席" in response.content.decode()
    assert not ChairDuty.objects.exists()


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_readers_do_not_plan(cast, chairs, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(reverse("events:roster_plan")).status_code == 403
    assert _plan(client, f"{YEAR}-01", [(chairs.chair, "")]).status_code == 403
    assert not ChairDuty.objects.exists()


def test_a_chamber_secretary_plans_its_own_chamber_only(cast, chairs, login):
    client = login(cast.users.chamber1)
    page = client.get(reverse("events:roster_plan"))
    assert page.status_code == 200 and "轮值会长排班" in page.content.decode() and "会长丁" in page.content.decode()
    assert "他会会长" not in page.content.decode() and "主席甲" not in page.content.decode()
    assert _plan(client, f"{YEAR}-01", [(chairs.president, ""), (chairs.vice_president, "")],
                 chamber=cast.chamber1).status_code == 302
    assert set(ChairDuty.objects.values_list("chamber_id", flat=True)) == {cast.chamber1.pk}
    assert client.get(reverse("events:roster_plan") + f"?chamber={cast.chamber2.pk}").status_code == 404
    assert _plan(client, f"{YEAR}-03", [(chairs.other_president, "")], chamber=cast.chamber2).status_code == 404
    assert ChairDuty.objects.count() == 2
    assert not ChairDuty.objects.filter(chamber__isnull=True).exists()  # the federation's roster is not theirs


def test_a_federation_chair_is_not_a_chambers(cast, chairs, login):
    response = _plan(login(cast.users.staff), f"{YEAR}-01", [(chairs.chair, "")], chamber=cast.chamber1)
    assert response.status_code == 400 and "不在可选人员之中" in response.content.decode()
    assert not ChairDuty.objects.exists()


def test_a_bad_range_is_refused_in_chinese(cast, chairs, login):
    staff = login(cast.users.staff)
    response = staff.get(reverse("events:roster_plan") + "?start=2027-13&months=99")
    content = response.content.decode()
    assert response.status_code == 400 and "起始月份格式应为 2027-01" in content and "连续月数须为1至24" in content


# --- the duty log ----------------------------------------------------------------------------------------------
def test_the_duty_log_links_appeals_and_events_by_number(cast, planned, login):
    appeal = submit(cast)
    event = testing.make_event(cast.district, title="一月企业家早餐会")
    duty = planned[0]
    response = login(cast.users.staff).post(reverse("events:duty", args=[duty.pk]), {
        "day": f"{YEAR}-01-08", "content": "主持早餐会，收集诉求", "appeal_numbers": appeal.number,
        "event_numbers": event.number})
    assert response.status_code == 302
    entry = DutyLogEntry.objects.get()
    assert list(entry.appeals.all()) == [appeal] and list(entry.events.all()) == [event]
    content = login(cast.users.leader).get(reverse("events:duty", args=[duty.pk])).content.decode()
    assert "主持早餐会" in content and appeal.number in content and "一月企业家早餐会" in content
    content = login(cast.users.dept1).get(reverse("events:duty", args=[duty.pk])).content.decode()
    assert "主持早餐会" in content and appeal.number not in content and "不在您的查看范围内" in content


def test_a_day_outside_the_month_is_refused(cast, planned, login):
    response = login(cast.users.staff).post(reverse("events:duty", args=[planned[0].pk]), {
        "day": f"{YEAR}-02-01", "content": "接待企业"})
    assert response.status_code == 400 and "日期须在2027年1月之内" in response.content.decode()
    assert not DutyLogEntry.objects.exists()


def test_an_appeal_of_another_scope_is_not_found(cast, planned, login):
    foreign = submit(cast, actor=cast.users.outsider_staff, enterprise=cast.ent_other)
    response = login(cast.users.staff).post(reverse("events:duty", args=[planned[0].pk]), {
        "day": f"{YEAR}-01-08", "content": "跟进诉求", "appeal_numbers": f"{foreign.number}, NOPE-1"})
    assert response.status_code == 400
    assert f"未找到诉求编号：{foreign.number}、NOPE-1" in response.content.decode()
    assert not DutyLogEntry.objects.exists()


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1"])
def test_readers_do_not_write_the_federations_log(cast, planned, login, role):
    response = login(getattr(cast.users, role)).post(reverse("events:duty", args=[planned[0].pk]), {
        "day": f"{YEAR}-01-08", "content": "接待企业"})
    assert response.status_code == 403
    assert not DutyLogEntry.objects.exists()


def test_another_federations_staff_cannot_write_the_log(cast, planned):
    with pytest.raises(PermissionDenied):
        services.write_duty_log(actor=cast.users.outsider_staff, duty=planned[0], day=date(YEAR, 1, 8),
                                content="越权填写")
    assert not DutyLogEntry.objects.exists()


def test_a_chamber_secretary_keeps_its_chambers_log(cast, chairs, login):
    [duty] = services.plan_roster(actor=cast.users.chamber1, rows=[(date(YEAR, 1, 1), chairs.president, "")],
                                  chamber=cast.chamber1)
    client = login(cast.users.chamber1)
    assert client.post(reverse("events:duty", args=[duty.pk]), {"day": f"{YEAR}-01-03",
                                                                "content": "走访会员企业"}).status_code == 302
    assert login(cast.users.chamber2).get(reverse("events:duty", args=[duty.pk])).status_code == 404
    assert login(cast.users.ent1).get(reverse("events:duty", args=[duty.pk])).status_code == 404
    assert DutyLogEntry.objects.get().written_by == cast.users.chamber1


def test_this_months_chair_is_named(cast, chairs, login):
    month = timezone.localdate().replace(day=1)  # the fixture's term began in 2024 and has no end
    services.plan_roster(actor=cast.users.staff, rows=[(month, chairs.chair, "")])
    content = login(cast.users.dept1).get(reverse("events:roster")).content.decode()
    assert "本月轮值主席：" in content and "主席甲" in content


# --- in a browser: the roster, the plan and a month at a desk and on a phone ------------------------------------
DESK, PHONE = {"width": 1440, "height": 900}, {"width": 375, "height": 667}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["staff", "chamber1", "dept1", "ent1"])
def test_the_roster_fits_a_desk_and_a_phone(live_server, cast, chairs, browser, artifacts_dir, role):
    this_month = timezone.localdate().replace(day=1)
    months = [this_month]
    for _ in range(2):
        months.append((months[-1].replace(day=28) + timedelta(days=4)).replace(day=1))
    duties = services.plan_roster(actor=cast.users.staff, rows=[(months[0], chairs.chair, "张秘书、李干事"),
                                                                 (months[1], chairs.chair, ""),
                                                                 (months[2], chairs.chair, "王干事")])
    services.write_duty_log(actor=cast.users.staff, duty=duties[0], day=this_month, content="接待来访企业3家，协调用地诉求")
    pages = [("roster", reverse("events:roster"), "主席甲"),
             ("duty", reverse("events:duty", args=[duties[0].pk]), "协调用地诉求")]
    if role == "staff":
        pages.append(("plan", reverse("events:roster_plan") + f"?start={this_month:%Y-%m}&months=6", "保存排班"))
    for size_name, size in (("desk", DESK), ("phone", PHONE)):
        context = browser.new_context(viewport=size, locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        testing.sign_in(page, live_server.url, getattr(cast.users, role).username)
        for name, url, shown in pages:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            assert page.get_by_text(shown).first.is_visible(), (name, size_name)
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, (name, size_name)
            page.screenshot(path=str(artifacts_dir / f"events-{name}-{role}-{size_name}.png"), full_page=True)
        assert errors == []
        context.close()
