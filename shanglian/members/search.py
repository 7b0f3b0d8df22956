"""The `?q=` search of the member registry lists through indexes (common/fulltext.py), with exactly the rows
of the LIKE definitions they replace:

    enterprise_q(connection, text)   Q(name__icontains=q) | Q(name_initials__icontains=q.lower()) | Q(uscc__iexact=q)
    membership_q(connection, text)   the enterprise's name/initials/USCC as above, the person's name/initials,
                                     the group's (chamber's) name, or number__iexact=q
    enterprise_name_ids(connection, text)   the enterprises whose name contains `text` (the appeal search)

Names and pinyin initials (plain columns; no encrypted column is searched): SQLite an FTS5 trigram table per
table (`members_enterprise_fts`, `members_person_fts` over name and name_initials), PostgreSQL the bigram
column `search_bigrams` with its GIN index (candidates checked with LIKE). A word with a cased letter
outside ASCII is matched with LIKE (FTS5 folds its case, LIKE does not); a word with ASCII letters is checked
with LIKE on the index's candidates. The USCC and the member number (iexact) through indexes on UPPER(column):
UPPER folds ASCII only on SQLite, as LIKE does, and is what iexact compares on PostgreSQL. The chambers are
few: their names with LIKE. Each part is read through its index and the parts are one `id IN (… UNION ALL …)`
(an OR over six joined columns is tested on every membership of the scope).
"""

from django.db.models import Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from shanglian.common.fulltext import BigramIndex, TrigramIndex, containing_ids
from shanglian.orgs.models import Chamber

from .models import Enterprise, Membership, Person

ENTERPRISE_SQLITE = TrigramIndex("members_enterprise", ("name", "name_initials"))
ENTERPRISE_POSTGRES = BigramIndex("members_enterprise", ("name", "name_initials"))
PERSON_SQLITE = TrigramIndex("members_person", ("name", "name_initials"))
PERSON_POSTGRES = BigramIndex("members_person", ("name", "name_initials"))
INDEXES = {"sqlite": (ENTERPRISE_SQLITE, PERSON_SQLITE), "postgresql": (ENTERPRISE_POSTGRES, PERSON_POSTGRES)}


def install_index(connection):
    for index in INDEXES.get(connection.vendor, ()):
        if connection.vendor == "sqlite":
            index.install(connection)
        else:
            with connection.cursor() as cursor:
                for statement in index.install_statements():
                    cursor.execute(statement)


def remove_index(connection):
    for index in INDEXES.get(connection.vendor, ()):
        with connection.cursor() as cursor:
            for statement in index.drop_statements():
                cursor.execute(statement)


def _name_or_initials(connection, model, sqlite_index, postgres_index, text):
    like = Q(name__icontains=text) | Q(name_initials__icontains=text.lower())
    return containing_ids(connection, model.objects.order_by(), like, text,
                          sqlite_index=sqlite_index, postgres_index=postgres_index)


def enterprise_name_ids(connection, text):
    """(SQL, params) of the ids of the enterprises whose name contains `text`; None when none does."""
    return containing_ids(connection, Enterprise.objects.order_by(), Q(name__icontains=text), text,
                          sqlite_index=ENTERPRISE_SQLITE, postgres_index=ENTERPRISE_POSTGRES, columns=("name",))


def _iexact(field, text):
    """`field__iexact=text` as UPPER(field) = UPPER(text): the same rows, read through the UPPER index."""
    return Q(**{f"{field}_upper": Upper(Value(text))})


def _union(parts):
    parts = [part for part in parts if part is not None]
    if not parts:
        return "SELECT NULL WHERE 0 = 1", []
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _uscc_ids(text):
    return (Enterprise.objects.order_by().annotate(uscc_upper=Upper("uscc")).filter(_iexact("uscc", text))
            .values("id").query.sql_with_params())


def _enterprise_ids(connection, text):
    return _union([_name_or_initials(connection, Enterprise, ENTERPRISE_SQLITE, ENTERPRISE_POSTGRES, text),
                   _uscc_ids(text)])


def enterprise_q(connection, text):
    """The enterprises found by `text`: name or initials contain it, or the USCC is it (any case)."""
    sql, params = _enterprise_ids(connection, text)
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 — SQL of the ORM and the index's constants; text is a parameter


def membership_q(connection, text):
    """The memberships found by `text` (see the module's doc)."""
    enterprises, enterprise_params = _enterprise_ids(connection, text)
    persons = _name_or_initials(connection, Person, PERSON_SQLITE, PERSON_POSTGRES, text)
    chambers = Chamber.objects.order_by().filter(name__icontains=text).values("id").query.sql_with_params()
    own = Membership.objects.order_by()
    parts = [(own.filter(enterprise_id__in=RawSQL(enterprises, enterprise_params))  # noqa: S611
              .values("id").query.sql_with_params()),
             own.filter(group_id__in=RawSQL(*chambers)).values("id").query.sql_with_params(),  # noqa: S611
             (own.annotate(number_upper=Upper("number")).filter(_iexact("number", text))
              .values("id").query.sql_with_params())]
    if persons is not None:
        parts.append(own.filter(person_id__in=RawSQL(*persons)).values("id").query.sql_with_params())  # noqa: S611
    sql, params = _union(parts)
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 — as above
