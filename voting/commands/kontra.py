"""Kontrapropositionsvotering: the steps come from ``voting.tally.KontraPlan``; this module
keeps the plan in a row, links each step's vote or acclamation to it and advances it."""

from __future__ import annotations

from meetings.contract import CommandContext, Emit, meeting_command
from meetings.errors import CommandError
from meetings.models import AgendaItem, Proposal
from meetings.refs import proposal_ref
from meetings.roles import require_control, require_open
from voting.commands.common import active_item, proposal_on
from voting.errors import VotingError
from voting.events import KontraProgress, KontraStarted, StepRef
from voting.events import VotingEventType as E
from voting.models import KontraVoting, PropositionOrder
from voting.tally import KontraPlan, Step


def plan_of(kontra: KontraVoting) -> KontraPlan:
    """Rebuild the immutable plan from the stored history (ids as strings, as tally wants)."""
    plan = KontraPlan.start(
        proposals=[str(i) for i in kontra.proposal_ids], main=str(kontra.main_proposal_id)
    )
    for entry in kontra.history:
        step = plan.next_step()
        assert step is not None
        plan = plan.record(step, str(entry["winner"]))
    return plan


def step_ref(step: Step) -> StepRef:
    return StepRef(number=step.number, kind=step.kind, first_proposal_id=int(step.first),
                   second_proposal_id=int(step.second))


def optional_step_ref(step: Step | None) -> StepRef | None:
    return None if step is None else step_ref(step)


def running_kontra(item: AgendaItem) -> KontraVoting | None:
    return KontraVoting.objects.select_for_update().filter(
        item=item, state=KontraVoting.State.RUNNING
    ).first()


def link_step(
    item: AgendaItem, first: Proposal, second: Proposal | None
) -> tuple[KontraVoting | None, int | None]:
    """If a kontra round runs and a pair is put, it must be the plan's next step."""
    kontra = running_kontra(item)
    if kontra is None or second is None:
        return None, None
    step = plan_of(kontra).next_step()
    assert step is not None
    if (str(first.pk), str(second.pk)) != (step.first, step.second):
        raise CommandError(VotingError.KONTRA_STEP_MISMATCH, expected=step_ref(step))
    return kontra, step.number


def advance(
    kontra: KontraVoting, *, step_number: int, winner_id: int, vote_id: int | None = None,
    acclamation_id: int | None = None,
) -> KontraProgress:
    """Record a decided step; return the payload piece the closing event carries."""
    plan = plan_of(kontra)
    step = plan.next_step()
    assert step is not None and step.number == step_number
    plan = plan.record(step, str(winner_id))
    kontra.history = [*kontra.history, {
        **step_ref(step), "winner": winner_id, "vote_id": vote_id,
        "acclamation_id": acclamation_id,
    }]
    fields = ["history"]
    if plan.done:
        kontra.state = KontraVoting.State.DONE
        kontra.winner_id = int(plan.winner) if plan.winner is not None else None
        fields += ["state", "winner"]
    kontra.save(update_fields=fields)
    return KontraProgress(
        kontra_id=kontra.pk, step=step_ref(step), winner_proposal_id=winner_id,
        counter_proposal_id=int(plan.counter) if plan.counter else None,
        next_step=optional_step_ref(plan.next_step()), done=plan.done,
        adopted_proposal_id=int(plan.winner) if plan.done and plan.winner else None,
    )


@meeting_command
def kontra_start(cmd: CommandContext, *, item_id: int, main_proposal_id: int) -> Emit:
    """Start the elimination among the approved order's competing proposals (formal motions
    and additions are decided on their own); ``main_proposal_id`` won the acclamation."""
    meeting = cmd.meeting
    require_control(meeting, cmd.actor)
    require_open(meeting)
    item = active_item(meeting, item_id)
    order = PropositionOrder.objects.filter(item=item, approved=True).first()
    if order is None:
        raise CommandError(VotingError.ORDER_NOT_SET, item_id=item.pk, approved=False)
    main = proposal_on(item, main_proposal_id)
    proposals = {p.pk: p for p in Proposal.objects.filter(pk__in=order.proposal_ids,
                                                          withdrawn=False)
                 .select_related("author", "entered_by")}
    competing = [
        proposals[i] for i in order.proposal_ids
        if i in proposals and not proposals[i].is_formal
        and proposals[i].kind != Proposal.Kind.ADDITION
    ]
    if main not in competing or len(competing) < 2:
        raise CommandError(VotingError.ORDER_INVALID, reason="main_must_compete_with_others")
    if KontraVoting.objects.filter(item=item, state=KontraVoting.State.RUNNING).exists():
        raise CommandError(VotingError.KONTRA_RUNNING, item_id=item.pk)
    kontra = KontraVoting.objects.create(
        item=item, proposal_ids=[p.pk for p in competing], main_proposal=main
    )
    plan = plan_of(kontra)
    first = plan.next_step()
    assert first is not None  # two or more competing proposals need at least one vote
    return Emit(E.KONTRA_STARTED, KontraStarted(
        item_id=item.pk, kontra_id=kontra.pk, main=proposal_ref(main),
        proposals=[proposal_ref(p) for p in competing],
        steps_needed=plan.steps_needed, next_step=step_ref(first),
    ))
