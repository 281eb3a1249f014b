"""Precompiled phrase patterns shared by the speaker extractor."""

from __future__ import annotations

import re


def words(text: str) -> list[str]:
    """The whitespace-separated words of a text (for word lists written as one string)."""
    return text.split()


#: Upper-case letters (Latin with diacritics) for names.
U = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
_NT = rf"(?:[{U}]\.(?:[ ]?[{U}]\.)?|[{U}](?:[\w\-]|'(?!s\b))*\w)"
_PARTICLE = r"(?:de|da|van|von|der|den|bin|ibn|al|el|del|la|le|dos|das|du|di|y|ben|ter)"
NAME = rf"{_NT}(?:[ ]+(?:{_PARTICLE}[ ]+)*{_NT}){{0,6}}"

SPEECH_VERBS = (
    "said|says|stated|told|noted|stressed|emphasized|emphasised|underscored|underlined|urged|"
    "called|expressed|voiced|hailed|declared|added|warned|observed|pointed|recalled|welcomed|"
    "briefed|described|highlighted|reported|explained|asked|appealed|cited|acknowledged|"
    "affirmed|reaffirmed|agreed|argued|commended|condemned|introduced|presented|proposed|"
    "regretted|remarked|reiterated|echoed|announced|deplored|insisted|maintained|praised|spoke|"
    "thanked|outlined|drew|shared|questioned|rejected|lamented|concluded|opened|informed|"
    "pressed|encouraged|requested|detailed|delivered|addressed|updated|gave|offered|cautioned|"
    "recounted|contended|suggested|continued|assured|clarified|criticized|denounced|objected|"
    "responded|replied|applauded|congratulated|mentioned|referred|recognized|underlined|"
    "went on|took the floor|made|closed|issued|read out|tells|briefs|urges|warns|notes|stresses|calls|expresses"
)
PARTICIPLES = (
    "speaking|saying|calling|noting|stressing|emphasizing|adding|urging|expressing|"
    "underscoring|highlighting|describing|warning|citing|pointing|recalling|welcoming|voicing|"
    "reiterating|explaining|disassociating|dissociating|introducing|presenting|briefing|"
    "explaining|taking|echoing|arguing|regretting|deploring|insisting|objecting"
)
_ADV = r"(?:(?:also|then|further|later|similarly|likewise|again|first|however|today|\w+ly)[ ]+)?"

_TITLES = (
    r"President|Vice-President|Minister|Secretary|Secretary-General|Representative|"
    r"Ambassador|Chair|Chairman|Chairperson|Chairwoman|Director|Director-General|Envoy|Adviser|"
    r"Advisor|Commissioner|Coordinator|Head|Chief|Rapporteur|Officer|Prosecutor|Judge|"
    r"Administrator|Under-Secretary-General|Founder|Co-Founder|Member|Professor|Deputy|"
    r"Spokesperson|Commander|Observer|Delegate|Governor|Mayor|Leader|Chancellor|Counsellor|"
    r"Attorney|Fellow|Activist|Expert|Researcher|Lecturer|Manager|Executive|Registrar|Queen|"
    r"King|Emir|Senator|Ombudsperson|Facilitator|Vice-Chair|Rapporteurs|Controller")
#: `NAME [(COUNTRY)] [, ROLE]` — a named person, possibly with affiliation and role.
PERSON = re.compile(
    rf"(?P<name>{NAME})(?:[ ]*\([ ]*(?P<paren>[^()\n]{{2,80}}?)[ ]*\))?"
    rf"(?:,[ ]+(?=[^,;:\n]*?\b(?i:{_TITLES})\b)"
    rf"(?!(?:who|which|whose|where|when|while|whom|that)\b)"
    rf"(?P<role>(?:the[ ]+|an?[ ]+)?[{U}0-9a-z][^,;:()\n]*?(?:\([^()\n]*\)[^,;:()\n]*?)?)"
    r"(?=[,.;:]))?"
)
#: Further comma-separated parts of a long role: `…, Peace and Security of the African Union`.
ROLE_MORE = re.compile(rf"(?:,[ ]+(?:and[ ]+)?[{U}][^,;.:()\n]*){{1,2}}(?=,[ ]+(?:{_ADV})"
                       r"(?:[a-z]+ed|said|spoke|told|gave|drew|made)\b)")
