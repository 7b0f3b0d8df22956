"""政治引领 in /admin: the sysadmin looks every record up (list and record pages, in Chinese), changes none of them
there (the services own every write), and no personal number is shown."""

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from shanglian.common.models import DictItem
from shanglian.engagement.models import Cultivation, PartyInstructor, PersonHonour
from shanglian.engagement.tests.test_statistics import build_dataset

pytestmark = pytest.mark.django_db


def _models():
    return [model for model in admin.site._registry if model._meta.app_label == "engagement"]


def test_every_engagement_model_is_in_the_admin_read_only(cast, login):
    build_dataset(cast)
    PersonHonour.objects.create(federation=cast.district, person=cast.person1, title="天津市劳动模范", year=2024)
    Cultivation.objects.create(federation=cast.district, person=cast.person1, start=date(2025, 3, 1),
                               plan=DictItem.objects.get(kind="cultivation_plan", code="outstanding_youth"))
    PartyInstructor.objects.create(federation=cast.district, name="周指导员", chamber=cast.chamber2,
                                   start=date(2025, 3, 1))
    client = login(cast.users.admin)
    assert {model.__name__ for model in _models()} == {
        "Arrangement", "PersonHonour", "Cultivation", "Proposal", "ProposalLog", "Liaison", "Visit", "VisitAppeal",
        "PartyOrganisation", "EnterpriseParty", "PartyInstructor", "PartyActivity"} - {"ProposalLog"}
    id_number, mobile = cast.person1.id_number, cast.person1.mobile
    for model in _models():
        opts = model._meta
        listed = client.get(reverse(f"admin:engagement_{opts.model_name}_changelist"))
        assert listed.status_code == 200, opts.model_name
        first = model._default_manager.order_by("pk").first()
        assert first is not None, opts.model_name
        page = client.get(reverse(f"admin:engagement_{opts.model_name}_change", args=[first.pk]))
        assert page.status_code == 200, opts.model_name
        html = page.content.decode()
        assert 'name="_save"' not in html and id_number not in html and mobile not in html
        assert client.get(reverse(f"admin:engagement_{opts.model_name}_add")).status_code == 403
        assert client.post(reverse(f"admin:engagement_{opts.model_name}_delete", args=[first.pk]),
                           {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=first.pk).exists()


def test_staff_cannot_open_the_admin(cast, login):
    assert login(cast.users.staff).get(reverse("admin:engagement_proposal_changelist")).status_code == 403
