"""The login page: the password form (unless the organisation switched local passwords
off) and the button for single sign-on (when a provider is configured)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView as DjangoLoginView

from identity.backends import local_passwords_enabled


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def login_context() -> dict[str, Any]:
    """What the login page shows besides the form (also on the lockout page,
    ``identity.throttle.lockout_response``)."""
    return {"sso_enabled": sso_enabled(),
            "sso_name": getattr(settings, "KLUBBA_OIDC_PROVIDER_NAME", ""),
            "local_passwords": local_passwords_enabled()}


class LoginView(DjangoLoginView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(login_context())
        return context
