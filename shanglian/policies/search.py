"""Chinese full-text search over the policy library: one interface, two database backends.

    search_policies(queryset, text)  the queryset narrowed to the policies that contain every word of
                                     `text` (words are separated by spaces; each word is a substring,
                                     Chinese has no spaces between words), annotated with `rank`
                                     (higher is better) and ordered best first
    snippet(policy, text)            a short excerpt around the first match, HTML-escaped, matches in <mark>
    highlight(value, text)           the whole value HTML-escaped, matches in <mark>

Searched fields: title, 文号 (document_number), summary, full_text. The rank puts a policy whose title
contains a word above every policy that contains it only elsewhere (+1000 per word in the title), a
文号 match next (+500 per word), then orders by relevance within those tiers.

SQLite: a contentless FTS5 table `policies_policy_fts` with the `trigram` tokenizer, kept in sync by
triggers (installed by migration 0003 through `install_index`). Each column is indexed with one trailing
space, so every occurrence of a 2-character word is the start of some indexed trigram: a 2-character
word ("贴息", "贷款") is looked up as the OR of the trigrams that start with it (found in the fts5vocab
table), not by scanning the texts. Words of 3+ characters are trigram phrases; relevance is bm25 with
the column weights below. A 1-character word (or a 2-character one that starts too many trigrams) is
matched with LIKE — a scan, still correct.

PostgreSQL: a bigram index (migration 0004): the column `policies_policy.search_bigrams` (text[], not a
model field, filled by triggers) holds the distinct overlapping 2-character pieces of
UPPER(title || ' ' || 文号 || ' ' || summary || ' ' || full text), made by the SQL function
`policies_bigrams`, with a GIN index. A word of 2+ characters narrows the policies to those whose pieces
contain all of the word's pieces (`search_bigrams @> policies_bigrams(UPPER(word))`, an index lookup; the
word is a bound parameter, there is no query syntax). For a 2-character word that is already exact (the
word is one piece and contains no space, so it cannot straddle two fields); a longer word is then checked
with `icontains` on those candidates only, so results are exactly the substring matches. A 1-character word
is matched with `icontains` (pg_trgm GIN indexes on UPPER(column) from migration 0003 remain). A word
without upper/lower case (Chinese, digits, punctuation) uses `contains` instead: the same rows, without
upper-casing every full text. The column has no planner statistics (migration 0004), so common words are
read through the index too rather than by testing every row's TOASTed array. Relevance is the saturated
count of occurrences in the summary (counting them in the full text as well made a search p50 163 ms vs
57 ms for a bare LIKE scan in the benchmark, so the full text is not counted).

Query text is never FTS syntax: every word is quoted as a phrase (quotes doubled), LIKE wildcards are
escaped, so `OR`, `NEAR(`, `*`, `"`, `%` and `_` are searched for literally.
"""

import re

from django.db import connections
from django.db.models import BooleanField, Case, Expression, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Length, Replace, Upper
from django.utils.html import escape
from django.utils.safestring import mark_safe

from shanglian.common.fulltext import TrigramIndex

FTS_TABLE = "policies_policy_fts"
VOCAB_TABLE = "policies_policy_fts_vocab"
POLICY_TABLE = "policies_policy"
COLUMNS = ("title", "document_number", "summary", "full_text")
BM25_WEIGHTS = (10.0, 6.0, 3.0, 1.0)  # in COLUMNS order
TITLE_TIER = 1000
NUMBER_TIER = 500
MAX_WORDS = 8
# A 2-character word starting more trigrams than this is matched with LIKE: an FTS5 OR of n phrases costs
# about n steps per matching row (bm25 too), so past a few hundred the scan is cheaper.
MAX_TRIGRAMS = 250

# The SQLite FTS5 trigram index, shared with other searched lists (common/fulltext.py). Every column is
# indexed with one trailing space (see the module docstring).
SQLITE_SEARCH_INDEX = TrigramIndex(POLICY_TABLE, COLUMNS)
SQLITE_TRIGGERS = SQLITE_SEARCH_INDEX.triggers

POSTGRES_INDEX = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS policy_{column}_trgm ON {POLICY_TABLE} USING gin (UPPER({column}::text) gin_trgm_ops)"
    for column in COLUMNS]
POSTGRES_DROP = [f"DROP INDEX IF EXISTS policy_{column}_trgm" for column in COLUMNS]


def install_index(connection):
    """Create the search index for this database (idempotent). On SQLite, when the triggers were missing
    (a table remake by a later migration drops them), the index is rebuilt from the policies."""
    if connection.vendor == "sqlite":
        SQLITE_SEARCH_INDEX.install(connection)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in POSTGRES_INDEX:
                cursor.execute(statement)


def remove_index(connection):
    if connection.vendor == "sqlite":
        SQLITE_SEARCH_INDEX.remove(connection)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in POSTGRES_DROP:
                cursor.execute(statement)


def search_words(text):
    """The distinct words of a query (split on whitespace, full-width spaces included), at most MAX_WORDS."""
    words = []
    for word in (text or "").split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_policies(queryset, text):
    """`queryset` narrowed to the policies containing every word of `text`, with `rank`, best first."""
    words = search_words(text)
    if not words:
        return queryset
    connection = connections[queryset.db]
    if connection.vendor == "sqlite":
        return _search_sqlite(queryset, words, connection)
    return _search_generic(queryset, words, postgres=connection.vendor == "postgresql")


def _contains_q(word, lookup="icontains"):
    q = Q()
    for column in COLUMNS:
        q |= Q(**{f"{column}__{lookup}": word})
    return q


# --- SQLite: FTS5 trigram ---------------------------------------------------------------------------