#: What may follow a speaker's name/role: an optional `who …` clause, then a speech verb.
AFTER_VERB = re.compile(
    rf",?[ ]+(?P<who>who[ ][^.;]*?,[ ]+|who[ ]+)?{_ADV}(?:{SPEECH_VERBS}|{PARTICIPLES})\b")
#: What may precede a speaker's name: `,” said`, `by`, `from`, `was`, a colon.
BEFORE_TRIGGER = re.compile(
    r"(?:[\"”'],?[ ]+(?:said|says|added|asked|continued)|(?P<by>\bby)|\bfrom|\bwas|\bwere|\bincluding"
    r"|\bas well as|:|[\"“”])"
    r"[ ]*,?[ ]*$")
#: A sentence that lists briefers: `… heard briefings by A, ROLE, and B, ROLE.`
BRIEFERS = re.compile(r"\b(?:briefings?|statements?|remarks)[ ]+(?:by|from)\b|\bheard[ ]+from\b"
                      r"|\b(?:[Bb]riefing|[Ss]peaking|[Aa]ddressing|[Pp]articipating)\b[^.]{0,40}?"
                      r"\bwere\b")
#: What makes `by NAME` a speaker: `presented by`, `issued … by`, `briefings by`, …
BY_CONTEXT = re.compile(
    r"\b(?:presented|introduced|issued|delivered|read|made|briefed|briefings?|statements?|"
    r"remarks|chaired|opened|moderated|given|addressed|heard|opening|closing|welcomed)\b"
    r"[^.;]{0,60}$")
#: Honorific and surname followed by a speech verb: `Ms. Rugwabiza said`.
HONORIFIC = re.compile(rf"\b(?:Mr|Ms|Mrs|Dr)\.?[ ]+(?P<name>{_NT}(?:[ ]+{_NT})?)(?=[ ,])")
#: Delegates named by the State or organization they represent.
DELEGATE_OF = re.compile(
    r"(?<!Special )(?<!Personal )(?<!High )(?<!Executive )\b(?P<role>(?:Deputy[ ]+)?Permanent[ ]+"
    r"(?:Representative|Observer)s?|[Rr]epresentatives?|[Dd]elegates?|[Oo]bservers?|Ambassadors?|"
    r"Ministers?[ ]+(?:for|of)[ ]+Foreign[ ]+Affairs|Foreign[ ]+Ministers?|Prime[ ]+Ministers?|"
    r"Heads?[ ]+of[ ]+(?:State|Government)(?:[ ]+and[ ]+Government)?)"
    r"[ ]+(?:of|for|from)[ ]+"
    r"|\b(?P<role3>[Ss]peakers?)[ ]+(?:for|from)[ ]+"
    r"|\b(?P<role2>following|these)[ ]+(?:countries|States|Member[ ]+States|delegations|speakers)"
    r"[^:.\n]{0,60}:[ ]*")
POSSESSIVE_ROLE = re.compile(
    r"(?:'s|')[ ]+(?:(?:new|former|acting|own)[ ]+)?(?P<role>(?:Deputy[ ]+)?Permanent[ ]+"
    r"(?:Representative|Observer)|representative|delegate|[Oo]bserver|Ambassador|Foreign[ ]+Minister|Minister[ ]+for[ ]+"
    r"Foreign[ ]+Affairs|Prime[ ]+Minister|delegation)\b")
ATTRIBUTIVE_ROLE = re.compile(
    r"[ ]+(?P<role>representative|delegate|delegation|observer|Ambassador|Permanent[ ]+"
    r"Representative)\b")
#: `NAME of the United States said`: a State or organization right after a name.
OF_ENTITY = re.compile(r"[ ]+of[ ]+")
LIST_SEPARATOR = re.compile(r"(?:[ ]*\([^()\n]{0,80}\)|,[ ]+(?:speaking[ ]+)?(?:also[ ]+)?on[ ]+behalf"
                            r"[ ]+of[ ]+[^,;.()\n]{1,80}(?:\([^()\n]{0,20}\))?(?=,))?"
                            r"(?:,[ ]*(?:and[ ]+|as[ ]+well[ ]+as[ ]+)?"
                            r"|[ ]+and[ ]+|[ ]+as[ ]+well[ ]+as[ ]+)(?:of[ ]+)?")
