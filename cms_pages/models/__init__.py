from .committee import CommitteeIndexPage, CommitteeMemberPage
from .faq import FaqPage
from .forms import FormField, FormPage
from .home import HomePage

__all__ = [
    "CommitteeIndexPage",
    "CommitteeMemberPage",
    "FaqPage",
    "FormField",
    "FormPage",
    "HomePage",
]