def _search_sqlite(queryset, words, connection):
    groups, like_words = [], []
    for word in words:
        match = SQLITE_SEARCH_INDEX.match(connection, word, MAX_TRIGRAMS)
        if match is None:
            like_words.append(word)
        elif not match:  # no policy contains the word
            return queryset.annotate(rank=Value(0.0, output_field=FloatField())).none()
        else:
            groups.append(match)
    for word in like_words:
        queryset = queryset.filter(_contains_q(word))
    tiers, params = [], []
    for word in words:
        pattern = f"%{connection.ops.prep_for_like_query(word)}%"
        tiers.append(f"({POLICY_TABLE}.title LIKE %s ESCAPE '\\') * {TITLE_TIER}"
                     f" + ({POLICY_TABLE}.document_number LIKE %s ESCAPE '\\') * {NUMBER_TIER}")
        params += [pattern, pattern]
    rank = " + ".join(tiers)
    if groups:
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        # bm25() is lower-is-better; negated so that a higher rank is better everywhere. extra(): the FTS5
        # table has to be joined for bm25(); only constants go into the SQL, the query text is a parameter.
        queryset = queryset.extra(  # noqa: S610
            select={"rank": f"{rank} - bm25({FTS_TABLE}, {weights})"}, select_params=params,
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = {POLICY_TABLE}.id", f"{FTS_TABLE} MATCH %s"],
            params=[" AND ".join(groups)])
    else:
        queryset = queryset.extra(select={"rank": rank}, select_params=params)  # noqa: S610
    return queryset.order_by("-rank", "-published_on", "-id")


# --- PostgreSQL (and any other backend): the bigram index, then substring filters ----------------------

def _occurrences(column, word, caseless=False):
    """How many times `word` occurs in `column`, case-insensitively (`caseless`: the word has no letters
    with a case, so the text need not be upper-cased)."""
    text = column if caseless else Upper(column)
    removed = Length(text) - Length(Replace(text, Value(word if caseless else word.upper()), Value("")))
    return Cast(removed, FloatField()) / Value(float(len(word)))


def _saturated(count):
    """count / (count + 1.2), written with `count` once so that the database computes it once per row."""
    return Value(1.0) - Value(1.2) / (count + Value(1.2))


def _is_caseless(word):
    """True when no character of `word` has a case (Chinese, digits, punctuation): then `contains` finds
    exactly what `icontains` finds — no upper-case letter comes from anything but a lower-case one — without
    upper-casing every text (on PostgreSQL that roughly halves the cost of checking a long full text)."""
    return word.upper() == word.lower()


class HasBigrams(Expression):
    """PostgreSQL: true for the policies whose indexed 2-character pieces include every piece of `word` (a GIN
    lookup; the word is a parameter — never syntax). The column is qualified with the alias the query gives
    the policy table (found through its primary key), so the filter also works inside a subquery."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, word):
        super().__init__()
        self.word = word
        self.key = F("pk")

    def get_source_expressions(self):
        return [self.key]

    def set_source_expressions(self, exprs):
        (self.key,) = exprs

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.key.alias)
        return f"{table}.search_bigrams @> policies_bigrams(UPPER(%s))", [self.word]


def _search_generic(queryset, words, postgres=False):
    rank = Value(0.0)
    for word in words:
        caseless = postgres and _is_caseless(word)
        lookup = "contains" if caseless else "icontains"
        if postgres and len(word) >= 2:
            queryset = queryset.filter(HasBigrams(word))
        if not postgres or len(word) != 2:  # a 2-character word is one piece: the index lookup is exact
            queryset = queryset.filter(_contains_q(word, lookup))
        rank = (rank
                + Case(When(**{f"title__{lookup}": word}, then=Value(float(TITLE_TIER))), default=Value(0.0))
                + Case(When(**{f"document_number__{lookup}": word}, then=Value(float(NUMBER_TIER))),
                       default=Value(0.0))
                + Value(BM25_WEIGHTS[2]) * _saturated(_occurrences(F("summary"), word, caseless)))
    return queryset.annotate(rank=Cast(rank, FloatField())).order_by("-rank", "-published_on", "-id")


# --- Highlighting -------------------------------------------------------------------------------------

def _pattern(text):
    words = sorted(search_words(text), key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def _marked(value, pattern):
    """`value` HTML-escaped with every match of `pattern` in <mark> (escaped too)."""
    parts, last = [], 0
    for match in pattern.finditer(value):
        parts.append(escape(value[last:match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(value[last:]))
    return "".join(parts)


def highlight(value, text):
    """The whole `value`, HTML-escaped, with the words of `text` in <mark> — safe to render as is."""
    value = value or ""
    pattern = _pattern(text)
    return mark_safe(_marked(value, pattern) if pattern else escape(value))  # noqa: S308 — every part escaped


def snippet(policy, text, width=80):
    """About `width` characters of the summary or full text around the first match (the start of the
    summary when nothing matches there), HTML-escaped with the matches in <mark>."""
    pattern = _pattern(text)
    sources = [s for s in (policy.summary, policy.full_text) if s]
    for source in sources:
        match = pattern.search(source) if pattern else None
        if match is None:
            continue
        start = max(0, match.start() - width // 3)
        end = max(match.end(), min(len(source), start + width))
        piece = _marked(source[start:end], pattern)
        return mark_safe(("…" if start else "") + piece + ("…" if end < len(source) else ""))  # noqa: S308
    if not sources:
        return mark_safe("")
    source = sources[0]
    return mark_safe(escape(source[:width]) + ("…" if len(source) > width else ""))  # noqa: S308
