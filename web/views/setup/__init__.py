"""Setting up in the product: the organisation administrator's bodies, seats, substitutes and
offices, and the secretary's meetings and agendas (issue 15), replacing the Django admin.

Thin views: each parses a Django form, calls one function of ``meetings.setup`` (which checks
the right and the input and writes nothing on a refusal), and on a ``CommandError`` shows
the page again with the message next to the field it concerns (``errors.attach``) or at the
top of the form, in an ARIA live region. Plain forms posted to their own URLs: no script.
"""
