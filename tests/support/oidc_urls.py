"""Klubba's URLs with the OpenID Connect views, for in-process tests (klubba.urls adds them
only when single sign-on is configured at start-up)."""

from django.urls import include, path

from klubba.urls import urlpatterns as klubba_urlpatterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *klubba_urlpatterns]
