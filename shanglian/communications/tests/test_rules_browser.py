"""At 375×667 a rule's page (its text, version history and the 对比 of two versions), its version's page, a
partner's page (agreements, exchanges) and the lists of rules and exchanges fit the phone's width — wide tables
scroll inside their card. Run with `make test-browser`."""

from datetime import date

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.communications.models import Agreement, RuleVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
TEXT = ("第一条 为规范区工商联常务委员会的议事程序，提高议事效率，根据《中国工商业联合会章程》，制定本规则。\n"
        "第二条 常务委员会会议每半年召开一次，由主席召集和主持；必要时可以临时召开。\n"
        "第三条 常务委员会会议须有三分之二以上常务委员出席方能召开，决定事项须经到会常务委员过半数同意。")


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def test_the_rule_and_partner_pages_fit_a_phone(live_server, cast, browser, artifacts_dir):
    rule = testing.make_rule(cast.district, title="河西区工商联（总商会）常务委员会工作规则", category="meeting", text=TEXT)
    second = RuleVersion.objects.create(
        rule=rule, version=2, text=TEXT.replace("每半年召开一次", "每季度召开一次").replace("第三条", "第三条（修订）"),
        adopted_by="congress", adopted_on=date(2025, 1, 8), effective_from=date(2025, 2, 1),
        note="根据第三次会员代表大会决议，常委会改为每季度召开")
    partner = testing.make_partner(cast.district, name="河北省雄安新区工商业联合会（总商会）", region="河北省雄安新区容城县")
    Agreement.objects.create(partner=partner, title="京津冀三地工商联友好合作框架协议", signed_on=date(2023, 5, 1),
                             summary="互设联络处，定期互访，共同举办招商推介活动，推动会员企业对接合作。")
    testing.make_exchange(partner, purpose="考察雄安新区数字经济产业园并座谈交流", outcome="签订招商意向协议2项")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, "staff")
    too_wide = {}
    for name, url in (("rules", reverse("communications:rules")),
                      ("rule", reverse("communications:rule", args=[rule.pk]) + "?older=1&newer=2"),
                      ("version", reverse("communications:rule_version", args=[second.pk])),
                      ("partner", reverse("communications:partner", args=[partner.pk])),
                      ("exchanges", reverse("communications:exchanges"))):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts_dir / f"rules-{name}-phone.png"), full_page=True)
        if testing.overflow(page) > 0:
            too_wide[name] = testing.overflow(page)
        if name == "rule":
            assert page.locator("tr[data-diff=added] ins").count() == 2
    context.close()
    assert too_wide == {}
    assert problems == []
