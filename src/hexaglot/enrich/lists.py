"""Speakers named in lists: closing lists of delegations and headlines that name them."""

from __future__ import annotations

from hexaglot.enrich.candidates import P, Reading, SpeakerMention


def closing_lists(t: Reading) -> list[SpeakerMention]:
    """Delegations of a closing list not already found by `candidates.delegates`."""
    return []


def headline_delegations(t: Reading, headline: str) -> list[SpeakerMention]:
    """Speakers a headline names when the body names none: the role of `…, Says Permanent
    Representative`."""
    m = P["headline_role"].search(headline)
    if m:
        role = m.group("a") or m.group("b")
        at = t.text.find(role, 0, t.body_start)
        return [SpeakerMention(start=0, role=role, spans=[(at, at + len(role))] if at >= 0
                               else [(0, 0)])]
    return []