THE = re.compile(r"(?:the|The)[ ]+")
ANY_VERB = re.compile(rf"\b(?:{SPEECH_VERBS}|{PARTICIPLES})\b")
#: Sentences about an earlier date (`On 13 October, …`): not the meeting covered.
EARLIER = re.compile(
    r"(?:^|(?<=[.!?][ ])|(?<=\n))(?:On|Last|Earlier,? on)[ ]+\d{1,2}[ ]+[A-Z][a-z]+,?[^\n]*?"
    r"(?:\.(?=[ \n])|$)", re.MULTILINE)
#: Role words that make `NAME, ROLE` a speaker's description.
TITLE_WORDS = re.compile(rf"\b(?:{_TITLES})\b")
#: Leading words of a `ROLE NAME` phrase (`Council President Agshin Mehdiyev`).
ROLE_TOKENS = frozenset(words(
    "Council Assembly Committee Security General President Vice-President Secretary-General "
    "Deputy Under-Secretary-General Assistant Special Representative Envoy High Commissioner "
    "Prime Foreign Minister Ambassador Chair Chairman Chairperson Rapporteur Executive Director "
    "Director-General Permanent Judge Prosecutor Coordinator Adviser Chief Head Senior "
    "Mr. Ms. Mrs. Dr. Mr Ms Mrs Dr Sir Dame Professor"))
#: Capitalized words that never belong to a person's name.
STOP_TOKENS = frozenset(words(
    "The A An In On At For Of With During After Before Also Speaking Briefing Meanwhile However "
    "Many Other Several Among Delegates Members Chapter Article Resolution Annex Department "
    "Agreement Conference Summit Forum Declaration Convention Treaty Court Fund Programme Agency "
    "Party Parties Panel Experts Force Authority Authorities United Nations Organization "
    "Government Mission Office Group Union Republic Kingdom States State Islamic Democratic "
    "Federation Committee Council Assembly General Security Peace International National "
    "Today Yesterday This That These Those It Its Their His Her Following Further While When "
    "Recalling Noting Welcoming Stressing Expressing Adopting Acting Taking Introducing Turning "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Chair Director Secretariat "
    "Charter Commission Region Plan Framework Roadmap Network Centre Center Directorate "
    "President Minister Ambassador Representative Secretary-General Council's"))
HEADLINE_ROLE = re.compile(
    r"\b(?:Says|Tells|Told|Urges|Warns|Briefs|Stresses|Insists)[ ]+(?:the[ ]+)?(?P<a>(?:Deputy[ ]+)?"
    r"(?:Permanent Representative|Special Representative|Secretary-General|Under-Secretary-General"
    r"|Assistant Secretary-General|Special Envoy|High Commissioner|Special Adviser|Executive "
    r"Director|Prosecutor|Coordinator|President|Chair|Head))\b"
    r"|\b(?P<b>(?:Deputy[ ]+)?(?:Permanent Representative|Special Representative|Secretary-General"
    r"|Under-Secretary-General|Assistant Secretary-General|Special Envoy|High Commissioner"
    r"|Special Adviser|Executive Director|Prosecutor|Coordinator|President|Chair|Head))[ ]+"
    r"(?:Says|Tells|Briefs|Urges|Warns|Stresses|Calls|Insists)\b")

#: An official named by title alone: `The Special Representative for X told the Council`.
OFFICIAL = re.compile(
    r"(?:^|(?<=[.!?][ ])|(?<=, )|(?<=\n))(?:the|The)[ ]+(?P<role>(?:Deputy[ ]+)?(?:Secretary-General"
    r"|Under-Secretary-General|Assistant[ ]+Secretary-General|Special[ ]+Representative|Special[ ]+"
    r"Envoy|Special[ ]+Adviser|High[ ]+Commissioner|Executive[ ]+Director|Special[ ]+Coordinator"
    r"|Prosecutor|Council[ ]+President|Assembly[ ]+President|Emergency[ ]+Relief[ ]+Coordinator))"
    r"(?P<rest>[ ]+(?:for|of|on|to)[ ]+[^,.;:\n()]{0,80}?)?"
    r"(?:[ ]*\([ ]*(?P<paren>[^()\n]{2,80}?)[ ]*\))?,?[ ]+"
    rf"{_ADV}(?:{SPEECH_VERBS})\b")
