from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from identity.views.login import LoginView

# Uploaded files (agenda documents) are never served from MEDIA_URL directly, not even with
# DEBUG on: the pages' document view (web.views.documents) checks who may read them
# (confidential items).
#: The readable 403 page; it links a public meeting's public view (web.views.errors).
handler403 = "web.views.errors.permission_denied"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("konto/", include("identity.urls")),
    path("konto/passkey/", include("identity.passkeys")),
    # The JSON API for scripted clients (docs/api.md): OpenAPI at /api/v1/openapi.json.
    path("api/v1/", include(("api.urls", "api"), namespace="api")),
    path("", include("web.urls")),
]

if settings.OIDC_RP_CLIENT_ID:  # single sign-on is configured (docs/operations.md)
    urlpatterns.insert(-1, path("oidc/", include("mozilla_django_oidc.urls")))
