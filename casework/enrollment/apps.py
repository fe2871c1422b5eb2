from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "casework.enrollment"
    label = "enrollment"
    verbose_name = "オンライン加入"
