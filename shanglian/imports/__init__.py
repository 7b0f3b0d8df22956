"""Imports and exports (floor 5: above common/accounts/ui, below the business apps).

- `registry`: import kinds, each registered by its own app's `imports.py` (`@import_kind("members")`),
  found at start-up by `ImportsConfig.ready()`; `spec_for(kind, actor)`.
- `jobs`: upload → check (dry run) → commit of an `ImportJob` (`common.models`); large commits run as
  the Huey task `jobs.run_import_job`, with progress on the job row.
- `pages.ImportPages(...)`: the import pages of one kind; `command.ImportCommand`: the import command.
- `exports.audited_export(...)`: a page's export, audited; above `EXPORT_BACKGROUND_ROWS` rows an
  `ExportJob` written by the Huey task `exports.produce_export`, downloaded from `views.export_job` by its
  owner only.
- `manage.py purge_import_files`: deletes import uploads and export files older than 24 hours.
"""
