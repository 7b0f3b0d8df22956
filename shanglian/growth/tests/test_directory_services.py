"""会员名录 writes and the one projection: a member's listing keeps only known field keys in the directory's order;
an unknown key is refused with nothing written; the projection (`selectors.directory.entry_dict`, shared with the
API) leaves a hidden key absent; a new member's listing shows the defaults; the public switch is an editor's, of
its own federations only, audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.growth.models import DirectoryListing, DirectorySetting
from shanglian.growth.selectors import listings as selectors
from shanglian.growth.selectors.directory import entry_dict
from shanglian.growth.services import directory as services


def test_the_projection_leaves_hidden_keys_absent(cast):
    cast.ent1.address = "秘密路1号"
    cast.ent1.save()
    listing = testing.make_listing(cast.ent1, shown=("products", "website"), products="传感器",
                                   website="https://example.com")
    data = entry_dict(listing)
    assert data == {"id": listing.pk, "name": cast.ent1.name, "products": "传感器", "website": "https://example.com"}
    assert "秘密路1号" not in repr(data) and cast.ent1.contact_mobile not in repr(data)


def test_the_member_saves_its_choice_in_the_directorys_order_once_each(cast):
    listing = services.save_own_listing(actor=cast.users.ent1, listed=True,
                                        shown_fields=["products", "industry", "products"], products="电子")
    assert listing.shown_fields == ["industry", "products"] and listing.updated_by == cast.users.ent1
    assert AuditEvent.objects.filter(action="create", object_type="growth.directorylisting").exists()


def test_an_unknown_field_key_is_refused_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as refused:
        services.save_own_listing(actor=cast.users.ent1, listed=True, shown_fields=["uscc"])
    assert refused.value.message_dict["shown_fields"] == ["展示的字段无效，请从列表中选择。"]
    assert not DirectoryListing.objects.exists()


@pytest.mark.parametrize("role", ["staff", "chamber1", "leader"])
def test_only_the_members_own_user_saves_its_listing(cast, role):
    with pytest.raises(PermissionDenied):
        services.save_own_listing(actor=getattr(cast.users, role), listed=True, shown_fields=["industry"])


def test_a_lapsed_member_may_not_save_and_its_entry_leaves_the_directory(cast):
    testing.make_listing(cast.ent2)
    cast.memberships.ent2.left = date(2021, 1, 1)
    cast.memberships.ent2.save()
    user = testing.make_user(Role.ENTERPRISE, enterprise=cast.ent2)
    with pytest.raises(PermissionDenied):
        services.save_own_listing(actor=user, listed=True, shown_fields=["industry"])
    assert cast.ent2.name not in {item.enterprise.name for item in selectors.directory_list(cast.users.staff)}


def test_ensure_listing_makes_the_default_once(cast):
    first = services.ensure_listing(federation_id=cast.district.pk, enterprise=cast.ent1, actor=cast.users.staff)
    again = services.ensure_listing(federation_id=cast.district.pk, enterprise=cast.ent1)
    assert first.pk == again.pk and first.listed and first.shown_fields == services.DEFAULT_SHOWN


def test_the_public_switch_is_an_editors_of_its_own_federations(cast):
    setting = services.set_public(actor=cast.users.staff, federation=cast.district, enabled=True)
    assert setting.public_enabled and selectors.public_federation(cast.district.pk) == cast.district
    with pytest.raises(PermissionDenied):
        services.set_public(actor=cast.users.outsider_staff, federation=cast.district, enabled=False)
    with pytest.raises(PermissionDenied):
        services.set_public(actor=cast.users.leader, federation=cast.district, enabled=False)
    assert DirectorySetting.objects.get(federation=cast.district).public_enabled
    services.set_public(actor=cast.users.staff, federation=cast.district, enabled=False)
    assert selectors.public_federation(cast.district.pk) is None
    assert AuditEvent.objects.filter(object_type="growth.directorysetting", action="update").exists()
