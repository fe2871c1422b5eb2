from django.urls import include, path

from . import url_converters  # noqa: F401 (registers <code:…>)
from .views import member

app_name = "casework_portal"

urlpatterns = [
    path("", member.my_page, name="my_page"),
    path("report/", member.report_case, name="report"),
    path("cases/<code:reference>/", member.case_detail, name="case"),
    path("cases/<code:reference>/messages/", member.post_message, name="message"),
    path("cases/<code:reference>/attachments/", member.upload_attachment, name="upload"),
    path(
        "cases/<code:reference>/attachments/<int:pk>/",
        member.download_attachment,
        name="attachment",
    ),
    path("cases/<code:reference>/actions/<slug:name>/", member.take_action, name="action"),
    path("staff/", member.staff, name="staff"),
    path("staff/<int:pk>/role/", member.staff_role, name="staff_role"),
    path("staff/<int:pk>/remove/", member.staff_remove, name="staff_remove"),
    path("staff/<int:pk>/resend/", member.staff_resend, name="staff_resend"),
    path("staff/<int:pk>/cancel/", member.staff_cancel, name="staff_cancel"),
    path("renewal/", include("casework.enrollment.renewal_urls")),
]
