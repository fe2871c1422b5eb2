"""Cases as precedent-search documents. The patient's name is read here, only to scrub it out:
the search app never sees the patient model. Each document's owner is its facility, in terms the
search app does not interpret ("f:<pk>"), so that a reviewer's conflicts of interest can be left
out of every search without the search app knowing facilities or reviewers."""

from collections.abc import Iterable

from search.documents import PrecedentDocument
from search.scrub import scrub

from .choices import OPEN_STATES
from .models import Case, PatientInfo
from .selectors import conflicted_facilities


def precedent_key(case_pk: int) -> str:
    return f"case:{case_pk}"


def precedent_owner(facility_pk: int) -> str:
    return f"f:{facility_pk}"


def precedent_owners_hidden_from(*, user) -> frozenset[str]:
    """The owners whose precedents `user` must not see (search and similar cases take them as
    exclude_owners): the facilities they declared a conflict of interest with. Whatever the
    user's role: a precedent is never needed to handle a case, and nothing about a conflicted
    facility's cases should reach its reviewer."""
    facilities = conflicted_facilities(user=user).values_list("pk", flat=True)
    return frozenset(precedent_owner(pk) for pk in facilities)


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
        owner=precedent_owner(case.facility_id),
    )


def precedent_documents(cases) -> Iterable[PrecedentDocument]:
    for case in cases.select_related("procedure", "assessment"):
        yield precedent_document(case)
