"""Cases and imported past cases as precedent-search documents: the one place that builds them.

The patient's name is read here, only to scrub it out: the search app never sees the patient
model. Each case's owner is its facility, in terms the search app does not interpret ("f:<pk>"),
so that a reviewer's conflicts of interest can be left out of every search without the search
app knowing facilities or reviewers."""

from collections.abc import Iterable

from search.documents import PrecedentDocument
from search.scrub import scrub

from ..choices import OPEN_STATES
from ..models import Case, HistoricalPrecedent, PatientInfo


def precedent_key(case_pk: int) -> str:
    return f"case:{case_pk}"


def historical_precedent_key(external_id: str) -> str:
    return f"import:{external_id}"


def precedent_key_of(record: Case | HistoricalPrecedent) -> str:
    """The index key of a case or of an imported past case."""
    if isinstance(record, HistoricalPrecedent):
        return historical_precedent_key(record.external_id)
    return precedent_key(record.pk)


def precedent_owner(facility_pk: int) -> str:
    return f"f:{facility_pk}"


def precedent_document(record: Case | HistoricalPrecedent) -> PrecedentDocument:
    """The document of a case of the platform or of an imported past case.

    An imported case has no owner: the import has no facility column, so it is shown whatever
    conflicts of interest a reviewer has (see README, precedent search). Its narrative was
    scrubbed when it was imported; a case's is scrubbed here, with its patient's names."""
    if isinstance(record, HistoricalPrecedent):
        own = {
            "label": record.external_id,
            "outcome": record.outcome,
            "payout_yen": record.payout_yen,
            "is_open": False,  # past cases, all closed before the platform
            "text": record.narrative,
        }
    else:
        patient = PatientInfo.objects.filter(case=record).values_list("name", "name_kana").first()
        own = {
            "label": record.reference,
            "outcome": record.state,
            "payout_yen": record.assessment.total if record.has_assessment() else None,
            "is_open": record.state in OPEN_STATES,
            "text": scrub(
                f"{record.narrative}\n{record.patient_demands}",
                names=tuple(n for n in (patient or ()) if n),
            ),
            "owner": precedent_owner(record.facility_id),
        }
    return PrecedentDocument(
        key=precedent_key_of(record),
        claim_date=record.claim_date,
        procedure_field=record.procedure.field,
        procedure=record.procedure.name,
        complaint_types=tuple(record.complaint_types),
        **own,
    )


def precedent_documents(cases) -> Iterable[PrecedentDocument]:
    for case in cases.select_related("procedure", "assessment"):
        yield precedent_document(case)


def historical_documents() -> Iterable[PrecedentDocument]:
    """Every imported precedent as a search document (for rebuild_precedent_index)."""
    for historical in HistoricalPrecedent.objects.select_related("procedure").order_by("pk"):
        yield precedent_document(historical)
