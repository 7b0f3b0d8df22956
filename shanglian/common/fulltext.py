"""Chinese substring search through an index, for any table: the approach of the policy library
(`policies/search.py`), shared so that another list (the appeals) searches the same way.

A search word is a substring (Chinese has no spaces between words); LIKE '%word%' finds it by reading
every row. Instead:

SQLite — a contentless FTS5 table `<table>_fts` with the `trigram` tokenizer over the searched columns,
kept in sync by triggers. Each column is indexed with one trailing space, so that every occurrence of a
2-character word is the start of some indexed trigram: a 2-character word is looked up as the OR of the
trigrams that start with it (read from the fts5vocab table `<table>_fts_vocab`); a word of 3+ characters
is a trigram phrase. FTS5's trigram tokenizer folds ASCII case like SQLite's LIKE, so the rows found are
exactly LIKE's. A 1-character word (or a 2-character one that starts more than `max_trigrams` trigrams)
has no index lookup: the caller falls back to LIKE.

PostgreSQL — a text[] column `search_bigrams` (not a model field) holding the distinct overlapping
2-character pieces of UPPER(the searched columns joined by ' '), filled by a trigger, with a GIN index;
`word_bigrams_sql` narrows the rows to those containing every piece of the word (an index lookup; the
word is a bound parameter). For a 2-character word without a space that is exact; a longer word is then
checked with LIKE on those candidates only.

Query text is never FTS syntax: every word is quoted as a phrase (quotes doubled).
"""

from dataclasses import dataclass

# A 2-character word starting more trigrams than this is matched with LIKE: an FTS5 OR of n phrases costs
# about n steps per matching row, so past a few hundred the scan is cheaper.
MAX_TRIGRAMS = 250


def phrase(text):
    """An FTS5 string: the text is matched literally (operators and quotes inside have no meaning)."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class TrigramIndex:
    """The SQLite FTS5 trigram index of `columns` of `table` (rowid = the row's id)."""

    table: str
    columns: tuple

    @property
    def fts(self):
        return f"{self.table}_fts"

    @property
    def vocab(self):
        return f"{self.table}_fts_vocab"

    @property
    def triggers(self):
        return [f"{self.fts}_insert", f"{self.fts}_delete", f"{self.fts}_update"]

    def _values(self, row):
        return ", ".join(f"{row}.{c} || ' '" for c in self.columns)

    def install_statements(self):
        names = ", ".join(self.columns)
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in self.columns)
        # Only identifiers of the code go into these statements (S608: constants only).
        insert = f"INSERT INTO {self.fts}(rowid, {names}) VALUES (new.id, {self._values('new')});"  # noqa: S608
        delete = (f"INSERT INTO {self.fts}({self.fts}, rowid, {names}) "  # noqa: S608
                  f"VALUES ('delete', old.id, {self._values('old')});")
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.fts} USING fts5({names}, content='', tokenize='trigram')",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.vocab} USING fts5vocab({self.fts}, 'row')",
            f"CREATE TRIGGER IF NOT EXISTS {self.fts}_insert AFTER INSERT ON {self.table} BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.fts}_delete AFTER DELETE ON {self.table} BEGIN {delete} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.fts}_update AFTER UPDATE OF {names} ON {self.table} "
            f"WHEN {changed} BEGIN {delete} {insert} END",
        ]

    def rebuild_statements(self):
        names = ", ".join(self.columns)
        values = ", ".join(f"{c} || ' '" for c in self.columns)
        return [f"INSERT INTO {self.fts}({self.fts}) VALUES ('delete-all')",  # noqa: S608
                f"INSERT INTO {self.fts}(rowid, {names}) SELECT id, {values} FROM {self.table}"]  # noqa: S608

    def drop_statements(self):
        return [f"DROP TRIGGER IF EXISTS {name}" for name in self.triggers] + [
            f"DROP TABLE IF EXISTS {self.vocab}", f"DROP TABLE IF EXISTS {self.fts}"]

    def install(self, connection):
        """Create the index (idempotent); rebuilt from the rows when its triggers were missing (a table
        remake by a later migration drops them)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [self.table])
            complete = set(self.triggers) <= {row[0] for row in cursor.fetchall()}
            for statement in self.install_statements():
                cursor.execute(statement)
            if not complete:
                for statement in self.rebuild_statements():
                    cursor.execute(statement)

    def remove(self, connection):
        with connection.cursor() as cursor:
            for statement in self.drop_statements():
                cursor.execute(statement)

    def trigrams_starting_with(self, connection, prefix, limit=MAX_TRIGRAMS):
        """The indexed trigrams that start with `prefix` (None when there are more than `limit`)."""
        following = ord(prefix[-1]) + 1
        upper = prefix[:-1] + chr(0xE000 if 0xD800 <= following < 0xE000 else following)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term FROM {self.vocab} WHERE term >= %s AND term < %s LIMIT %s",  # noqa: S608
                           [prefix, upper, limit + 1])
            terms = [row[0] for row in cursor.fetchall()]
        return None if len(terms) > limit else terms

    def match(self, connection, word, limit=MAX_TRIGRAMS):
        """The FTS5 MATCH expression of one word: a phrase (3+ characters), an OR of the trigrams that start
        with it (2 characters), "" when no row contains it, None when there is no index lookup (LIKE then)."""
        if len(word) >= 3:
            return phrase(word)
        if len(word) != 2:
            return None
        trigrams = self.trigrams_starting_with(connection, word.lower(), limit)
        if trigrams is None:
            return None
        return "(" + " OR ".join(phrase(t) for t in trigrams) + ")" if trigrams else ""


# IMMUTABLE: with a constant argument the planner computes the query's pieces once, at plan time.
BIGRAMS_FUNCTION = """CREATE OR REPLACE FUNCTION shanglian_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i),
                    '{}'::text[])
