"""PostgreSQL only: a bigram index for Chinese substring search (see shanglian/policies/search.py).

`policies_policy.search_bigrams` (text[], not a model field) holds the distinct overlapping 2-character
pieces of UPPER(title || ' ' || document_number || ' ' || summary || ' ' || full_text), kept up to date by
two triggers and indexed with GIN. `policies_bigrams(text)` makes the pieces — of the stored text here and
of the query words in search.py, so both sides are cut the same way. No text-search parser is involved:
CJK characters and punctuation such as 〔 〕 are kept as they are. Existing rows are filled here.
On SQLite (and any other backend) this migration does nothing.
"""

from django.db import migrations

SEARCHED = ("UPPER(COALESCE({r}.title, '') || ' ' || COALESCE({r}.document_number, '') || ' ' || "
            "COALESCE({r}.summary, '') || ' ' || COALESCE({r}.full_text, ''))")

INSTALL = [
    # IMMUTABLE: with a constant argument the planner computes the query's pieces once, at plan time.
    """CREATE OR REPLACE FUNCTION policies_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT COALESCE(ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i),
                        '{}'::text[])
    $$""",
    "ALTER TABLE policies_policy ADD COLUMN IF NOT EXISTS search_bigrams text[] NOT NULL DEFAULT '{}'",
    # No statistics: the planner then assumes a word is rare and always reads the GIN index. With them it
    # picks a sequential scan for common words (25–65 % of the policies), which tests `@>` on every row's
    # (TOASTed) array — 130–160 ms on 10,000 policies, against a few ms for the index.
    "ALTER TABLE policies_policy ALTER COLUMN search_bigrams SET STATISTICS 0",
    f"""CREATE OR REPLACE FUNCTION policies_policy_bigrams_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_bigrams := policies_bigrams({SEARCHED.format(r="NEW")});
        RETURN NEW;
    END
    $$""",
    "DROP TRIGGER IF EXISTS policies_policy_bigrams_insert ON policies_policy",
    """CREATE TRIGGER policies_policy_bigrams_insert BEFORE INSERT ON policies_policy
    FOR EACH ROW EXECUTE FUNCTION policies_policy_bigrams_fill()""",
    "DROP TRIGGER IF EXISTS policies_policy_bigrams_update ON policies_policy",
    """CREATE TRIGGER policies_policy_bigrams_update
    BEFORE UPDATE OF title, document_number, summary, full_text ON policies_policy FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.document_number IS DISTINCT FROM NEW.document_number
          OR OLD.summary IS DISTINCT FROM NEW.summary OR OLD.full_text IS DISTINCT FROM NEW.full_text)
    EXECUTE FUNCTION policies_policy_bigrams_fill()""",
    f"UPDATE policies_policy SET search_bigrams = policies_bigrams({SEARCHED.format(r='policies_policy')})",  # noqa: S608 — constants only
    "CREATE INDEX IF NOT EXISTS policy_search_bigrams_gin ON policies_policy USING gin (search_bigrams)",
]

REMOVE = [
    "DROP TRIGGER IF EXISTS policies_policy_bigrams_insert ON policies_policy",
    "DROP TRIGGER IF EXISTS policies_policy_bigrams_update ON policies_policy",
    "DROP FUNCTION IF EXISTS policies_policy_bigrams_fill()",
    "DROP INDEX IF EXISTS policy_search_bigrams_gin",
    "ALTER TABLE policies_policy DROP COLUMN IF EXISTS search_bigrams",
    "DROP FUNCTION IF EXISTS policies_bigrams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("policies", "0003_search_index")]
    operations = [migrations.RunPython(_run(INSTALL), _run(REMOVE))]
