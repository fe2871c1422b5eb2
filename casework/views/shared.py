"""What the member portal and the staff workspace views share."""

from django.contrib import messages
from django.http import FileResponse


def report_errors(request, errors) -> None:
    """Show a ValidationError's or a form's messages to the person, in Japanese."""
    if hasattr(errors, "messages"):
        texts = errors.messages
    else:
        texts = [text for field_errors in errors.values() for text in field_errors]
    for text in texts:
        messages.error(request, text)


def attachment_response(attachment) -> FileResponse:
    """The stored file as a download, never rendered inline by the browser."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
