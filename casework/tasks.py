"""Casework's work on the task queue (django-tasks): e-mails and precedent-index updates.

Services enqueue these after commit, so a page answers without waiting for a mail server or a
search server, and a rolled-back change tells nobody. The database backend keeps them until
`manage.py db_worker` runs them; tests run them at once (the immediate backend).

django-tasks does not retry. A task that fails enqueues itself again, later each time
(RETRY_DELAYS), and after MAX_ATTEMPTS records a NotificationFailure, which the office's
administrators see in the admin. Each failed attempt is also raised, so the worker's log and the
queue's own result row show it.
"""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task

from search.backends import get_search_backend

from .models import Case, NotificationFailure, NotificationFailureKind
from .precedents import precedent_document

logger = logging.getLogger(__name__)

#: How long to wait before the 2nd, 3rd, … attempt; one attempt more than there are delays.
#: About two and a half hours in all: long enough for a mail server's restart or an
#: Elasticsearch upgrade, short enough that the office still follows up the same day.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@task()
def email_send(*, to: list[str], subject: str, body: str, attempt: int = 1) -> None:
    """Send one e-mail rendered by casework.notifications (plain text, Japanese)."""
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
    except Exception as error:
        _retry_or_record(
            email_send,
            attempt=attempt,
            error=error,
            failure={
                "kind": NotificationFailureKind.EMAIL,
                "about": subject,
                "recipients": ", ".join(to),
            },
            to=to,
            subject=subject,
            body=body,
        )
        raise


@task()
def precedent_index_update(*, case_id: int, attempt: int = 1) -> None:
    """Put the case as it is now into the precedent index. Unlike search.update_index, which a
    web request calls and which only logs, a failure here raises and is retried."""
    case = Case.objects.select_related("procedure").filter(pk=case_id).first()
    if case is None:
        return  # deleted since: search.signals took it out of the index
    try:
        get_search_backend().index([precedent_document(case)])
    except Exception as error:
        recorded = _retry_or_record(
            precedent_index_update,
            attempt=attempt,
            error=error,
            failure={
                "kind": NotificationFailureKind.PRECEDENT_INDEX,
                "about": f"受付番号 {case.reference}",
            },
            case_id=case_id,
        )
        if recorded:
            logger.error("Case %s not in the precedent index: run rebuild_precedent_index", case_id)
        raise


def _retry_or_record(
    current_task, *, attempt: int, error: Exception, failure: dict, **kwargs
) -> bool:
    """Enqueue `current_task` again with `kwargs` after the next delay, or, after the last
    attempt, record `failure` (NotificationFailure's fields) for the office and return True."""
    name = current_task.name
    if attempt < MAX_ATTEMPTS:
        retry = current_task
        if retry.get_backend().supports_defer:  # the immediate backend retries at once
            retry = retry.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
        logger.warning("Task %s failed (attempt %s), retrying: %r", name, attempt, error)
        retry.enqueue(attempt=attempt + 1, **kwargs)
        return False
    logger.error("Task %s failed %s times, recorded: %r", name, attempt, error)
    # Cut to what the columns hold, marked with …: a subject built from what an applicant typed
    # may run past 255 characters, which PostgreSQL would refuse, losing the record itself.
    NotificationFailure.objects.create(
        **{**failure, "about": Truncator(failure["about"]).chars(255)},
        attempts=attempt,
        error=Truncator(f"{type(error).__name__}: {error}").chars(1000),
    )
    return True
