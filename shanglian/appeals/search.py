"""The appeal list's search box through an index (common/fulltext.py, the policy library's approach).

    search_q(connection, text)   a Q for the appeals whose number is `text`, whose title contains it or
                                 whose enterprise's name contains it — the rows that
                                 `number__iexact | title__icontains | enterprise__name__icontains` finds

The title is searched through an index: on SQLite the FTS5 trigram table `appeals_appeal_fts` (a 1-character
word, or a 2-character one starting too many trigrams, falls back to LIKE); on PostgreSQL the bigram
column `appeals_appeal.search_bigrams` with its GIN index (a 3+-character word is then checked with LIKE on
the candidates only). The number (SQ + digits, upper case) is looked up through its unique index. The
enterprise names are a LIKE over the enterprises (far fewer rows than appeals), then the appeals of those
enterprises through the foreign-key index. The three are one `id IN (… UNION ALL …)`: each part is read
through its index (an OR of the three conditions would be tested on every appeal of the federation). Installed by migration 0005 and, on SQLite, again after every
migrate (a table remake drops the triggers).
"""

from django.db.models import Q
from django.db.models.expressions import RawSQL

from shanglian.common.fulltext import BigramIndex, TrigramIndex
from shanglian.members.models import Enterprise

from .models import Appeal

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


def _title_ids(connection, text):
    """(SQL, params) of the ids of the appeals whose title contains `text`, through the index where there is
    one; None when no title contains it."""
    if connection.vendor == "sqlite":
        match = SQLITE_INDEX.match(connection, text)
        if match == "":
            return None
        if match is not None:
            return f"SELECT rowid FROM {SQLITE_INDEX.fts} WHERE {SQLITE_INDEX.fts} MATCH %s", [match]  # noqa: S608
    elif connection.vendor == "postgresql" and len(text) >= 2:
        candidates = Appeal.objects.extra(where=[POSTGRES_INDEX.where(TABLE)], params=[text])  # noqa: S610
        if len(text) > 2:  # a 2-character word is one piece: the index lookup is exact
            candidates = candidates.filter(title__icontains=text)
        return candidates.order_by().values("id").query.sql_with_params()
    return Appeal.objects.filter(title__icontains=text).order_by().values("id").query.sql_with_params()


def search_q(connection, text):
    """The appeals found by `text`: one `id IN (… UNION ALL …)` of the title, number and enterprise matches,
    each read through its own index (an OR of three conditions would be tested on every appeal)."""
    parts = [Appeal.objects.filter(number=text.upper()).order_by().values("id").query.sql_with_params()] if text.upper().isascii() else []
    parts.append(Appeal.objects.filter(enterprise__in=Enterprise.objects.filter(name__icontains=text).values("id"))
                 .order_by().values("id").query.sql_with_params())
    title = _title_ids(connection, text)
    if title is not None:
        parts.append(title)
    sql = " UNION ALL ".join(part_sql for part_sql, _ in parts)
    params = [param for _, part_params in parts for param in part_params]
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 — SQL of the ORM and the index's constants; text is a parameter
