from django.urls import include, path

from .views import member

app_name = "casework_portal"

urlpatterns = [
    path("", member.my_page, name="my_page"),
    path("report/", member.report_case, name="report"),
    path("cases/<str:reference>/", member.case_detail, name="case"),
    path("cases/<str:reference>/messages/", member.post_message, name="message"),
    path("cases/<str:reference>/attachments/", member.upload_attachment, name="upload"),
    path(
        "cases/<str:reference>/attachments/<int:pk>/", member.download_attachment, name="attachment"
    ),
    path("cases/<str:reference>/actions/<slug:name>/", member.take_action, name="action"),
    path("renewal/", include("casework.enrollment.renewal_urls")),
]
