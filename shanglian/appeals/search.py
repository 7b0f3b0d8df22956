"""The appeal list's search box through an index (common/fulltext.py, the policy library's approach).

    search_filter(connection, text)   a filter for the appeals whose number is `text`, whose title contains it
                                      or whose enterprise's name contains it — the rows that
                                      `number__iexact | title__icontains | enterprise__name__icontains` finds

The title is searched through an index: on SQLite the FTS5 trigram table `appeals_appeal_fts` (a 1-character
word, or a 2-character one starting too many trigrams, falls back to LIKE); on PostgreSQL the bigram
column `appeals_appeal.search_bigrams` with its GIN index (candidates checked with LIKE). The number (SQ +
digits, upper case) is looked up through its unique index. The enterprise names through the enterprises'
own index (members/search.py), then the appeals of those enterprises through the foreign-key index. The
three are one `id IN (… UNION ALL …)`: each part is read through its index (an OR of the three conditions
would be tested on every appeal of the federation).

How the page reads the matches (SQLite, issue 19): the count reads the matching appeals by id (its cost grows
with the matches, not with the federation). The page of 20 rows, when the word is common (more than
`DENSE_MATCHES` appeals, e.g. 贷款: 43,000 of 600,000), walks the list's sort index and keeps the appeals
that are in the match set, stopping after the page — instead of reading, joining and sorting every match to
keep 20. Which of the two the database does is decided by `MatchedIds` when the query is compiled: one
extra query counts the matches (a count of the index, not of the appeals). Installed by migration 0006 and,
on SQLite, again after every migrate (a table remake drops the triggers).

On PostgreSQL (issue 19) the three parts are one condition on the appeal's own row (`RowMatches`): the
title's pieces and LIKE, the number, `enterprise_id = ANY(ARRAY(the enterprises found))`. The planner then
has both plans at hand and picks by the word: for a rare word a BitmapOr of the three indexes (GIN, number,
enterprise) and a sort of the few matches; for a common one (贷款: 43,000 of 600,000 titles) a walk of the
list's sort index that tests each appeal and stops after the page — it knows which word is common from the
statistics of `search_bigrams`, which the appeals' column keeps (migration 0010; the `id IN (… UNION ALL …)`
form made it join and sort every match: 1 s). The count is one bitmap scan of the matches, with no join.
"""

from django.db.models import BooleanField, Expression, F, Q

from shanglian.common.fulltext import BigramIndex, TrigramIndex, containing_ids, folds_outside_ascii
from shanglian.members import search as member_search

from .models import Appeal

TABLE = "appeals_appeal"
SQLITE_INDEX = TrigramIndex(TABLE, ("title",))
POSTGRES_INDEX = BigramIndex(TABLE, ("title",), statistics=True)

# Past this many matching appeals a page of the list walks its sort index (SQLite; see the module's doc).
DENSE_MATCHES = 2000


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
    """(SQL, params) of the ids of the appeals whose title contains `text`; None when no title contains it."""
    return containing_ids(connection, Appeal.objects.order_by(), Q(title__icontains=text), text,
                          sqlite_index=SQLITE_INDEX, postgres_index=POSTGRES_INDEX)


def matches_sql(connection, text):
    """(SQL, params) of the ids of the appeals found by `text` (a UNION ALL of the number, enterprise and title
    matches; an appeal may come twice)."""
    parts = []
    if text.upper().isascii():
        parts.append(Appeal.objects.filter(number=text.upper()).order_by().values("id").query.sql_with_params())
    enterprises = member_search.enterprise_name_ids(connection, text)
    if enterprises is not None:
        parts.append((f"SELECT U9.id FROM {TABLE} U9 WHERE U9.enterprise_id IN ({enterprises[0]})",  # noqa: S608
                      enterprises[1]))
    title = _title_ids(connection, text)
    if title is not None:
        parts.append(title)
    if not parts:
        return "SELECT NULL WHERE 0 = 1", []
    return " UNION ALL ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


