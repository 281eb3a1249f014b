"""The workspace's messages that are not written out in a template (the states and
statuses a page shows by value, the record form's errors), named here for `make
messages`, and the record form's errors in the request's interface language."""

from __future__ import annotations

from fastapi import Request

from hexaglot.web import i18n


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a message for extraction; it is translated where it is shown."""
    return message


#: Shown by value: job statuses, record states, access values, subject kinds.
SHOWN_BY_VALUE = (
    N_("queued"), N_("running"), N_("failed"), N_("done"),
    N_("draft"), N_("published"), N_("embargoed"),
    N_("public"), N_("registered"), N_("staff"),
    N_("personal"), N_("corporate"), N_("geographic"), N_("topical"),
)

#: What each code of a record form's error says.
FIELD_ERRORS = {
    "required": N_("This field is required."),
    "date": N_("Not a date: write YYYY-MM-DD."),
    "number": N_("Not a number: write a whole number above 0."),
    "embargo": N_("An embargo needs the day it ends (YYYY-MM-DD)."),
    "invalid": N_("This value cannot be used:"),
}


def field_error(code: str, request: Request) -> str:
    """A record form error (`code`, or `invalid:<detail>`) in the request's language."""
    from hexaglot.web.templating import interface_language

    gettext = i18n.translations(interface_language(request)).gettext
    code, _, detail = code.partition(":")
    text = gettext(FIELD_ERRORS.get(code, FIELD_ERRORS["invalid"]))
    return f"{text} {detail}" if detail else text