$$"""


@dataclass(frozen=True)
class BigramIndex:
    """The PostgreSQL bigram index of `columns` of `table`: column `search_bigrams` + trigger + GIN index,
    the pieces made by the SQL function `shanglian_bigrams(text)`."""

    table: str
    columns: tuple
    # Planner statistics on the column: off by default (see install_statements); on where the search reads the
    # column on each row of an index walk (appeals/search.py), where the planner must know a common word.
    statistics: bool = False
    function = "shanglian_bigrams"  # as in BIGRAMS_FUNCTION

    def _searched(self, row):
        return "UPPER(" + " || ' ' || ".join(f"COALESCE({row}.{c}, '')" for c in self.columns) + ")"

    def install_statements(self):
        fill = f"{self.table}_bigrams_fill"
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in self.columns)
        return [
            # IMMUTABLE: with a constant argument the planner computes the query's pieces once.
            BIGRAMS_FUNCTION,
            f"ALTER TABLE {self.table} ADD COLUMN IF NOT EXISTS search_bigrams text[] NOT NULL DEFAULT '{{}}'",
            # No statistics: the planner then assumes a word is rare and reads the GIN index (see policies 0004);
            # with them (-1: the default target) it knows how many rows hold each common piece.
            f"ALTER TABLE {self.table} ALTER COLUMN search_bigrams SET STATISTICS {-1 if self.statistics else 0}",
            f"""CREATE OR REPLACE FUNCTION {fill}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_bigrams := {self.function}({self._searched("NEW")});
                RETURN NEW;
            END
            $$""",
            f"DROP TRIGGER IF EXISTS {self.table}_bigrams_insert ON {self.table}",
            f"CREATE TRIGGER {self.table}_bigrams_insert BEFORE INSERT ON {self.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {fill}()",
            f"DROP TRIGGER IF EXISTS {self.table}_bigrams_update ON {self.table}",
            f"CREATE TRIGGER {self.table}_bigrams_update BEFORE UPDATE OF {', '.join(self.columns)} ON {self.table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {fill}()",
            f"UPDATE {self.table} SET search_bigrams = {self.function}({self._searched(self.table)})",  # noqa: S608
            f"CREATE INDEX IF NOT EXISTS {self.table}_bigrams_gin ON {self.table} USING gin (search_bigrams)",
        ]

    def drop_statements(self):
        return [f"DROP TRIGGER IF EXISTS {self.table}_bigrams_insert ON {self.table}",
                f"DROP TRIGGER IF EXISTS {self.table}_bigrams_update ON {self.table}",
                f"DROP FUNCTION IF EXISTS {self.table}_bigrams_fill()",
                f"DROP INDEX IF EXISTS {self.table}_bigrams_gin",
                f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS search_bigrams"]

    def where(self, alias):
        """SQL (one %s: the word) true for the rows of `alias` whose pieces include every piece of the word."""
        return f"{alias}.search_bigrams @> {self.function}(UPPER(%s))"


# --- Which rows contain a word: the index where it gives exactly the rows of the old LIKE definition -------

def folds_outside_ascii(word):
    """Whether the word holds a cased letter outside ASCII: FTS5 folds its case, LIKE does not (and Python's
    lower() may even change its length), so such a word is matched with LIKE alone."""
    return any(not c.isascii() and (c.lower() != c or c.upper() != c) for c in word)


def has_ascii_letters(word):
    """Whether the word holds an ASCII letter: a row character FTS5 folds to one (the Kelvin sign to "k")
    would be a false candidate, so the index's candidates are checked with LIKE."""
    return any(c.isascii() and c.isalpha() for c in word)


def containing_ids(connection, queryset, like_q, word, *, sqlite_index, postgres_index, columns=None):
    """(sql, params) of the ids of `queryset`'s rows for which `like_q` (the old icontains definition over the
    indexed columns, or over `columns` of them) holds for `word`, read through the index where that gives the
    same rows; None when the index says no row contains it. `queryset` is unordered and unfiltered."""
    exact = queryset.filter(like_q)
    if folds_outside_ascii(word):
        return exact.values("id").query.sql_with_params()
    if connection.vendor == "sqlite" and sqlite_index is not None:
        match = sqlite_index.match(connection, word)
        if match == "":
            return None
        if match is not None:
            if columns:  # an FTS5 column filter: only these columns' text
                match = "{" + " ".join(columns) + "} : (" + match + ")"
            rowids = f"SELECT rowid FROM {sqlite_index.fts} WHERE {sqlite_index.fts} MATCH %s"  # noqa: S608
            if not has_ascii_letters(word):  # CJK, digits, punctuation: the index is exact
                return rowids, [match]
            from django.db.models.expressions import RawSQL

            return exact.filter(pk__in=RawSQL(rowids, [match])).values("id").query.sql_with_params()  # noqa: S611
    elif connection.vendor == "postgresql" and postgres_index is not None and len(word) >= 2:
        table = queryset.model._meta.db_table
        candidates = queryset.extra(where=[postgres_index.where(table)], params=[word])  # noqa: S610
        return candidates.filter(like_q).values("id").query.sql_with_params()
    return exact.values("id").query.sql_with_params()
