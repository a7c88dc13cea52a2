"""Wire commands. Importing this package registers every command module that exists.

``meetings_core`` is the realtime engineer's; ``meetings_live`` (substitutes, jäv, speakers,
proposals) and ``voting`` are written by their domains' engineers and register on the same
registry (``realtime.commands.registry``). A module that does not exist yet is skipped; a
module that exists but fails to import raises, so a bug is never hidden.
"""

from importlib import import_module
from importlib.util import find_spec

from realtime.commands import meetings_core  # noqa: F401

for _module in ("meetings_live", "voting"):
    if find_spec(f"realtime.commands.{_module}") is not None:
        import_module(f"realtime.commands.{_module}")
