from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """The yardstick: the smallest Django view, through the same middleware and server."""
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal), path("", include("config.urls"))]
