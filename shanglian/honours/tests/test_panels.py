"""The 工作台 panel 商会评估: the editors' this year's 五有 达标率 and the evidence waiting for them (linked to exactly
those items), a chamber secretary's own assessments (returned items to supplement, how many of the five it
meets), nothing for the other roles; its queries do not grow with the rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shanglian import testing
from shanglian.honours.models import Assessment, AssessmentItem
from shanglian.honours.panels import assessment_panel

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741
CODES = ("sign", "team", "office", "funds", "activities")


def this_year():
    return timezone.localdate().year


def five_have(chamber, *, status=A.SUBMITTED, item_status=I.VERIFIED, **exceptions):
    assessment = testing.make_assessment(chamber, year=this_year(), status=status)
    for code in CODES:
        testing.claim_item(assessment, code, met=True, status=exceptions.get(code, item_status))
    return assessment


def test_the_editors_see_the_rate_and_the_evidence_waiting(cast, login):
    five_have(cast.chamber1, funds=I.PENDING, team=I.PENDING)
    complete = testing.make_chamber(cast.district, name="挂甲寺街道商会")
    five_have(complete, status=A.CONFIRMED)
    panel = assessment_panel(cast.users.staff)
    p = panel.context
    assert panel.template == "honours/assessments/_panel.html"
    assert [card.value for card in p["cards"]][:2] == [50, 1]
    assert p["pending"] == 2 and p["submitted"] == 1 and not p["empty"]
    page = login(cast.users.staff).get(p["pending_url"]).content.decode()
    assert int(re.search(r"共 (\d+) 条", page).group(1)) == 2
    home = login(cast.users.staff).get("/").content.decode()
    assert 'id="home-assessments"' in home and "50.0%" in home


def test_the_editors_panel_says_when_there_is_nothing(cast):
    Assessment.objects.all().delete()
    cast.chamber1.status = "dissolved"
    cast.chamber1.save()
    assert assessment_panel(cast.users.admin).context["empty"]


def test_a_chamber_secretary_sees_its_own_assessments(cast, login):
    five_have(cast.chamber1, status=A.DRAFT, item_status=I.VERIFIED, office=I.RETURNED)
    testing.make_assessment(cast.chamber2, scheme="four_good", year=this_year())
    p = assessment_panel(cast.users.chamber1).context
    assert [row["label"] for row in p["rows"]] == ["镇街商会“五有”"]
    assert p["township"] and p["five"]["met"] == 4 and not p["five"]["complete"]
    assert p["five"]["missing"] == ["办公场所（未核实（已退回补充））"]
    assert p["returned"] == 1
    page = login(cast.users.chamber1).get(p["returned_url"]).content.decode()
    assert int(re.search(r"共 (\d+) 条", page).group(1)) == 1
    home = login(cast.users.chamber1).get("/").content.decode()
    assert 'id="home-assessments-chamber"' in home and "河西区浙江商会" not in home.split('id="home-assessments-chamber"')[1]
    other = assessment_panel(cast.users.chamber2).context
    assert not other["township"] and other["five"] is None and [row["label"] for row in other["rows"]] == ["“四好”商会"]


def test_a_chamber_without_assessments_is_told_to_create_one(cast, login):
    p = assessment_panel(cast.users.chamber1).context
    assert p["rows"] == [] and p["township"]
    assert "本年度尚未创建评估（街道（镇）商会须填报“五有”）" in login(cast.users.chamber1).get("/").content.decode()


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_other_roles_get_no_panel(cast, role):
    assert assessment_panel(getattr(cast.users, role)) is None


def test_the_panels_queries_do_not_grow_with_the_rows(cast):
    def queries(user):
        with CaptureQueriesContext(connection) as captured:
            assessment_panel(user)
        return len(captured)

    five_have(cast.chamber1, funds=I.PENDING)
    queries(cast.users.staff), queries(cast.users.chamber1)  # each user's role is read once, then cached
    small = {role: queries(getattr(cast.users, role)) for role in ("staff", "chamber1")}
    for n in range(4):
        chamber = testing.make_chamber(cast.district, name=f"新增街道商会{n}")
        five_have(chamber, funds=I.PENDING)
        testing.make_assessment(chamber, scheme="four_good", year=this_year())
    assert {role: queries(getattr(cast.users, role)) for role in ("staff", "chamber1")} == small
