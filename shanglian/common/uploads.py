"""The one way to accept a user's file (attachments of appeals, policies …).

OWASP ASVS V12: the size is limited, the type is decided from the content (never the name), the file
is stored under MEDIA_ROOT/<folder>/<uuid> (outside the web root; the user's name is kept only as
data), and it is served by a view that checks permission first, as a download with `nosniff`.
"""

import hashlib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse

from .ooxml import UnsafeDocument, check_ooxml

# What people attach to appeals and policies: scans, photos, Word/Excel documents.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_TYPES = {"docx", "xlsx"}  # zips: opened safely before they are accepted (common.ooxml)
ALLOWED_LABEL = "PDF、JPG、PNG、Word（docx）、Excel（xlsx）"
MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


@dataclass(frozen=True)
class CheckedUpload:
    upload: object
    name: str
    extension: str
    content_type: str
    size: int


def _display_name(name):
    name = Path(str(name or "")).name.replace("\x00", "")
    return name[-200:] or "附件"


def check_uploads(files, *, max_files=MAX_FILES, max_bytes=MAX_BYTES, field=None):
    """Check every uploaded file; raise one ValidationError listing every problem, or return them checked. With
    `field`, the problems are that form field's (a service raising them beside its other fields' reasons)."""
    files = [f for f in files if f]
    errors, checked = [], []
    if len(files) > max_files:
        errors = [f"附件最多 {max_files} 个，您选择了 {len(files)} 个。"]
        raise ValidationError({field: errors} if field else errors[0])
    for upload in files:
        name = _display_name(getattr(upload, "name", ""))
        size = upload.size
        if size == 0:
            errors.append(f"“{name}”是空文件。")
            continue
        if size > max_bytes:
            errors.append(f"“{name}”大小 {size / 1024 / 1024:.1f} MB，超过 {max_bytes // 1024 // 1024} MB 的上限。")
            continue
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        kind = filetype.guess(head)
        extension = kind.extension if kind else ""
        if extension == "jpeg":
            extension = "jpg"
        if extension not in ALLOWED_TYPES:
            errors.append(f"“{name}”的文件内容不是允许的类型（{ALLOWED_LABEL}），文件名后缀不作为依据。")
            continue
        if extension in OFFICE_TYPES:
            try:
                check_ooxml(upload)  # zip bomb, DTD/entities, absurd sheet extent (issue 18.1)
            except UnsafeDocument as exc:
                errors.append(f"“{name}”：{exc}")
                continue
            finally:
                upload.seek(0)
        checked.append(CheckedUpload(upload, name, extension, ALLOWED_TYPES[extension], size))
    if errors:
        raise ValidationError({field: errors} if field else errors)
    return checked


def check_with_uploads(check, files, *, field):
    """The values `check()` cleaned and the files `check_uploads` accepted — or one ValidationError with the reasons of
    both, the files' under `field` (the form shows every reason at once)."""
    errors, values, checked = {}, None, []
    try:
        values = check()
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    try:
        checked = check_uploads(files, field=field)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return values, checked


def _folder(folder):
    path = Path(settings.MEDIA_ROOT) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(checked, folder):
    """Write a checked file as MEDIA_ROOT/<folder>/<uuid>; return (stored_name, sha256)."""
    stored_name = uuid.uuid4().hex
    digest = hashlib.sha256()
    with (_folder(folder) / stored_name).open("wb") as out:
        checked.upload.seek(0)
        for chunk in checked.upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return stored_name, digest.hexdigest()


def remove_stored(folder, stored_name):
    (Path(settings.MEDIA_ROOT) / folder / Path(stored_name).name).unlink(missing_ok=True)


class FileKeeper:
    """Stores checked files and records each as a `common.models.StoredFile` row; see `kept_files`."""

    def __init__(self, folder):
        self.folder = folder
        self.names = []

    def save(self, model, checked, **fields):
        """Store every checked file under `folder` and create one `model` row for it with `fields`
        (its owner: appeal, policy, uploader …)."""
        for item in checked:
            name, digest = store_upload(item, self.folder)
            self.names.append(name)
            model.objects.create(original_name=item.name, stored_name=name, content_type=item.content_type,
                                 size=item.size, sha256=digest, **fields)

    def discard(self):
        for name in self.names:
            remove_stored(self.folder, name)


@contextmanager
def kept_files(folder):
    """`with kept_files("appeals") as files: … files.save(Attachment, checked, appeal=…)`: wrap the
    transaction that records the files, so that the files written to disk are removed again when it
    fails (nothing orphaned under MEDIA_ROOT)."""
    keeper = FileKeeper(folder)
    try:
        yield keeper
    except BaseException:
        keeper.discard()
        raise


def download_response(folder, stored_file):
    """A `StoredFile` as a download under its original name (call only after the permission check)."""
    path = Path(settings.MEDIA_ROOT) / folder / Path(stored_file.stored_name).name
    response = FileResponse(path.open("rb"), as_attachment=True, filename=stored_file.original_name,
                            content_type=stored_file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"  # a private file: no browser or proxy cache keeps it
    return response
