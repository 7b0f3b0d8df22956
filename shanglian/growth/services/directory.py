"""Writes of the 会员名录 (member directory): a member's own listing (listed or not, which fields it shows, its
products, introduction and website) and the federation's public switch.

- `save_own_listing`: an enterprise user, its enterprise a member in force (`selectors.listings.own_federation_id`,
  403 otherwise), edits its listing in that federation's directory (made on the first save). `shown_fields` must
  be keys of `models.DIRECTORY_FIELDS` (anything else: a Chinese refusal, nothing written). The row is locked,
  saved and audited in one transaction.
- `set_public`: an editor turns a federation's public directory page on or off (its own federation or one under
  it; 403 otherwise), audited.
- `ensure_listing`: the listing a new member gets (the application's approval): listed, showing `DEFAULT_SHOWN`,
  made once per federation and enterprise.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from shanglian.common.records import record_saved, snapshot

from ..models import DIRECTORY_FIELD_KEYS, DirectoryListing, DirectorySetting
from ..selectors import listings as selectors

# What a new member's entry shows until it chooses: its trade, products and street (no contact details).
DEFAULT_SHOWN = ["industry", "products", "street"]
BAD_FIELDS = "展示的字段无效，请从列表中选择。"


def ensure_listing(*, federation_id, enterprise, actor=None, products=""):
    """The enterprise's listing in the federation's directory, made (listed, `DEFAULT_SHOWN`, the products it
    declared) and audited when missing; an existing listing is left as its member chose."""
    listing, created = DirectoryListing.objects.get_or_create(
        federation_id=federation_id, enterprise=enterprise,
        defaults={"listed": True, "shown_fields": list(DEFAULT_SHOWN), "products": (products or "")[:300],
                  "updated_by": actor})
    if created and actor is not None:
        record_saved(actor=actor, obj=listing, before=None, detail={"by": "membership_application"})
    return listing


def save_own_listing(*, actor, listed, shown_fields, products="", intro="", website=""):
    """The enterprise user's own listing, created or changed; returns it."""
    federation_id = selectors.own_federation_id(actor)  # 403 for anyone but a member enterprise's user
    chosen = list(shown_fields or [])
    if any(key not in DIRECTORY_FIELD_KEYS for key in chosen):
        raise ValidationError({"shown_fields": BAD_FIELDS})
    chosen = [key for key in DIRECTORY_FIELD_KEYS if key in set(chosen)]  # the directory's order, once each
    with transaction.atomic():
        listing = (DirectoryListing.objects.select_for_update()
                   .filter(federation_id=federation_id, enterprise_id=actor.enterprise_id).first())
        before = snapshot(listing) if listing is not None else None
        if listing is None:
            listing = DirectoryListing(federation_id=federation_id, enterprise_id=actor.enterprise_id)
        listing.listed, listing.shown_fields = bool(listed), chosen
        listing.products, listing.intro, listing.website = products or "", intro or "", website or ""
        listing.updated_by = actor
        try:
            listing.full_clean(exclude=["federation", "enterprise", "updated_by"], validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        listing.save()
        record_saved(actor=actor, obj=listing, before=before)
    return listing


def set_public(*, actor, federation, enabled):
    """Turn the federation's public directory page on or off; returns the setting."""
    if not selectors.settable_federations(actor).filter(pk=federation.pk).exists():
        raise PermissionDenied(selectors.SETTING_REFUSAL)
    with transaction.atomic():
        setting = DirectorySetting.objects.select_for_update().filter(federation=federation).first()
        before = snapshot(setting) if setting is not None else None
        if setting is None:
            setting = DirectorySetting(federation=federation)
        setting.public_enabled, setting.updated_by = bool(enabled), actor
        setting.save()
        record_saved(actor=actor, obj=setting, before=before)
    return setting


__all__ = ["DEFAULT_SHOWN", "ensure_listing", "save_own_listing", "set_public"]
