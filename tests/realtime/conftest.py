"""Every realtime test cancels the presence timers it left running (see tests.support.sockets)."""

from tests.support.sockets import _no_leftover_presence_timers  # noqa: F401 - autouse fixture
