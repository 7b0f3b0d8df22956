"""A district of any size: serial names and USCCs unique at a million firms (without a database), and a
small district built partly streamed is coherent — counts in the core's shares, every appeal of a firm of
the district over the years asked for, timelines that end in the appeal's status."""

import random
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from shanglian.appeals.models import OPEN_STATES, Appeal, Assignment, Status
from shanglian.common.models import NumberSequence
from shanglian.common.validators import validate_uscc
from shanglian.demo import registry
from shanglian.demo.names import SerialCodes, SerialNames
from shanglian.members import demo as members_demo
from shanglian.members.models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person
from shanglian.policies.models import PolicyDelivery

MILLION = 1_000_000


def test_a_million_serial_names_and_uscc_are_unique_and_valid():
    # The old generator drew names at random and gave up near 46,000 firms.
    core = ["天津鑫华科技有限公司", "天津市河西区鑫华餐厅"]
    names, codes = SerialNames(taken=core), SerialCodes(taken=["91120103MA05L0JX2B"])
    rng = random.Random(1)
    drawn = [members_demo._serial_name(rng, names, type_code=rng.choice(("private", "individual", "private", "hmt")),
                                       size=rng.choice(("micro", "small", "medium", "large")), prefix="天津",
                                       words=("科技", "商贸", "餐饮", "建筑工程", "信息技术"))
             for _ in range(MILLION)]
    uscc = [codes.uscc("120103", entity_type="2" if i % 5 == 0 else "1") for i in range(MILLION)]
    assert len(set(drawn)) == MILLION and not set(drawn) & set(core)
    assert len(set(uscc)) == MILLION
    for code in uscc[::997]:  # the project's own validator (check characters of GB 11714 and GB 32100)
        validate_uscc(code)
    assert all(len(code) == 18 for code in uscc)
    assert names.claim("天津鑫华科技有限公司") is False  # the core district's names stay taken


def test_the_serial_codes_skip_those_of_the_core_district():
    first = SerialCodes().uscc("120103")
    again = SerialCodes(taken=[first]).uscc("120103")
    assert again != first and again[8:16] != first[8:16]


@pytest.fixture
def streamed_district(db, settings, monkeypatch):
    """300 firms over two years: the first 150 the core district, 150 streamed in two batches."""
    settings.DEMO = True
    monkeypatch.setattr(registry, "CORE_ENTERPRISES", 150)
    out = StringIO()
    call_command("seed_demo", enterprises=300, years=2, batch=100, stdout=out)
    return out.getvalue()


def test_a_partly_streamed_district_is_coherent(streamed_district):
    assert "内存峰值" in streamed_district and "行/秒" in streamed_district  # progress is printed
    # The district streamed (the reports demo adds a small second one under the city, built in full, after it),
    # without the firms registered twice.
    enterprises = Enterprise.objects.filter(federation__region_code="120103").exclude(pk__in=members_demo.twins()[0])
    district = enterprises.values_list("federation", flat=True).distinct().get()
    assert enterprises.count() == 300
    assert len(set(enterprises.values_list("name", flat=True))) == 300
    for code in enterprises.values_list("uscc", flat=True):
        validate_uscc(code)
    streamed = enterprises.order_by("pk")[150:]
    first_streamed = streamed[0].pk
    # The streamed half in the core's shares: ~2 persons per 3 firms, ~70 % in a chamber, ~23 % members.
    persons = Person.objects.filter(enterprise_roles__enterprise_id__gte=first_streamed, federation=district)
    persons = persons.distinct().count()
    assert 80 <= persons <= 120
    in_chamber = (ChamberMembership.objects.filter(enterprise_id__gte=first_streamed, enterprise__federation=district)
                  .values("enterprise").distinct())
    assert 90 <= in_chamber.count() <= 125
    members = Membership.objects.filter(enterprise_id__gte=first_streamed, federation=district)
    assert 25 <= members.count() <= 45
    assert not Membership.objects.values("number").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert EnterpriseRole.objects.filter(enterprise_id__gte=first_streamed, enterprise__federation=district).count() \
        >= persons
    assert PolicyDelivery.objects.filter(enterprise_id__gte=first_streamed).exists()

    appeals = (Appeal.objects.filter(federation=district).select_related("enterprise")
               .prefetch_related("timeline", "assignments"))
    streamed_appeals = appeals.filter(enterprise_id__gte=first_streamed)
    # 0.85 a firm and year (the default district's rate: 300 firms is not larger than the default).
    assert 200 <= streamed_appeals.count() <= 300
    today = timezone.localdate()
    days = [timezone.localtime(a.submitted_at).date() for a in appeals]
    assert min(days) >= today - timedelta(days=731) and max(days) <= today
    assert sum(day < today - timedelta(days=365) for day in days) > 150  # the first of the two years too
    assert Counter(a.number for a in appeals).most_common(1)[0][1] == 1
    sequences = dict(NumberSequence.objects.filter(key__startswith="SQ").values_list("key", "last"))
    for appeal in appeals:
        assert appeal.enterprise.federation_id == appeal.federation_id == district
        assert int(appeal.number[10:]) <= sequences[appeal.number[:10]]
        steps = list(appeal.timeline.all())
        assert steps[0].action == "submit" and steps[-1].to_status == appeal.status, appeal.number
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status and after.at >= before.at, appeal.number
        current = {a.state for a in appeal.assignments.all() if a.round == appeal.reopen_count
                   and a.state != Assignment.State.RETURNED}
        if appeal.status in (Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED):
            assert not current
        if appeal.status == Status.ASSIGNED:
            assert current == {Assignment.State.ASSIGNED}
        if appeal.status in (Status.REPLIED, Status.CLOSED) and appeal.first_dispatched_at:
            assert current == {Assignment.State.REPLIED}
        assert (appeal.closed_at is None) == (appeal.status not in (Status.CLOSED, Status.REJECTED))
        assert appeal.reopen_count == sum(step.action == "reopen" for step in steps)
    # Statuses spread like the default district's: most closed, a few open and overdue, some rated.
    closed = streamed_appeals.filter(status=Status.CLOSED).count()
    assert closed / streamed_appeals.count() > 0.75
    assert streamed_appeals.filter(status__in=OPEN_STATES).exists()
    assert streamed_appeals.filter(~Q(rating="")).count() / streamed_appeals.count() > 0.7
