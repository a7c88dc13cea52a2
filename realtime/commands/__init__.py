"""Wire commands: one module per domain lists its commands; ``register_all`` (called from
``RealtimeConfig.ready``) puts them on the registry (``realtime.commands.registry``)."""

from realtime.commands import meetings_core, meetings_live, voting
from realtime.commands.registry import register


def register_all() -> None:
    for command in [*meetings_core.CORE_COMMANDS, *meetings_live.LIVE_COMMANDS,
                    *voting.VOTING_COMMANDS]:
        register(command)
