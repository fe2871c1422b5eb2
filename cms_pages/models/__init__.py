from .committee import CommitteeIndexPage, CommitteeMemberPage
from .content import ContentPage
from .faq import FaqPage
from .forms import FormField, FormPage
from .home import HomePage
from .news import NewsIndexPage, NewsPage
from .profile import AboutPage, ContactPage
from .site_settings import ContactSettings

__all__ = [
    "AboutPage",
    "CommitteeIndexPage",
    "CommitteeMemberPage",
    "ContactPage",
    "ContactSettings",
    "ContentPage",
    "FaqPage",
    "FormField",
    "FormPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
]