class MatchedIds(Expression):
    """`id IN (the matches)`. With `walk` (SQLite, a common word) a query that sorts and takes a slice gets
    `+id IN (…)`: the id is then no index key, so SQLite reads the list's sort index in order and tests each
    appeal against the match set, stopping after the slice; a count reads the matches by id — unless the
    scope is `few` (a chamber's members' appeals, a few percent of the city's): then the count too reads the
    scope through its index and tests each appeal against the match set, instead of reading every matching
    appeal's row to test its enterprise (chamber1, 贷款: 130 → 35 ms of CPU at city scale)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, sql, params, *, walk=False, few=False, pk=None):
        super().__init__(output_field=BooleanField())
        self.sql, self.params, self.walk, self.few = sql, list(params), walk, few
        self.pk = pk if pk is not None else F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        query = compiler.query
        probe = self.walk and (self.few or (query.high_mark is not None and bool(query.order_by)))
        return f"{'+' if probe else ''}{pk_sql} IN ({self.sql})", [*pk_params, *self.params]


class RowMatches(Expression):
    """PostgreSQL: whether the appeal's own row is found by `text` — its title contains it (through the
    title's pieces where the index is exact enough, then LIKE as `title__icontains`), its number is it, or its
    enterprise is one of `enterprises` ((SQL, params) of their ids, or None) — the rows of `matches_sql`."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, text, enterprises, *, title=None, number=None, enterprise=None):
        super().__init__(output_field=BooleanField())
        self.text, self.enterprises = text, enterprises
        self.title = title if title is not None else F("title")
        self.number = number if number is not None else F("number")
        self.enterprise = enterprise if enterprise is not None else F("enterprise_id")

    def get_source_expressions(self):
        return [self.title, self.number, self.enterprise]

    def set_source_expressions(self, exprs):
        self.title, self.number, self.enterprise = exprs

    def as_sql(self, compiler, connection):
        text = self.text
        title, _ = compiler.compile(self.title)
        like = (f"UPPER({title}::text) LIKE UPPER(%s)", [f"%{connection.ops.prep_for_like_query(text)}%"])
        if len(text) >= 2 and not folds_outside_ascii(text):  # as common.fulltext.containing_ids
            pieces = POSTGRES_INDEX.where(compiler.quote_name_unless_alias(self.title.alias))
            # A 2-character word is one piece, and a title holding that piece contains the word: no LIKE (which
            # would also make the planner think the word 20 times rarer than its statistics say).
            like = (pieces, [text]) if len(text) == 2 else (f"({pieces} AND {like[0]})", [text, *like[1]])
        parts = [like]
        if text.upper().isascii():
            number, _ = compiler.compile(self.number)
            parts.append((f"{number} = %s", [text.upper()]))
        if self.enterprises is not None:
            enterprise, _ = compiler.compile(self.enterprise)
            parts.append((f"{enterprise} = ANY(ARRAY({self.enterprises[0]}))", list(self.enterprises[1])))
        return "(" + " OR ".join(sql for sql, _ in parts) + ")", [p for _, params in parts for p in params]


def search_filter(connection, text, *, few=False, through=None):
    """The filter of the appeals found by `text` (see the module's doc); `few`: the scope it narrows is a
    small part of the appeals (see `MatchedIds`). `through`: the name of a foreign key to the appeal — the
    filter is then of the rows of another model (a department's assignments) whose appeal is found, for a
    count (no walk is prepared)."""
    if connection.vendor == "postgresql":
        fields = {} if through is None else {name: F(f"{through}__{column}") for name, column in
                                              (("title", "title"), ("number", "number"), ("enterprise", "enterprise_id"))}
        return RowMatches(text, member_search.enterprise_name_ids(connection, text), **fields)
    sql, params = matches_sql(connection, text)
    if through is not None:
        return MatchedIds(sql, params, pk=F(f"{through}_id"))
    walk = False
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql})", params)  # noqa: S608
            walk = cursor.fetchone()[0] > DENSE_MATCHES
    return MatchedIds(sql, params, walk=walk, few=few)
