from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .mixins import JapaneseSearchMixin, stream_plain_text

#: News items on one page of the index. Defaults to 10.
NEWS_PER_PAGE = 10
#: News items in the feed (readers only look for what is new).
NEWS_IN_FEED = 20


class NewsIndexPage(RoutablePageMixin, JapaneseSearchMixin, Page):
    """お知らせ: the association's news, newest first, paginated, with an RSS feed at feed/."""

    intro = RichTextField(verbose_name="前文", blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["cms_pages.NewsPage"]

    class Meta:
        verbose_name = "お知らせ一覧"

    def plain_text(self) -> str:
        return stream_plain_text(self.intro)

    def news(self):
        """The published news under this index, newest first."""
        return NewsPage.published().child_of(self)

    def news_page(self, number) -> PaginatorPage:
        """One page of `news()`; a missing or wrong number gives the first or last page."""
        return Paginator(self.news(), NEWS_PER_PAGE).get_page(number)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news_page"] = self.news_page(request.GET.get("page"))
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        # Imported here: the feed module imports this one.
        from ..feeds import NewsFeed

        return NewsFeed(index=self)(request)

    @property
    def feed_url(self) -> str:
        return self.url + self.reverse_subpage("feed")


class NewsPage(JapaneseSearchMixin, Page):
    """One news item (お知らせ). Its date is the one shown; it goes live through the same
    moderation as every page (公開承認), and may be scheduled (go-live time) like any page."""

    date = models.DateField(
        "日付", default=timezone.localdate, help_text="一覧・トップページ・RSSに表示する日付です"
    )
    body = RichTextField(
        verbose_name="本文",
        features=["h2", "h3", "bold", "ol", "ul", "link", "document-link"],
    )

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("body")]

    parent_page_types = ["cms_pages.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "お知らせ"

    def plain_text(self) -> str:
        return stream_plain_text(self.body)

    @classmethod
    def published(cls):
        """Live, public news, newest date first (the later-created first within a day)."""
        return cls.objects.live().public().order_by("-date", "-pk")

    @classmethod
    def latest(cls, count: int = 3):
        return cls.published()[:count]
