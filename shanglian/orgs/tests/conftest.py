"""Besides the cast: one committee, village and term with a position in the district (河西区), and
the same in the other district (南开区), whose records a district user must never reach."""

from datetime import date
from types import SimpleNamespace

import pytest

from shanglian import testing
from shanglian.orgs.models import Committee, Position, Term, Village


@pytest.fixture
def org(cast):
    def build(federation, person, label):
        committee = Committee.objects.create(federation=federation, name=f"{label}经济发展委员会", order=1)
        village = Village.objects.create(federation=federation, name=f"{label}王庄村", county="宁河区",
                                         region_code="120221101200")
        term = Term.objects.create(federation=federation, number=8, start=date(2022, 1, 1), end=date(2026, 12, 31))
        position = Position.objects.create(term=term, person=person, title=Position.Title.VICE_CHAIRMAN,
                                           committee=committee, start=date(2022, 1, 1))
        return committee, village, term, position

    committee, village, term, position = build(cast.district, cast.person1, "河西")
    other_person = testing.make_person(cast.other, name="南开人")
    o_committee, o_village, o_term, o_position = build(cast.other, other_person, "南开")
    other_street = testing.make_street(cast.other, name="南开某街道")
    return SimpleNamespace(committee=committee, village=village, term=term, position=position,
                           other=SimpleNamespace(committee=o_committee, village=o_village, term=o_term,
                                                 position=o_position, street=other_street,
                                                 chamber=testing.make_chamber(cast.other, name="南开区某商会"),
                                                 department=testing.make_department(cast.other, name="南开税务")))
