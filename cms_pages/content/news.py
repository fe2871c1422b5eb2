"""お知らせ: the index only. The source has no news, so the site starts with none (the home page
hides its news section until the first item is published)."""

NEWS_INDEX = {
    "title": "お知らせ",
    "slug": "news",
    "search_description": "一般社団法人 日本美容医療リスクマネジメント協会からのお知らせ。",
    "intro": "",
}
