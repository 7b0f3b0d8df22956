"""The templates as text: what Django would print on the page instead of reading."""

from pathlib import Path

import shanglian

ROOT = Path(shanglian.__file__).parent


def test_no_one_line_template_comment_spans_two_lines():
    """`{# … #}` ends on its own line; one that runs on is printed on the page as text (it was, under every
    record's 变更记录). A longer note is a {% comment %} block."""
    opened = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = line
            while "{#" in rest:
                rest = rest.split("{#", 1)[1]
                if "#}" not in rest:
                    opened.append(f"{path.relative_to(ROOT)}:{number}")
                    break
                rest = rest.split("#}", 1)[1]
    assert opened == []
    assert len(list(ROOT.rglob("templates/**/*.html"))) > 50  # the templates were read
