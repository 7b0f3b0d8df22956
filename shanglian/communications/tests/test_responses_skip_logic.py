"""The skip logic (`selectors.responses.visible_questions`), the one definition the answer form, the service and
the API use: a question with a condition shows only while its condition question shows and was answered with that
option; chains follow; keys may be ids or their strings (JSON)."""

from shanglian import testing
from shanglian.communications.selectors.responses import answer_rows, visible_questions


def chain(cast):
    """1 是否出口 (是/否) → 2 出口国家 (多选, shown when 1 is 是) → 3 受关税影响 (是/否, shown when 2 includes 美国)
    → 4 影响程度 (scale, shown when 3 is 是); 5 其他 (always)."""
    survey = testing.make_survey(cast.district, by=cast.users.staff, questions=[
        {"kind": "single", "text": "是否出口", "options": ["是", "否"]},
        {"kind": "multiple", "text": "出口国家", "options": ["日本", "美国", "欧盟"]},
        {"kind": "single", "text": "受关税影响", "options": ["是", "否"]},
        ("scale", "影响程度"),
        ("text", "其他"),
    ])
    q = list(survey.questions.order_by("order"))
    for child, parent, option in ((1, 0, 0), (2, 1, 1), (3, 2, 0)):
        q[child].show_if, q[child].show_if_option = q[parent], option
        q[child].save()
    return survey, q


def shown(q, values):
    return [q.index(x) + 1 for x in visible_questions(q, values)]


def test_questions_without_a_condition_always_show(cast):
    _, q = chain(cast)
    assert shown(q, {}) == [1, 5]


def test_a_condition_met_shows_the_question_and_the_chain_follows(cast):
    _, q = chain(cast)
    assert shown(q, {q[0].pk: [0]}) == [1, 2, 5]
    assert shown(q, {q[0].pk: [0], q[1].pk: [0, 1]}) == [1, 2, 3, 5]
    assert shown(q, {q[0].pk: [0], q[1].pk: [1], q[2].pk: [0]}) == [1, 2, 3, 4, 5]
    assert shown(q, {q[0].pk: [0], q[1].pk: [0, 2], q[2].pk: [0]}) == [1, 2, 5]  # 美国 not chosen


def test_a_hidden_condition_question_hides_its_dependants_whatever_they_were_answered(cast):
    _, q = chain(cast)
    assert shown(q, {q[0].pk: [1], q[1].pk: [1], q[2].pk: [0]}) == [1, 5]


def test_string_keys_and_positions_work_like_json(cast):
    _, q = chain(cast)
    assert shown(q, {str(q[0].pk): ["0"], str(q[1].pk): "1"}) == [1, 2, 3, 5]


def test_a_condition_on_a_later_or_missing_question_hides_the_question(cast):
    _, q = chain(cast)
    q[0].show_if, q[0].show_if_option = q[4], 0
    assert shown(q, {q[4].pk: [0]}) == [5]
    assert visible_questions(q[1:], {q[0].pk: [0]}) == [q[4]]  # 2's condition question not among them


def test_an_answer_sheet_reads_back_only_the_questions_it_showed(cast):
    survey, q = chain(cast)
    response = testing.make_response(survey, cast.ent1, by=cast.users.ent1,
                                     answers={q[0]: [0], q[1]: [0, 1], q[2]: [1], q[4]: "无"})
    rows = answer_rows(q, response)
    assert [(r["number"], r["text"]) for r in rows] == [(1, "是"), (2, "日本、美国"), (3, "否"), (5, "无")]
