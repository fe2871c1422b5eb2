"""Cases as precedent-search documents. The patient's name is read here, only to scrub it out:
the search app never sees the patient model."""

from collections.abc import Iterable

from search.documents import PrecedentDocument
from search.scrub import scrub

from .choices import OPEN_STATES
from .models import Case, PatientInfo


def precedent_key(case_pk: int) -> str:
    return f"case:{case_pk}"


def precedent_document(case: Case) -> PrecedentDocument:
    patient = PatientInfo.objects.filter(case=case).values_list("name", "name_kana").first()
    text = f"{case.narrative}\n{case.patient_demands}"
    payout = case.assessment.total if case.has_assessment() else None
    return PrecedentDocument(
        key=precedent_key(case.pk),
        label=case.reference,
        claim_date=case.claim_date,
        procedure_field=case.procedure.field,
        procedure=case.procedure.name,
        complaint_types=tuple(case.complaint_types),
        outcome=case.state,
        payout_yen=payout,
        is_open=case.state in OPEN_STATES,
        text=scrub(text, names=tuple(n for n in (patient or ()) if n)),
    )


def precedent_documents(cases) -> Iterable[PrecedentDocument]:
    for case in cases.select_related("procedure", "assessment"):
        yield precedent_document(case)
