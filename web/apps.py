from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The server-rendered pages: they read through the domain apps' selectors and snapshots
    and change state only through their commands. One model (a person's chosen language), no
    registries."""

    name = "web"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from web.language import remember_at_login

        user_logged_in.connect(remember_at_login, dispatch_uid="web.language.remember_at_login")
