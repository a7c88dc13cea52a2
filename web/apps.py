from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The server-rendered pages: they read through the domain apps' selectors and snapshots
    and change state only through their commands. No models, no registries."""

    name = "web"
    verbose_name = _("Pages")
