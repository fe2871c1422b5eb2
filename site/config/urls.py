from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms_pages.seo import SITEMAPS, favicon, robots_txt
from cms_pages.site_search import site_search_page

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Member/staff login, logout, password reset, staff two-factor authentication.
    path("accounts/", include("casework.accounts.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", site_search_page, name="site_search"),
    path("mypage/", include("casework.urls")),
    # Online enrolment (オンライン加入): the public application.
    path("join/", include("casework.enrollment.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}),
    path("robots.txt", robots_txt),
    # Browsers ask for /favicon.ico whatever the page says: the association's mark.
    path("favicon.ico", favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
