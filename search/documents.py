"""What the precedent index holds: one document per past case, with nothing identifying a patient."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Payout bands for the facet (upper bound in yen, label); None: no payout.
PAYOUT_BANDS = [
    (1_000_000, "100万円以下"),
    (5_000_000, "100万円超〜500万円"),
    (10_000_000, "500万円超〜1,000万円"),
    (None, "1,000万円超"),
]
NO_PAYOUT = "支払なし"


def payout_band(payout_yen: int | None) -> str:
    if not payout_yen:
        return NO_PAYOUT
    return next(label for limit, label in PAYOUT_BANDS if limit is None or payout_yen <= limit)


def filter_token(name: str, value) -> str:
    """The full-text token that stands for one filter value (outcome=liable): "zf" and a short
    digest, ASCII letters and digits only, so that every tokenizer keeps it whole and no
    analysed word can look like it. Filters then narrow the full-text match itself, and a
    filtered search never reads the table row by row."""
    return "zf" + hashlib.blake2s(f"{name}={value}".encode(), digest_size=6).hexdigest()


# Reviewers see closed cases only: a token every closed case has (a positive condition, which a
# GIN index answers without reading the row, as it could not a negated one).
CLOSED_TOKEN = filter_token("is_open", False)

# The owner of an entry indexed before owners were recorded (migration 0008), until
# rebuild_precedent_index writes its real one. Nobody can tell whose it is, so a search that
# leaves any owner out leaves it out too.
UNRECORDED_OWNER = "?"


def owners_left_out(owners: Iterable[str]) -> frozenset[str]:
    """The owners a search excluding `owners` must leave out: those, and the unrecorded one."""
    owners = frozenset(owners)
    return owners | {UNRECORDED_OWNER} if owners else owners


@dataclass(frozen=True)
class PrecedentDocument:
    key: str  # "case:<pk>" for a case of the platform, "import:<external id>" for history
    label: str  # what a person sees: the reference number or the external id
    claim_date: date | None
    procedure_field: str  # casework.choices.ProcedureField value
    procedure: str
    complaint_types: tuple[str, ...]  # casework.choices.ComplaintType values
    outcome: str  # casework.choices.CaseState value
    payout_yen: int | None
    is_open: bool  # open cases are shown to staff only, marked as such
    text: str  # narrative and demands, already scrubbed of patient data
    # Whose case this is, in the application's own opaque terms ("f:12"), so that a search can
    # leave out the cases of given owners (exclude_owners); "" for nobody's.
    owner: str = ""

    @property
    def searchable_text(self) -> str:
        """What every backend analyses: the procedure's name counts like the narrative."""
        return f"{self.procedure}\n{self.text}"

    @property
    def payout_band(self) -> str:
        return payout_band(self.payout_yen)

    @property
    def claim_year(self) -> int | None:
        return self.claim_date.year if self.claim_date else None

    @property
    def filter_terms(self) -> str:
        """The filter tokens of this case (see filter_token), one per value it can be
        filtered by or left out by (its owner), and CLOSED_TOKEN for a closed case."""
        values = [
            ("procedure_field", self.procedure_field),
            ("procedure", self.procedure),
            ("outcome", self.outcome),
            ("payout_band", self.payout_band),
            ("year", self.claim_year),
            ("owner", self.owner),
            *(("complaint_type", code) for code in self.complaint_types),
        ]
        tokens = [filter_token(name, value) for name, value in values if value not in (None, "")]
        return " ".join([*tokens, *([] if self.is_open else [CLOSED_TOKEN])])
