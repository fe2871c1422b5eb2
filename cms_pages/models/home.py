from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from ..blocks import HomeStreamBlock
from .mixins import JapaneseSearchMixin, stream_plain_text
from .news import NewsIndexPage, NewsPage


class HomePage(JapaneseSearchMixin, Page):
    body = StreamField(HomeStreamBlock(), verbose_name="本文")

    content_panels = Page.content_panels + [FieldPanel("body")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms_pages.CommitteeIndexPage",
        "cms_pages.FaqPage",
        "cms_pages.FormPage",
        "cms_pages.AboutPage",
        "cms_pages.ContactPage",
        "cms_pages.ContentPage",
        "cms_pages.NewsIndexPage",
    ]

    class Meta:
        verbose_name = "トップページ"

    def plain_text(self) -> str:
        return stream_plain_text(self.body.raw_data)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = NewsPage.latest(3)
        context["news_index"] = NewsIndexPage.objects.live().first()
        return context
