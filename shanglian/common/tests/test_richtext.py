from shanglian.common.richtext import clean_html, plain_text


def test_script_and_event_handlers_are_removed():
    cleaned = clean_html('<p onclick="x()">通知<script>alert(1)</script></p><img src=x onerror=alert(1)>')
    assert cleaned == "<p>通知</p>"


def test_javascript_links_lose_their_href_and_others_get_rel():
    assert 'href' not in clean_html('<a href="javascript:alert(1)">点此</a>')
    assert clean_html('<a href="https://example.cn/a">原文</a>') == (
        '<a href="https://example.cn/a" rel="noopener noreferrer">原文</a>')


def test_allowed_formatting_is_kept():
    html = "<h3>一、会议安排</h3><ul><li><strong>时间</strong></li></ul><table><tbody><tr><td>1</td></tr></tbody></table>"
    assert clean_html(html) == html


def test_plain_text_becomes_paragraphs_escaped():
    assert clean_html("第一段\n第二行\n\n第二段 a<b") == "<p>第一段<br>第二行</p><p>第二段 a&lt;b</p>"


def test_empty_input_stays_empty():
    assert clean_html("   ") == ""


def test_plain_text_strips_tags_and_cuts():
    assert plain_text("<p>关于召开<strong>执委会</strong>的通知</p>", limit=6) == "关于召开执…"
