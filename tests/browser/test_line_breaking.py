"""On a phone (390×844), no heading or lead of the public pages leaves one character alone on a
line (「険」 under 「…医師賠償責任保」), as the browser's own line breaking did before BudouX."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/faq/", "/about/", "/privacy/", "/contact/", "/news/", "/request/", "/committee/"]

#: Headings and the short leads under them, inside the page's main content.
HEADINGS_AND_LEADS = ", ".join(
    f"main {selector}"
    for selector in (
        "h1",
        "h2",
        "h3",
        "h4",
        ".section__lead",
        ".page-intro p",
        ".hero__quote",
        ".hero__message p",
        ".point__heading",
        ".news-list__title",
    )
)

# The lines of each visible element, as the characters the browser drew on each: a character
# starts a new line when its middle is below the bottom of the line so far (so a raised <sup>
# or a smaller badge stays on its line).
LINES_JS = """
(selector) => document.querySelectorAll(selector).values().filter(
  (element) => element.getBoundingClientRect().width > 2 && element.checkVisibility()
).map((element) => {
  const lines = [];
  let bottom = -Infinity;
  const range = document.createRange();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (/\\s/.test(node.data[i])) continue;
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = [...range.getClientRects()].find((r) => r.width > 0);
      if (!rect) continue;
      if ((rect.top + rect.bottom) / 2 > bottom) {
        lines.push("");
        bottom = rect.bottom;
      }
      lines[lines.length - 1] += node.data[i];
      bottom = Math.max(bottom, rect.bottom);
    }
  }
  return lines;
}).toArray()
"""


@pytest.fixture
def demo_news(site_content):
    from django.utils import timezone

    from cms_pages.demo import demo_news_ensure

    demo_news_ensure(today=timezone.localdate())
    return "/news/demo-site-opened/"


def test_no_heading_or_lead_leaves_one_character_alone_on_a_phone(page, demo_news):
    page.set_viewport_size({"width": 390, "height": 844})
    lone = []
    measured = 0
    for path in [*PAGES, demo_news]:
        assert page.goto(path).ok, path
        for lines in page.evaluate(LINES_JS, HEADINGS_AND_LEADS):
            measured += 1
            if len(lines) > 1 and any(len(line) == 1 for line in lines):
                lone.append(f"{path}: {' / '.join(lines)}")
    assert measured > 50
    assert not lone, "\n".join(lone)
