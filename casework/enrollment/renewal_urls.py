"""The renewal (継続) pages of マイページ, mounted under /mypage/renewal/ by casework.urls."""

from django.urls import path

app_name = "renewal"

urlpatterns: list = []
