"""Crafted Office files for the safe-open tests (issue 18.1), built with zipfile in the test: sheets
whose extent is out of proportion to their content, a zip bomb, billion-laughs XML."""

import io
import zipfile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE = "application/vnd.openxmlformats-officedocument"

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                    for i in range(1, 10))
          + ']>\n')


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def sheet_xml(cells, *, dimension=None, prolog='<?xml version="1.0" encoding="UTF-8"?>\n'):
    """cells: [(ref, text)] written as inline strings, one <row> per row number."""
    rows = {}
    for ref, text in cells:
        number = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(number, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
    body = "".join(f'<row r="{number}">{"".join(row)}</row>' for number, row in sorted(rows.items()))
    extent = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{prolog}<worksheet xmlns="{_MAIN}">{extent}<sheetData>{body}</sheetData></worksheet>'


def xlsx_bytes(cells=(), *, sheet=None, title="Sheet1", parts=None):
    """A minimal valid xlsx with one sheet of `cells` (or the given worksheet XML), plus `parts`."""
    return _zip({**(parts or {}),
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.spreadsheetml.worksheet+xml"/>'
            '</Types>'),
        "_rels/.rels": (f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
                            f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship '
                                       f'Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                                       '</Relationships>'),
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml(cells),
    })


def docx_bytes(document=None):
    """A minimal docx; `document` replaces word/document.xml."""
    body = document if document is not None else (
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:body><w:p><w:r><w:t>诉求材料</w:t></w:r></w:p></w:body></w:document>')
    return _zip({
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_OFFICE}.wordprocessingml.document.main+xml"/>'
            '</Types>'),
        "_rels/.rels": (f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                        f'Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": body,
    })


def laughing_docx():
    return docx_bytes(LAUGHS + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                      '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')


def laughing_xlsx():
    return xlsx_bytes(sheet=sheet_xml([("A1", "&lol9;")], prolog=LAUGHS))


def bomb_docx(megabytes=20):
    """A docx whose document.xml inflates to `megabytes` of spaces from well under 1 MB."""
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/padding.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()
