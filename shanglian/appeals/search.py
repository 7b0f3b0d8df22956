"""The appeal list's search box through an index (common/fulltext.py, the policy library's approach).

    search_q(connection, text)   a Q for the appeals whose number is `text`, whose title contains it or
                                 whose enterprise's name contains it — the rows that
                                 `number__iexact | title__icontains | enterprise__name__icontains` finds

The title is searched through an index: on SQLite the FTS5 trigram table `appeals_appeal_fts` (a 1-character
word, or a 2-character one starting too many trigrams, falls back to LIKE); on PostgreSQL the bigram
column `appeals_appeal.search_bigrams` with its GIN index (a 3+-character word is then checked with LIKE on
the candidates only). The number (SQ + digits, upper case) is looked up through its unique index. The
enterprise names are a LIKE over the enterprises (far fewer rows than appeals), then the appeals of those
enterprises through the foreign-key index. Installed by migration 0005 and, on SQLite, again after every
migrate (a table remake drops the triggers).
"""

from django.db.models import Q
from django.db.models.expressions import RawSQL

from shanglian.common.fulltext import BigramIndex, TrigramIndex
from shanglian.members.models import Enterprise

TABLE = "appeals_appeal"
SQLITE_INDEX = TrigramIndex(TABLE, ("title",))
POSTGRES_INDEX = BigramIndex(TABLE, ("title",))


def install_index(connection):
    if connection.vendor == "sqlite":
        SQLITE_INDEX.install(connection)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in POSTGRES_INDEX.install_statements():
                cursor.execute(statement)


def remove_index(connection):
    statements = {"sqlite": SQLITE_INDEX.drop_statements(),
                  "postgresql": POSTGRES_INDEX.drop_statements()}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _title_q(connection, text):
    if connection.vendor == "sqlite":
        match = SQLITE_INDEX.match(connection, text)
        if match is None:
            return Q(title__icontains=text)
        if not match:
            return Q(pk__in=[])
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {SQLITE_INDEX.fts} WHERE {SQLITE_INDEX.fts} MATCH %s",  # noqa: S611
                               [match]))
    if connection.vendor == "postgresql" and len(text) >= 2:
        candidates = Q(pk__in=RawSQL(f"SELECT id FROM {TABLE} WHERE {POSTGRES_INDEX.where(TABLE)}",  # noqa: S611, S608
                                     [text]))
        return candidates if len(text) == 2 else candidates & Q(title__icontains=text)
    return Q(title__icontains=text)


def _number_q(text):
    """Numbers are upper-case ASCII (SQ + digits): `text` is one iff its upper case is; the unique index finds it."""
    wanted = text.upper()
    return Q(number=wanted) if wanted.isascii() else Q(pk__in=[])


def search_q(connection, text):
    enterprises = Enterprise.objects.filter(name__icontains=text).values("id")
    return _number_q(text) | _title_q(connection, text) | Q(enterprise_id__in=enterprises)
