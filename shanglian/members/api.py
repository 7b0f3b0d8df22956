"""REST API of the member registry: the same selectors (scope) and the same masking as the pages."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from shanglian.common.api import AuditedLookupMixin
from shanglian.common.masking import mask

from . import selectors
from .models import Enterprise, Membership, Person


class EnterpriseViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    class OutputSerializer(serializers.ModelSerializer):
        enterprise_type = serializers.CharField(source="enterprise_type.label")
        industry_name = serializers.CharField(source="industry.name")
        street = serializers.CharField(source="street.name", default="")
        contact_mobile = serializers.SerializerMethodField()

        class Meta:
            model = Enterprise
            ref_name = "Enterprise"
            fields = ["id", "name", "uscc", "enterprise_type", "industry", "industry_name", "size", "is_high_tech",
                      "street", "is_local", "founded", "employees", "registered_capital", "contact_name",
                      "contact_mobile"]

        @extend_schema_field(str)
        def get_contact_mobile(self, obj):
            return mask("mobile", obj.contact_mobile)

    serializer_class = OutputSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.enterprises_visible_to(self.request.user).order_by("id")


class PersonViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    class OutputSerializer(serializers.ModelSerializer):
        id_number = serializers.SerializerMethodField()
        mobile = serializers.SerializerMethodField()

        class Meta:
            model = Person
            ref_name = "Person"
            fields = ["id", "name", "gender", "birth_year", "id_number", "mobile", "is_new_generation"]

        @extend_schema_field(str)
        def get_id_number(self, obj):
            return mask("id_number", obj.id_number)

        @extend_schema_field(str)
        def get_mobile(self, obj):
            return mask("mobile", obj.mobile)

    serializer_class = OutputSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.persons_visible_to(self.request.user).order_by("id")


class MembershipViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    class OutputSerializer(serializers.ModelSerializer):
        name = serializers.CharField(source="subject_name")

        class Meta:
            model = Membership
            ref_name = "Membership"
            fields = ["id", "number", "kind", "name", "enterprise", "person", "group", "joined", "status",
                      "suspended_on", "left", "left_reason", "body_position"]

    serializer_class = OutputSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.memberships_visible_to(self.request.user).order_by("id")
