"""/api/v1/: what a WeChat mini-program or the 12345 hotline integrates with (token or session auth)."""

from rest_framework.routers import DefaultRouter

from shanglian.appeals.api import AppealViewSet
from shanglian.communications.api import (
    ArticleViewSet,
    InboxViewSet,
    MySurveyViewSet,
    NoticeViewSet,
    PartnerViewSet,
    ReportViewSet,
    ResponseViewSet,
    RuleViewSet,
    SurveyViewSet,
)
from shanglian.engagement.api.liaison import VisitViewSet
from shanglian.engagement.api.proposals import ProposalViewSet
from shanglian.engagement.api.representatives import RepresentativeViewSet
from shanglian.events.api import EventViewSet, MyInvitationViewSet
from shanglian.growth.api import (
    ApplicationViewSet,
    DirectoryViewSet,
    EnrollmentViewSet,
    GroupViewSet,
    OutcomeViewSet,
    PostViewSet,
    ProspectViewSet,
)
from shanglian.honours.api import AssessmentViewSet, HonourListViewSet, ProgrammeViewSet
from shanglian.members.api import EnterpriseViewSet, MembershipViewSet, PersonViewSet
from shanglian.policies.api import EnterprisePolicyViewSet, PolicyViewSet
from shanglian.reports.api import FigureViewSet
from shanglian.welfare.api import CampaignViewSet, DonationViewSet, PairingViewSet

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("persons", PersonViewSet, basename="person")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("policies", PolicyViewSet, basename="policy")
router.register(r"enterprises/(?P<enterprise_id>\d+)/policies", EnterprisePolicyViewSet, basename="enterprise-policy")
router.register("events", EventViewSet, basename="event")
router.register("my-invitations", MyInvitationViewSet, basename="my-invitation")
router.register("engagement/proposals", ProposalViewSet, basename="engagement-proposal")
router.register("engagement/visits", VisitViewSet, basename="engagement-visit")
router.register("engagement/representatives", RepresentativeViewSet, basename="engagement-representative")
router.register("welfare/donations", DonationViewSet, basename="welfare-donation")
router.register("welfare/campaigns", CampaignViewSet, basename="welfare-campaign")
router.register("welfare/pairings", PairingViewSet, basename="welfare-pairing")
router.register("honours/programmes", ProgrammeViewSet, basename="honours-programme")
router.register("honours/lists", HonourListViewSet, basename="honours-list")
router.register("honours/assessments", AssessmentViewSet, basename="honours-assessment")
router.register("growth/prospects", ProspectViewSet, basename="growth-prospect")
router.register("growth/applications", ApplicationViewSet, basename="growth-application")
router.register("growth/enrollments", EnrollmentViewSet, basename="growth-enrollment")
router.register("growth/directory", DirectoryViewSet, basename="growth-directory")
router.register("growth/posts", PostViewSet, basename="growth-post")
router.register("growth/outcomes", OutcomeViewSet, basename="growth-outcome")
router.register("growth/groups", GroupViewSet, basename="growth-group")
router.register("communications/notices", NoticeViewSet, basename="communications-notice")
router.register("communications/surveys", SurveyViewSet, basename="communications-survey")
router.register("communications/responses", ResponseViewSet, basename="communications-response")
router.register("communications/reports", ReportViewSet, basename="communications-report")
router.register("communications/articles", ArticleViewSet, basename="communications-article")
router.register("communications/rules", RuleViewSet, basename="communications-rule")
router.register("communications/partners", PartnerViewSet, basename="communications-partner")
router.register("communications/inbox", InboxViewSet, basename="communications-inbox")
router.register("communications/my-surveys", MySurveyViewSet, basename="communications-my-survey")
router.register("reports/figures", FigureViewSet, basename="reports-figure")

urlpatterns = router.urls
