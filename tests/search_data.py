"""Records the search tests index: written for these tests (not copied from any source)."""

from __future__ import annotations

from datetime import date

from hexaglot.domain import Asset, Meeting, Segment, Speaker, Subject, Subjects

KAZAKHSTAN = Subject(
    id="geo:kz", label="Kazakhstan", status="confirmed",
    labels={"ar": "كازاخستان", "zh": "哈萨克斯坦", "en": "Kazakhstan", "fr": "Kazakhstan",
            "ru": "Казахстан", "es": "Kazajstán"},
)
CSTO = Subject(
    id="org:csto", label="Collective Security Treaty Organization", status="confirmed",
    labels={"en": "Collective Security Treaty Organization (CSTO)",
            "fr": "Organisation du Traité de sécurité collective (OTSC)",
            "es": "Organización del Tratado de Seguridad Colectiva (OTSC)",
            "ru": "Организация Договора о коллективной безопасности (ОДКБ)",
            "zh": "集体安全条约组织", "ar": "منظمة معاهدة الأمن الجماعي"},
)
PEACEKEEPING = Subject(id="topic:pk", label="Peacekeeping operations",
                       labels={"fr": "Opérations de maintien de la paix",
                               "ru": "Миротворческие операции", "zh": "维持和平行动"})
GUTERRES = Subject(id="person:guterres", label="Guterres, António")


def meeting_asset(**overrides: object) -> Asset:
    """A Security Council meeting on regional cooperation (our own wording)."""
    values: dict[str, object] = dict(
        asset_id="A-1001",
        title="Cooperation with regional security organizations - Security Council, 9001st Meeting",
        summary="Regional partners matter for tackling trafficking, the Secretary-General says.",
        description=(
            "The Council heard briefings on a first peacekeeping deployment to Kazakhstan. "
            "António Guterres, Secretary-General, said partnerships were essential. "
            "The Council recalled resolution S/RES/2645 (2022) and press release SC/14798; "
            "delegates cited document A/73/L.63 as well."
        ),
        recorded_on=date(2022, 2, 16),
        duration_seconds=9763,
        available_languages=["original", "ar", "zh", "en", "fr", "ru", "es"],
        meeting=Meeting(body="Security Council", number=9001, record_symbol="S/PV.9001"),
        speakers=[
            Speaker(name="António Guterres", role="Secretary-General",
                    affiliation="United Nations", start=120.0),
            Speaker(name="Stanislav Zas", role="Secretary-General",
                    affiliation="Collective Security Treaty Organization"),
            Speaker(name=None, role="representative", affiliation="Kazakhstan"),
        ],
        subjects=Subjects(personal=[GUTERRES], corporate=[CSTO], geographic=[KAZAKHSTAN],
                          topical=[PEACEKEEPING]),
        source="SC/14798",
    )
    values.update(overrides)
    return Asset(**values)


def other_assets() -> list[Asset]:
    """Assets that must not match the queries about the meeting above."""
    return [
        Asset(asset_id="A-1002", title="Situation in the Middle East - Security Council, 9002nd Meeting",
              summary="Briefing on humanitarian access.", recorded_on=date(2021, 6, 3),
              available_languages=["original", "en", "fr"],
              meeting=Meeting(body="Security Council", number=9002, record_symbol="S/PV.9002"),
              speakers=[Speaker(name="Antonio Vitorino", affiliation="Portugal")],
              description="Delegates discussed document S/PV.9012 and humanitarian corridors."),
        Asset(asset_id="A-1003", title="General Assembly, 63rd plenary meeting", kind="audio",
              summary="Elections to the Human Rights Council.", recorded_on=date(2019, 3, 1),
              available_languages=["original", "es"],
              meeting=Meeting(body="General Assembly", number=63, record_symbol="A/73/PV.63"),
              description="The Assembly adopted draft A/73/L.64 on oceans."),
    ]


def restricted_assets() -> list[Asset]:
    """Assets anonymous users must never see, even in facet counts."""
    return [
        meeting_asset(asset_id="A-2001", access="restricted", title="Closed consultations",
                      meeting=Meeting(body="Secret Committee", number=1)),
        meeting_asset(asset_id="A-2002", access="embargoed until 2999-01-01",
                      title="Embargoed meeting", meeting=Meeting(body="Embargo Board", number=2)),
    ]


def french_cues(asset_id: str = "A-1001") -> list[Segment]:
    """French interpretation cues of the meeting."""
    return [
        Segment(asset_id=asset_id, language="fr", start=61.5, end=66.0, speaker="António Guterres",
                text="Aucune organisation ne peut à elle seule garantir la paix."),
        Segment(asset_id=asset_id, language="fr", start=754.2, end=760.0, speaker="Stanislav Zas",
                text="Nos soldats de la paix ont été déployés au Kazakhstan en janvier."),
        Segment(asset_id=asset_id, language="en", start=754.2, end=760.0, speaker="Stanislav Zas",
                text="Our peacekeepers were deployed to Kazakhstan in January."),
    ]
