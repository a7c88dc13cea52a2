"""The setup pages' forms: parsing and the widgets' labels only; every rule is checked by
``meetings.setup`` (the forms catch what cannot even be parsed: a date, a number)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from meetings.models import Body, BodyRole
from meetings.setup.bodies import BODY_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SetupForm(forms.Form):
    """Errors from the domain are attached by field name; names the form does not have go
    to the top of the form (``non_field_errors``)."""

    #: The domain's argument names that this form shows under another field.
    aliases: dict[str, str] = {}

    def field_for(self, name: str) -> str | None:
        name = self.aliases.get(name, name)
        return name if name in self.fields else None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=DATETIME_FORMAT)


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput())


def _body_fields() -> dict[str, forms.Field]:
    fields = fields_for_model(Body, fields=BODY_FIELDS)
    fields["name"].label = _("Name of the body")
    fields["kind"].label = _("Kind of body")
    fields["organisation"].label = _("Organisation (municipality or association)")
    fields["seats_count"].label = _("Number of seats")
    for name, field in fields.items():
        if isinstance(field, forms.BooleanField):
            field.required = False
        elif isinstance(field, forms.CharField):
            field.widget.attrs.setdefault("autocomplete", "off")
        if name not in ("name", "kind", "organisation", "seats_count"):
            field.label = _capital(field.label)
    return fields


def _capital(label: Any) -> str:
    text = str(label)
    return text[:1].upper() + text[1:]


class BodyForm(SetupForm):
    """A body's name, kind and rules (the model's fields, labelled as the model labels them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_body_fields())


class PersonFields(SetupForm):
    """Who: looked up by e-mail address, created when there is no such person yet."""

    aliases = {"member_id": "email", "user_id": "email"}

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("A person who already has a login is found by this address."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class TermFields(forms.Form):
    term_start = _date(_("Term of office from"))
    term_end = _date(_("Term of office until"))


class SeatForm(PersonFields, TermFields):
    number = forms.IntegerField(
        label=_("Seat number"), required=False, min_value=1,
        help_text=_("Leave empty for the lowest free seat."))
    party = forms.CharField(label=_("Party"), max_length=80, required=False)
    weight = forms.IntegerField(label=_("Vote weight"), min_value=1, initial=1)

    field_order = ["first_name", "last_name", "email", "number", "party", "weight",
                   "term_start", "term_end"]


class SeatChangeForm(PersonFields, TermFields):
    """The seat's number, party, weight and term; and, when an address is given, a new
    member on the seat (fyllnadsval)."""

    number = forms.IntegerField(label=_("Seat number"), min_value=1)
    party = forms.CharField(label=_("Party"), max_length=80, required=False)
    weight = forms.IntegerField(label=_("Vote weight"), min_value=1)

    field_order = ["number", "party", "weight", "term_start", "term_end", "first_name",
                   "last_name", "email"]
    #: The fields of the new member (shown apart, under their own heading).
    new_member = ("first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("last_name", "email"):
            self.fields[name].required = False
        self.fields["email"].help_text = _(
            "Only for a new member on the seat (fyllnadsval); leave empty to keep the member.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("first_name") or data.get("last_name")
        if named and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the new member's e-mail address."))
        return data


class SubstituteForm(PersonFields, TermFields):
    party = forms.CharField(label=_("Party"), max_length=80, required=False)
    call_in_order = forms.IntegerField(
        label=_("Place in the call-in order"), required=False, min_value=1,
        help_text=_("Leave empty to put the substitute last."))

    field_order = ["first_name", "last_name", "email", "party", "call_in_order",
                   "term_start", "term_end"]


class SubstituteChangeForm(SetupForm, TermFields):
    party = forms.CharField(label=_("Party"), max_length=80, required=False)


class OfficeForm(PersonFields):
    """An office for one of the body's people (``person``), or for someone else given by
    name and e-mail address (a secretary is usually an official, not a member)."""

    role = forms.ChoiceField(label=_("Office"), choices=BodyRole.Role.choices)
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False,
                                    empty_value=None)

    field_order = ["role", "person", "first_name", "last_name", "email"]

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        someone_else = ("", _("Someone else (name and e-mail below)"))
        cast(forms.ChoiceField, self.fields["person"]).choices = [someone_else, *people]
        for name in ("last_name", "email"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Choose one of the body's people above, or enter the "
                                      "e-mail address of someone else."))
        return data


class MeetingForm(SetupForm):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Meeting"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput(),
                                    input_formats=[DATETIME_FORMAT])
    ends_at = forms.DateTimeField(label=_("Planned end"), required=False,
                                  widget=DateTimeInput(), input_formats=[DATETIME_FORMAT])
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False,
        help_text=_("Leave empty for a fully digital meeting (digitalt sammanträde)."))
    video_link = forms.URLField(
        label=_("Video conference link"), required=False, assume_scheme="https",
        help_text=_("For members who take part remotely."))
    is_public = forms.BooleanField(
        label=_("Open to the public"), required=False,
        help_text=_("A council (fullmäktige) meets in public; a committee usually does not."))


class ItemForm(SetupForm):
    title = forms.CharField(label=_("Title of the item"), max_length=300)
    case_number = forms.CharField(label=_("Case number (Dnr)"), max_length=60, required=False,
                                  help_text=_("For example “SBN 2026/112”."))
    presenter = forms.CharField(
        label=_("Presenting official (föredragande)"), max_length=200, required=False,
        help_text=_("Name and title: for example “Anna Berg, förvaltningschef”."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    prepared_proposal = forms.CharField(label=_("Prepared proposal (beslutsförslag)"),
                                        required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confidential = forms.BooleanField(
        label=_("Confidential (sekretess): a closed item, placed last"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "case_number", "presenter"):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class AttachmentForm(SetupForm):
    title = forms.CharField(label=_("Title of the document"), max_length=200, required=False,
                            help_text=_("Leave empty to use the file name."))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from meetings.setup.attachments import allowed_types, max_bytes

        super().__init__(*args, **kwargs)
        mb = max(1, round(max_bytes() / (1024 * 1024)))
        self.fields["file"].help_text = _("At most %(mb)s MB; %(types)s.") % {
            "mb": mb, "types": ", ".join(allowed_types())}
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{t}" for t in allowed_types())


class CopyForm(SetupForm):
    aliases = {"source_meeting_id": "source"}

    source = forms.TypedChoiceField(label=_("Copy the agenda of"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = choices


class ActionForm(SetupForm):
    """A button's post (move, remove): no fields; a refusal goes to the top of the page."""
