from django.urls import path

from . import views

app_name = "enrollment"

urlpatterns = [
    path("", views.step, name="start"),
    path("done/", views.done, name="done"),
    path("<slug:name>/", views.step, name="step"),
]
