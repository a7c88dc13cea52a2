"""An organisation administrator for setup tests (``meetings.administer_organisation``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission


def make_organisation_admin(username: str = "orgadmin"):
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, first_name="Org", last_name="Admin")
    user.user_permissions.add(Permission.objects.get(
        codename="administer_organisation", content_type__app_label="meetings"))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions
