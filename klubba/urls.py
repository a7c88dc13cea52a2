from django.contrib import admin
from django.urls import include, path

# Uploaded files (agenda documents) are never served from MEDIA_URL directly, not even with
# DEBUG on: the pages' document view (web.views.documents) checks who may read them
# (confidential items).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("konto/", include("identity.urls")),
    path("", include("web.urls")),
]
