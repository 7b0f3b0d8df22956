"""光彩公益 in /admin: the sysadmin looks campaigns, pairings, donations and proofs up (list and record pages, in
Chinese), changes none of them there (the services own every write), and no personal number nor stored file name is
shown."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian import testing
from shanglian.welfare.services.donations import save_donation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _models():
    return [model for model in admin.site._registry if model._meta.app_label == "welfare"]


def test_every_welfare_model_is_in_the_admin_read_only(cast, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    spring = testing.make_campaign(cast.district, name="春芽基金")
    testing.make_pairing(cast.ent1, testing.make_village(cast.district, name="东山村"))
    donation = save_donation(actor=cast.users.staff, files=[SimpleUploadedFile("转账凭证.pdf", PDF)], data={
        "donor_kind": "person", "donor": cast.person1, "donated_on": date(2025, 3, 1), "cash": Decimal("800"),
        "campaign": spring})
    stored = donation.proofs.get().stored_name
    client = login(cast.users.admin)
    assert {model.__name__ for model in _models()} == {"Campaign", "Pairing", "Donation", "DonationProof"}
    for model in _models():
        opts = model._meta
        listed = client.get(reverse(f"admin:welfare_{opts.model_name}_changelist"))
        assert listed.status_code == 200, opts.model_name
        first = model._default_manager.order_by("pk").first()
        page = client.get(reverse(f"admin:welfare_{opts.model_name}_change", args=[first.pk]))
        assert page.status_code == 200, opts.model_name
        html = page.content.decode() + listed.content.decode()
        assert 'name="_save"' not in html and cast.person1.id_number not in html and stored not in html
        assert client.get(reverse(f"admin:welfare_{opts.model_name}_add")).status_code == 403
        assert client.post(reverse(f"admin:welfare_{opts.model_name}_delete", args=[first.pk]),
                           {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=first.pk).exists()
    assert "王建国" in client.get(reverse("admin:welfare_donation_changelist")).content.decode()


def test_staff_cannot_open_the_admin(cast, login):
    assert login(cast.users.staff).get(reverse("admin:welfare_donation_changelist")).status_code == 403
