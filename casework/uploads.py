"""Checks on files members and staff attach to a case: by content, not by name, and by size."""

import filetype
from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What the association accepts: photos of the result and documents (PDF).
ALLOWED_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/heic": ".heic",
    "application/pdf": ".pdf",
}


def upload_check(upload) -> str:
    """The file's real content type, or a ValidationError in Japanese. Reads only its head."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"ファイルが大きすぎます（上限 {MAX_UPLOAD_BYTES // (1024 * 1024)}MB）。"
        )
    if upload.size == 0:
        raise ValidationError("空のファイルは添付できません。")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError("添付できるのは写真（JPEG・PNG・HEIC）とPDFのみです。")
    return kind.mime
