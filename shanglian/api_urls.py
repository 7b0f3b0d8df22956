"""/api/v1/: what a WeChat mini-program or the 12345 hotline integrates with (session auth for now)."""

from rest_framework.routers import DefaultRouter

from shanglian.members.api import EnterpriseViewSet, MembershipViewSet, PersonViewSet

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("persons", PersonViewSet, basename="person")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = router.urls
