"""Who may open and use the organisation's pages: editors (staff, sysadmin) of the federation write;
leaders read without buttons and get 403 on every write page; a chamber secretary edits its own
chamber's profile only (another chamber is 404, creating and deleting chambers 403); other roles 403;
a user of another federation guessing ids gets 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shanglian.audit.models import AuditEvent
from shanglian.orgs import services
from shanglian.orgs.forms import ChamberForm, CommitteeForm
from shanglian.orgs.models import Chamber, Committee

USERS = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
EDITORS = {"admin": 200, "staff": 200}
ONLY_EDITORS = {**dict.fromkeys(USERS, 403), **EDITORS, "outsider_staff": 404}

# page, the object (cast or org attribute; None: no argument), status per user
PAGES = [
    # the write pages
    ("orgs:chamber_create", None, {**dict.fromkeys(USERS, 403), **EDITORS, "outsider_staff": 200}),
    ("orgs:chamber_edit", "chamber1", {**ONLY_EDITORS, "chamber1": 200, "chamber2": 404}),
    ("orgs:chamber_edit", "chamber2", {**ONLY_EDITORS, "chamber1": 404, "chamber2": 200}),
    ("orgs:chamber_delete", "chamber1", ONLY_EDITORS),
    *[(f"orgs:{kind}_create", None, {**dict.fromkeys(USERS, 403), **EDITORS, "outsider_staff": 200})
      for kind in ("committee", "department", "street", "village", "term")],
    *[(f"orgs:{kind}_{page}", target, ONLY_EDITORS)
      for kind, target in (("committee", "committee"), ("department", "dept1"), ("street", "street"),
                           ("village", "village"), ("term", "term"))
      for page in ("edit", "delete")],
    ("orgs:position_create", "term", ONLY_EDITORS),
    ("orgs:position_edit", "position", ONLY_EDITORS),
    ("orgs:position_delete", "position", ONLY_EDITORS),
    # the read pages
    ("orgs:chamber_members", "chamber1", {**dict.fromkeys(USERS, 403), "admin": 200, "staff": 200, "leader": 200,
                                          "chamber1": 200, "chamber2": 404, "outsider_staff": 404}),
    *[(f"orgs:{kind}_list", None, {**dict.fromkeys(USERS, 403), "admin": 200, "staff": 200, "leader": 200,
                                   "outsider_staff": 200}) for kind in ("street", "village")],
    ("orgs:term_list", None, {**dict.fromkeys(USERS, 403), "admin": 200, "staff": 200, "leader": 200,
                              "chamber1": 200, "chamber2": 200, "outsider_staff": 200}),
    *[(f"orgs:{kind}_detail", target, {**dict.fromkeys(USERS, 403), "admin": 200, "staff": 200, "leader": 200,
                                       "outsider_staff": 404})
      for kind, target in (("committee", "committee"), ("street", "street"), ("village", "village"))],
    # a chamber secretary reads its own chamber's terms, not the federation's
    ("orgs:term_detail", "term", {**dict.fromkeys(USERS, 403), "admin": 200, "staff": 200, "leader": 200,
                                  "chamber1": 404, "chamber2": 404, "outsider_staff": 404}),
]
CASES = [(page, target, user, expected[user]) for page, target, expected in PAGES for user in USERS]


def _target(cast, org, name):
    return getattr(cast, name, None) or getattr(org, name)


@pytest.mark.parametrize(("page", "target", "user", "expected"), CASES,
                         ids=[f"{p}[{t or '-'}]-{u}-{e}" for p, t, u, e in CASES])
def test_user_gets_expected_status_on_page(cast, org, login, page, target, user, expected):
    args = [_target(cast, org, target).pk] if target else None
    assert login(getattr(cast.users, user)).get(reverse(page, args=args)).status_code == expected


@pytest.mark.parametrize("page", ["orgs:committee_edit", "orgs:village_delete", "orgs:term_edit",
                                  "orgs:position_edit"])
def test_staff_guessing_ids_of_another_federation_gets_404_and_a_denial_row(cast, org, login, page):
    target = getattr(org.other, page.split(":")[1].split("_")[0])
    assert login(cast.users.staff).get(reverse(page, args=[target.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id=str(target.pk)).exists()


def test_readers_see_no_buttons_and_editors_do(cast, org, login):
    for url in (reverse("orgs:chamber_detail", args=[cast.chamber1.pk]), org.term.get_absolute_url(),
                org.committee.get_absolute_url(), org.village.get_absolute_url(), cast.street.get_absolute_url(),
                reverse("orgs:department_detail", args=[cast.dept1.pk])):
        leader_page = login(cast.users.leader).get(url).content.decode()
        assert "/edit/" not in leader_page and "/delete/" not in leader_page, url
        staff_page = login(cast.users.staff).get(url).content.decode()
        assert "/edit/" in staff_page and "/delete/" in staff_page, url
    for url in (reverse("orgs:village_list"), reverse("orgs:term_list"), reverse("orgs:street_list")):
        assert "/new/" not in login(cast.users.leader).get(url).content.decode()
        assert "/new/" in login(cast.users.staff).get(url).content.decode()


def test_a_leaders_posts_change_nothing(cast, org, login):
    client = login(cast.users.leader)
    assert client.post(reverse("orgs:committee_create"), {"name": "新委员会", "order": "1"}).status_code == 403
    assert client.post(reverse("orgs:committee_delete", args=[org.committee.pk])).status_code == 403
    assert client.post(reverse("orgs:chamber_edit", args=[cast.chamber1.pk]),
                       {"name": "改名商会", "kind": "street", "status": "active"}).status_code == 403
    assert not Committee.objects.filter(name="新委员会").exists() and Committee.objects.filter(pk=org.committee.pk)
    assert Chamber.objects.get(pk=cast.chamber1.pk).name == "友谊路街道商会"


def test_staff_of_another_federation_cannot_change_a_record_by_posting(cast, org, login):
    client = login(cast.users.outsider_staff)
    response = client.post(reverse("orgs:committee_edit", args=[org.committee.pk]), {"name": "被改名", "order": "1"})
    assert response.status_code == 404 and Committee.objects.get(pk=org.committee.pk).name == "河西经济发展委员会"
    assert client.post(reverse("orgs:village_delete", args=[org.village.pk])).status_code == 404
    assert type(org.village).objects.filter(pk=org.village.pk).exists()


# --- the chamber secretary and its own chamber ---------------------------------------------------------------
def test_chamber_secretary_edits_own_chamber_profile_and_the_change_is_audited(cast, login):
    client = login(cast.users.chamber1)
    page = client.get(reverse("orgs:chamber_detail", args=[cast.chamber1.pk])).content.decode()
    assert reverse("orgs:chamber_edit", args=[cast.chamber1.pk]) in page
    assert reverse("orgs:chamber_delete", args=[cast.chamber1.pk]) not in page
    form = client.get(reverse("orgs:chamber_edit", args=[cast.chamber1.pk])).context["form"]
    assert "name" not in form.fields and "status" not in form.fields and "phone" in form.fields
    response = client.post(reverse("orgs:chamber_edit", args=[cast.chamber1.pk]), {
        "name": "改名商会", "status": "dissolved", "secretary_general": "李秘书", "phone": "022-88886666",
        "address": "友谊路 35 号"})
    assert response.status_code == 302
    chamber = Chamber.objects.get(pk=cast.chamber1.pk)
    assert chamber.phone == "022-88886666" and chamber.name == "友谊路街道商会" and chamber.status == "active"
    event = AuditEvent.objects.get(action="update", object_type="orgs.chamber")
    assert event.username == "chamber1" and {c["field"] for c in event.detail["changes"]} == {"联系电话", "办公地址"}


def test_chamber_secretary_cannot_edit_another_chamber(cast, login):
    client = login(cast.users.chamber1)
    response = client.post(reverse("orgs:chamber_edit", args=[cast.chamber2.pk]), {"phone": "022-11112222"})
    assert response.status_code == 404
    assert Chamber.objects.get(pk=cast.chamber2.pk).phone == ""


def test_chamber_secretary_cannot_create_or_delete_chambers(cast, login):
    client = login(cast.users.chamber1)
    assert client.post(reverse("orgs:chamber_create"), {"name": "新商会", "kind": "street",
                                                        "status": "active"}).status_code == 403
    assert client.post(reverse("orgs:chamber_delete", args=[cast.chamber1.pk])).status_code == 403
    assert Chamber.objects.filter(pk=cast.chamber1.pk).exists() and not Chamber.objects.filter(name="新商会")


def test_the_service_refuses_a_chamber_secretary_the_federations_fields(cast):
    form = ChamberForm({"name": "改名商会", "kind": "street", "status": "active"}, instance=cast.chamber1,
                       user=cast.users.staff)
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        services.save_chamber(actor=cast.users.chamber1, form=form)
    assert Chamber.objects.get(pk=cast.chamber1.pk).name == "友谊路街道商会"


def test_the_service_refuses_readers_even_with_a_valid_form(cast):
    form = CommitteeForm({"name": "新委员会", "order": "1"}, user=cast.users.staff)
    assert form.is_valid()
    for user in (cast.users.leader, cast.users.chamber1, cast.users.dept1):
        with pytest.raises(PermissionDenied):
            services.save_committee(actor=user, form=form)
    with pytest.raises(PermissionDenied):  # a district record, saved by another district's staff
        services.save_committee(actor=cast.users.outsider_staff, form=form)
    assert not Committee.objects.filter(name="新委员会").exists()
