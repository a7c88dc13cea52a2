"""Setting up the organisation's bodies, people, meetings and agendas in the product.

Plain functions with keyword-only, typed arguments; each checks the actor's right first
(``meetings.setup.access``: the organisation administrator for bodies, seats, substitutes,
offices and people; the body's secretary, or the administrator, for meetings and agendas)
and refuses bad input with a typed ``CommandError`` (``meetings.errors``) before anything is
written. The pages (``web``) and the JSON API (``api``) call these and nothing else.

Agenda changes are meeting commands (``meetings.contract``), logged as ``agenda.*`` events.
"""

from meetings.setup.access import (
    ADMIN_PERMISSION,
    bodies_visible_to,
    is_body_secretary,
    is_organisation_admin,
    may_plan_meetings,
)
from meetings.setup.agenda import (
    ItemDraft,
    agenda_copy,
    agenda_import,
    agenda_item_add,
    agenda_item_change,
    agenda_item_remove,
    agenda_reorder,
)
from meetings.setup.attachments import attachment_add, attachment_remove
from meetings.setup.bodies import body_create, body_update
from meetings.setup.offices import office_assign, office_remove
from meetings.setup.people import person_find_or_create
from meetings.setup.schedule import meeting_create, meeting_update
from meetings.setup.seats import seat_add, seat_remove, seat_update
from meetings.setup.substitutes import (
    substitute_add,
    substitute_remove,
    substitute_update,
    substitutes_reorder,
)

__all__ = [
    "ADMIN_PERMISSION", "ItemDraft", "agenda_copy", "agenda_import", "agenda_item_add",
    "agenda_item_change", "agenda_item_remove", "agenda_reorder", "attachment_add",
    "attachment_remove", "bodies_visible_to", "body_create", "body_update",
    "is_body_secretary", "is_organisation_admin", "may_plan_meetings", "meeting_create",
    "meeting_update", "office_assign", "office_remove", "person_find_or_create", "seat_add",
    "seat_remove", "seat_update", "substitute_add", "substitute_remove", "substitute_update",
    "substitutes_reorder",
]
