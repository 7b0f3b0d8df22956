"""Rich text (通知公告's 正文): whatever a user typed or pasted, kept only as an allow-list of tags and attributes
(OWASP ASVS 5.2.1 — sanitised with nh3 when saved, so the stored text is already safe to render with `|safe`).

Plain text with no tag at all (typed into the textarea) becomes paragraphs, one per blank-line-separated block, the
single line breaks kept as <br>."""

import re

import nh3
from django.utils.html import escape

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "table",
        "thead", "tbody", "tr", "th", "td", "hr", "span"}
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def clean_html(value):
    """The sanitised HTML of `value` (a link gets rel="noopener noreferrer"; script, style, event handlers,
    javascript: URLs and every tag outside `TAGS` are dropped, their text kept unless it is a script or style)."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        blocks = [b.strip() for b in re.split(r"\n\s*\n", value.replace("\r\n", "\n")) if b.strip()]
        value = "".join(f"<p>{escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)
    return nh3.clean(value, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def plain_text(value, limit=None):
    """The text of sanitised HTML without its tags (an inbox preview, an SMS, an export column)."""
    text = nh3.clean(value or "", tags=set())
    text = re.sub(r"\s+", " ", text.replace("&nbsp;", " ")).strip()
    if limit and len(text) > limit:
        return text[: limit - 1] + "…"
    return text
