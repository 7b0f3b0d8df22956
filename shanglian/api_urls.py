"""/api/v1/: what a WeChat mini-program or the 12345 hotline integrates with (token or session auth)."""

from rest_framework.routers import DefaultRouter

from shanglian.appeals.api import AppealViewSet
from shanglian.members.api import EnterpriseViewSet, MembershipViewSet, PersonViewSet

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("persons", PersonViewSet, basename="person")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("appeals", AppealViewSet, basename="appeal")

urlpatterns = router.urls
