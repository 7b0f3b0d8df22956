"""The API answers its errors in JSON and its schema documents them, so a client (and the schemathesis
run) meets no undocumented status or an HTML page under /api/."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from shanglian.common.api import COMMON_ERRORS

pytestmark = pytest.mark.django_db


def test_a_path_under_the_api_that_no_route_matches_answers_json_404(client, cast):
    client.force_login(cast.users.staff)
    answer = client.get("/api/v1/enterprises/-5/policies/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "未找到。"}
    assert answer["Cache-Control"] == "no-store"


def test_a_page_that_does_not_exist_still_answers_the_html_404(client, cast):
    client.force_login(cast.users.staff)
    answer = client.get("/members/no-such-page/")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")


def test_every_api_operation_documents_the_shared_error_answers():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [op for ops in schema["paths"].values() for op in ops.values() if isinstance(op, dict)]
    assert operations
    for operation in operations:
        for status_code in COMMON_ERRORS:
            answer = operation["responses"][status_code]
            assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "detail" in schema["components"]["schemas"]["Error"]["properties"]


def test_own_error_descriptions_of_an_operation_are_kept():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    dispatch = schema["paths"]["/api/v1/appeals/{id}/dispatch/"]["post"]
    assert dispatch["responses"]["409"]["description"].startswith("诉求当前状态不允许")
    assert dispatch["responses"]["404"]["description"] == "诉求不存在或不在您的数据范围内"
