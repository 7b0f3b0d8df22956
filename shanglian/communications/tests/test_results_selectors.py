"""A survey's results on a hand-built dataset: option counts and shares, a scale's distribution and mean, a number's
sum/mean/min/max, text answers, the cross-tabulation by 商会 / 行业门类 / 企业规模, the raw answers' table — counted
only over the submitted answer sheets the user may see (a chamber secretary its chamber's members'), in a number of
queries that does not grow with the answers."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shanglian import testing
from shanglian.common.models import IndustryCode
from shanglian.communications.selectors import results
from shanglian.members.models import ChamberMembership

SINGLE = {"kind": "single", "text": "融资是否困难", "options": ["困难", "一般", "不困难"]}
MULTIPLE = {"kind": "multiple", "text": "主要困难", "options": ["融资", "用工", "市场"]}
SCALE = {"kind": "scale", "text": "营商环境满意度", "low": 1, "high": 5, "low_label": "很不满意", "high_label": "非常满意"}
NUMBER = {"kind": "number", "text": "用工人数", "unit": "人"}
TEXT = {"kind": "text", "text": "意见建议", "required": False}


@pytest.fixture
def data(cast):
    """Four enterprises of the district answer (ent1: chamber1, 信息 I, 小型; ent2: chamber2, 中型; ent3: both
    chambers, 制造 C, size not given; ent4: no chamber, 大型), one saves a draft only, one of another federation
    is never counted."""
    manufacturing = IndustryCode.objects.filter(level="class", section="C").first()
    cast.ent1.size = "small"
    cast.ent1.save()
    cast.ent2.size = "medium"
    cast.ent2.save()
    ent3 = testing.make_enterprise(cast.district, name="天津三号制造有限公司", chamber=cast.chamber1,
                                   industry=manufacturing)
    ChamberMembership.objects.create(chamber=cast.chamber2, enterprise=ent3, joined="2024-05-01")  # both chambers
    ent4 = testing.make_enterprise(cast.district, name="天津四号有限公司", size="large")
    ent5 = testing.make_enterprise(cast.district, name="天津五号有限公司")
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open",
                                 questions=[SINGLE, MULTIPLE, SCALE, NUMBER, TEXT])
    q = {x.kind: x for x in survey.questions.all()}
    testing.make_response(survey, cast.ent1, answers={q["single"]: [0], q["multiple"]: [0, 1], q["scale"]: 5,
                                                      q["number"]: 10, q["text"]: "希望多办对接会"})
    testing.make_response(survey, cast.ent2, answers={q["single"]: [0], q["multiple"]: [0], q["scale"]: 3,
                                                      q["number"]: 25.5, q["text"]: "  "})
    testing.make_response(survey, ent3, answers={q["single"]: [2], q["multiple"]: [2], q["scale"]: 4,
                                                 q["number"]: 100})
    testing.make_response(survey, ent4, answers={q["single"]: [1], q["multiple"]: [], q["scale"]: 4})
    testing.make_response(survey, ent5, status="draft", answers={q["single"]: [1], q["scale"]: 1})
    return {"survey": survey, "q": q, "ent3": ent3, "ent4": ent4, "manufacturing": manufacturing}


def _options(result):
    return [(o.label, o.count, None if o.share is None else round(o.share, 4)) for o in result.options]


def test_results_count_the_submitted_answers_per_question(cast, data):
    found = results.survey_results(cast.users.staff, data["survey"])
    assert found["responses"] == 4
    single, multiple, scale, number, text = found["questions"]
    assert single.answered == 4
    assert _options(single) == [("困难", 2, 0.5), ("一般", 1, 0.25), ("不困难", 1, 0.25)]
    assert multiple.answered == 3  # an empty choice is not an answer
    assert _options(multiple) == [("融资", 2, 0.6667), ("用工", 1, 0.3333), ("市场", 1, 0.3333)]
    assert scale.answered == 4 and scale.mean == Decimal("4.00")
    assert _options(scale) == [("1（很不满意）", 0, 0.0), ("2", 0, 0.0), ("3", 1, 0.25), ("4", 2, 0.5),
                               ("5（非常满意）", 1, 0.25)]
    assert number.answered == 3
    assert (number.total, number.mean, number.minimum, number.maximum) == (
        Decimal("135.50"), Decimal("45.17"), Decimal("10.00"), Decimal("100.00"))
    assert text.answered == 1 and text.texts == [("天津友谊科技有限公司", "希望多办对接会")]


def test_text_answers_listed_are_capped_but_counted(cast, data):
    found = results.survey_results(cast.users.staff, data["survey"], text_limit=0)
    text = found["questions"][4]
    assert text.texts == [] and text.text_count == 1


def test_cross_tabulation_by_chamber_counts_an_enterprise_in_each_of_its_chambers(cast, data):
    table = results.cross_tab(cast.users.staff, data["survey"], data["q"]["single"], "chamber")
    rows = {row.label: (row.answered, [c.count for c in row.cells]) for row in table.rows}
    assert rows == {"友谊路街道商会": (2, [1, 0, 1]), "河西区浙江商会": (2, [1, 0, 1]), "未加入商会": (1, [0, 1, 0])}
    assert [r.label for r in table.rows][-1] == "未加入商会"
    assert table.total.answered == 4 and [c.count for c in table.total.cells] == [2, 1, 1]
    assert table.columns == ["困难", "一般", "不困难"] and table.note


def test_cross_tabulation_by_industry_section_and_by_size(cast, data):
    scale = data["q"]["scale"]
    by_industry = results.cross_tab(cast.users.staff, data["survey"], scale, "industry")
    section_c = IndustryCode.objects.get(code="C").name
    section_i = IndustryCode.objects.get(code="I").name
    rows = {row.label: [c.count for c in row.cells] for row in by_industry.rows}
    assert rows == {f"C {section_c}": [0, 0, 0, 1, 0], f"I {section_i}": [0, 0, 1, 1, 1]}
    by_size = results.cross_tab(cast.users.staff, data["survey"], data["q"]["multiple"], "size")
    rows = {row.label: (row.answered, [c.count for c in row.cells]) for row in by_size.rows}
    assert rows == {"中型": (1, [1, 0, 0]), "小型": (1, [1, 1, 0]), "未填写": (1, [0, 0, 1])}
    assert [r.label for r in by_size.rows] == ["中型", "小型", "未填写"]  # sizes in their own order, then 未填写
    shares = {row.label: [round(c.share, 2) for c in row.cells] for row in by_size.rows}
    assert shares["小型"] == [1.0, 1.0, 0.0]


def test_only_choice_and_scale_questions_are_cross_tabulated(cast, data):
    with pytest.raises(ValueError):
        results.cross_tab(cast.users.staff, data["survey"], data["q"]["text"], "chamber")
    with pytest.raises(ValueError):
        results.cross_tab(cast.users.staff, data["survey"], data["q"]["single"], "street")


def test_a_chamber_secretary_sees_only_its_members_answers_to_its_own_survey(cast, data):
    survey = testing.make_survey(cast.district, by=cast.users.chamber1, chamber=cast.chamber1, status="open",
                                 audience="chamber", chamber_audience=cast.chamber1, questions=[SINGLE])
    question = survey.questions.get()
    testing.make_response(survey, cast.ent1, answers={question: [0]})
    testing.make_response(survey, cast.ent2, answers={question: [1]})  # not a member of chamber1
    found = results.survey_results(cast.users.chamber1, survey)
    assert found["responses"] == 1 and _options(found["questions"][0])[0] == ("困难", 1, 1.0)
    assert results.survey_results(cast.users.staff, survey)["responses"] == 2
    table = results.cross_tab(cast.users.chamber1, survey, question, "chamber")
    assert [(r.label, r.answered) for r in table.rows] == [("友谊路街道商会", 1)]
    headers, rows = results.answer_table(cast.users.chamber1, survey)
    assert [row[2] for row in rows] == ["天津友谊科技有限公司"]


def test_the_raw_answers_table_has_a_row_per_sheet_and_a_column_per_question(cast, data):
    headers, rows = results.answer_table(cast.users.staff, data["survey"])
    assert headers[:5] == ["序号", "答卷编号", "填写企业", "填写人", "提交时间"]
    assert headers[5:] == ["1. 融资是否困难", "2. 主要困难", "3. 营商环境满意度", "4. 用工人数", "5. 意见建议"]
    assert len(rows) == 4
    first = rows[0]
    assert first[2] == "天津友谊科技有限公司"
    assert first[5:] == ["困难", "融资；用工", 5, 10, "希望多办对接会"]
    assert rows[1][5:8] == ["困难", "融资", 3] and rows[1][8] == Decimal("25.50")
    assert rows[3][5:] == ["一般", "", 4, "", ""]


def test_the_queries_do_not_grow_with_the_answers(cast, data):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            results.survey_results(cast.users.staff, data["survey"])
            results.cross_tab(cast.users.staff, data["survey"], data["q"]["single"], "chamber")
            results.answer_table(cast.users.staff, data["survey"])
        return len(captured)

    queries()  # warm: the user's federations are read once and kept
    before = queries()
    q = data["q"]
    for n in range(6):
        enterprise = testing.make_enterprise(cast.district, chamber=cast.chamber1)
        testing.make_response(data["survey"], enterprise, answers={q["single"]: [n % 3], q["text"]: f"建议{n}"})
    assert queries() == before
