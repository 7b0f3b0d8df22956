"""The demo district's draw is pinned: the core district (the default size) and the members of a streamed
batch of firms are exactly what they were drawn as when these digests were taken — a refactoring of the
draw that changes a single member, date or number fails here (the demo's figures, screenshots and the
city databases built from it depend on it)."""

import hashlib
import random
from collections import Counter
from datetime import date

import pytest

from shanglian.demo.names import Names, SerialCodes, SerialNames
from shanglian.members import demo
from shanglian.members.models import Membership

CORE_FINGERPRINT = "8f940f868b02276fab9b77a6393e4da73c40c4d4dbe42fdf46a295e9098d9deb"
CORE_MEMBERS = "52c70175196ad2604d42cdfed7a675414eb6c398607550943a5b438f3d29ec41"
BATCH_MEMBERS_AND_CHAMBER_ROWS = "8afc20237657f0ebe7d090cd93ff5fcbf5042f51ca72f0bcf99c68d770962517"


def _digest(value):
    return hashlib.sha256(repr(value).encode()).hexdigest()


@pytest.fixture
def core_plan(db):
    return demo.generate()


def test_the_core_district_is_drawn_as_pinned(core_plan):
    assert _digest(core_plan.members) == CORE_MEMBERS
    assert core_plan.fingerprint() == CORE_FINGERPRINT


def test_a_streamed_batch_draws_its_members_as_pinned(core_plan):
    """The first batch of `stream` (800 firms), drawn as `stream` draws it, without writing it."""
    industries = demo._industry_table()
    sections = {row[0]: row[4] for row in industries}
    serial = (SerialNames(e.name for e in core_plan.enterprises), SerialCodes(e.uscc for e in core_plan.enterprises))
    rng = random.Random(f"{demo.DEMO_SEED}:extra:0")
    names = Names(rng)
    firms = [demo._enterprise(rng, names, industries, serial=serial) for _ in range(800)]
    persons = demo._persons(rng, names, firms)
    chamber_rows = demo._memberships(rng, core_plan.chambers, firms, persons, sections)
    members = demo._federation_members(rng, firms, persons, chamber_rows)
    demo._chamber_departure_reasons(rng, chamber_rows)

    assert _digest((members, chamber_rows)) == BATCH_MEMBERS_AND_CHAMBER_ROWS
    assert len(members) == 515
    assert Membership.Kind.GROUP not in {m.kind for m in members}  # the district's groups are the core's


def test_streamed_members_are_numbered_on_from_the_core_district(core_plan):
    sequence = Counter()
    demo._number_members(core_plan.members, sequence)
    last_2024 = sequence[2024]
    assert last_2024 == max(int(m.number[-4:]) for m in core_plan.members if m.joined.year == 2024)
    streamed = [demo.MemberPlan(kind=Membership.Kind.ENTERPRISE, enterprise=0, joined=date(2024, 6, 1))]
    demo._number_members(streamed, sequence)
    assert streamed[0].number == f"HX-2024-{last_2024 + 1:04d}"
