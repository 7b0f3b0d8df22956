"""Hostile ids to the policies' form and API filters: a 400 with a Chinese message, never a 500, and
nothing written (issue 18, finding 7)."""

import pytest
from django.urls import reverse

from shanglian.policies.models import Policy

from .test_views import form_data, media  # noqa: F401 — media is a fixture

HUGE_ID = "12345678901234567890"  # 20 digits: past every integer column


def test_a_twenty_digit_street_id_in_the_policy_form_is_a_400_in_chinese(cast, login):
    response = login(cast.users.staff).post(reverse("policies:create"), form_data(cast, streets=[HUGE_ID]))
    assert response.status_code == 400
    assert "街道" in response.content.decode()
    assert not Policy.objects.exists()


@pytest.mark.parametrize("param", ["department", "package", "benefit_type"])
@pytest.mark.parametrize("value", [HUGE_ID, "-1"])
def test_a_non_id_in_the_api_list_filters_is_a_400_in_chinese(cast, login, param, value):
    response = login(cast.users.staff).get("/api/v1/policies/", {param: value})
    assert response.status_code == 400
    assert "ID" in str(response.json()[param])
