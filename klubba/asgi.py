"""ASGI entry point: HTTP through Django, websockets through Channels with origin checks."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klubba.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from realtime.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application})


def tune_garbage_collector() -> None:
    """A server that holds thousands of sockets keeps millions of long-lived objects, and with
    Python's default thresholds (700, 10, 10) it ran full collections of 65-190 ms in the
    middle of a vote, stalling every socket of the process (docs/performance.md). Everything
    that exists once the application is loaded is moved out of the collector's way, and the
    young generation is collected less often. ``KLUBBA_GC_THRESHOLDS`` ("0" keeps Python's
    defaults) overrides the thresholds."""
    setting = os.environ.get("KLUBBA_GC_THRESHOLDS", "10000,50,1000")
    if setting.strip() == "0":
        return
    gc.freeze()
    gc.set_threshold(*(int(part) for part in setting.split(",")))


tune_garbage_collector()
