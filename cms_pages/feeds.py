"""The news feed (RSS 2.0), served by the news index at /news/feed/."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail.rich_text import expand_db_html

from .models.news import NEWS_IN_FEED, NewsIndexPage, NewsPage
from .seo import absolute_url


class NewsFeed(Feed):
    """The latest news of one index. Links are on the site's public address (SITE_URL), as in
    the sitemap and the share tags, never the host a request happened to name."""

    feed_type = Rss201rev2Feed
    language = "ja"

    def __init__(self, *, index: NewsIndexPage):
        super().__init__()
        self.index = index

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index):
        return f"{index.title} | {settings.WAGTAIL_SITE_NAME}"

    def link(self, index):
        return absolute_url(index.get_url(self.request))

    def feed_url(self, index):
        return absolute_url(index.get_url(self.request) + index.reverse_subpage("feed"))

    def description(self, index):
        return index.search_description or f"{settings.WAGTAIL_SITE_NAME}からのお知らせ"

    def items(self, index):
        return index.news()[:NEWS_IN_FEED]

    def item_title(self, item: NewsPage):
        return item.title

    def item_description(self, item: NewsPage):
        # Internal page and document links stored as ids become real URLs.
        return expand_db_html(item.body)

    def item_link(self, item: NewsPage):
        return absolute_url(item.get_url(self.request))

    def item_pubdate(self, item: NewsPage):
        # The news' date is a day in Tokyo; its midnight there is the moment it stands for.
        return datetime.combine(item.date, time.min, tzinfo=timezone.get_default_timezone())
