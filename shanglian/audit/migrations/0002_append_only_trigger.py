"""On PostgreSQL the audit table is append-only in the database itself: UPDATE is always refused,
DELETE only for rows older than the 183-day legal minimum. (TRUNCATE, used by test teardown, is
not a row operation.) On SQLite the model and queryset guards apply, and the hash chain detects
direct edits."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION '审计记录不可修改';
  END IF;
  IF TG_OP = 'DELETE' AND OLD.timestamp > now() - interval '183 days' THEN
    RAISE EXCEPTION '审计记录未满保存期限，不可删除';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
