import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The association's content, loaded once; each test runs in a transaction rolled back after."""
    with django_db_blocker.unblock():
        call_command("load_site_content", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache outlives a test's rolled-back transaction; never let one test see another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _full_text_index_follows_flush(request, django_db_blocker):
    """A transactional test ends with Django emptying every model's table; SQLite's full-text
    index is no model, so empty it too, or the next test would find rows of entries long gone."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        from search.backends.sql import Dialect

        with django_db_blocker.unblock():
            Dialect().clear()


@pytest.fixture
def site_pages(db):
    from cms_pages.models import CommitteeIndexPage, FaqPage, FormPage, HomePage

    return {
        "home": HomePage.objects.get(),
        "committee": CommitteeIndexPage.objects.get(),
        "faq": FaqPage.objects.get(),
        "request": FormPage.objects.get(slug="request"),
    }
