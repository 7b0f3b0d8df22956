"""光彩公益 in /admin: for the sysadmin to look records up. Campaigns, pairings, donations and their proofs change only
through the pages and services (scoped, checked — amounts, donors in scope, certificate numbers — and audited); here
they are read-only. A person donor appears by name (ID numbers and mobiles stay on the person, masked in its admin);
a proof is listed by its file name, never served from here (the donation's page downloads it after the scope
check)."""

from django.contrib import admin

from shanglian.audit.admin_mixins import ReadOnlyAdmin, ReadOnlyInline

from .models import Campaign, Donation, DonationProof, Pairing


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "chamber", "start", "end", "target_amount", "federation"]
    list_filter = ["kind", "federation"]
    search_fields = ["name", "chamber__name"]
    list_select_related = ["kind", "chamber", "federation"]
    date_hierarchy = "start"


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ["village", "partner_name", "kind", "start", "end", "committed_amount", "delivered_amount",
                    "federation"]
    list_filter = ["kind", "federation"]
    search_fields = ["village__name", "enterprise__name", "chamber__name"]
    list_select_related = ["village", "enterprise", "chamber", "federation"]
    date_hierarchy = "start"

    @admin.display(description="帮扶方")
    def partner_name(self, obj):
        return str(obj.partner or "")


class DonationProofInline(ReadOnlyInline):
    model = DonationProof
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["number", "donated_on", "donor_kind", "donor_name", "cash", "goods_value", "campaign", "chamber",
                    "federation"]
    list_filter = ["donor_kind", "campaign", "federation"]
    search_fields = ["number", "donor_enterprise__name", "donor_person__name", "donor_chamber__name",
                     "receipt_number"]
    list_select_related = ["donor_enterprise", "donor_person", "donor_chamber", "campaign", "chamber", "federation"]
    date_hierarchy = "donated_on"
    inlines = [DonationProofInline]

    @admin.display(description="捐赠方")
    def donor_name(self, obj):
        return str(obj.donor or "")


@admin.register(DonationProof)
class DonationProofAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "donation", "content_type", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "donation__number"]
    list_select_related = ["donation", "uploaded_by"]
    exclude = ["stored_name", "sha256"]
