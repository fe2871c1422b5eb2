"""What the member portal and the staff workspace views share."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django_fsm import ConcurrentTransition

from ..forms import AttachmentForm
from ..services import attachment_add


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


def form_action(request, form, action: Callable[[dict], str], *, subject: str = "案件") -> None:
    """Run `action(cleaned_data)` (a service call returning the success text) if `form` is
    valid; otherwise, or when the service refuses or someone else moved the `subject` first,
    show the Japanese messages."""
    if not form.is_valid():
        report_errors(request, form.errors)
        return
    try:
        messages.success(request, action(form.cleaned_data))
    except ConcurrentTransition:
        messages.error(
            request,
            f"他の担当者が同時にこの{subject}を更新しました。最新の状況を確認してください。",
        )
    except ValidationError as error:
        report_errors(request, error)


def attachment_upload(request, case) -> None:
    """Attach the posted file to `case` (member or staff: the service checks who may)."""

    def add(data) -> str:
        attachment_add(case=case, by=request.user, upload=data["file"], kind=data["kind"])
        return "ファイルを添付しました。"

    form_action(request, AttachmentForm(request.POST, request.FILES), add)
