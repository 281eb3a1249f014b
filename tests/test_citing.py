"""Link-outs of an asset page to the official documents its record names."""

from __future__ import annotations

from hexaglot.app.citing import document_links
from hexaglot.domain import Asset, Meeting

SYMBOL_URL = "https://docs.example.org/{symbol}"
RESOLUTION_URL = "https://library.example.org/?p={symbol}&n={number}&y={year}"


def test_record_press_and_resolution_symbols_link_out() -> None:
    asset = Asset(asset_id="1000001", title="Maintenance of peace",
                  summary="The Council adopted resolution 2524 (2020) unanimously.",
                  meeting=Meeting(record_symbol="S/PV.8967"), source="SC/15600")
    assert document_links(asset, SYMBOL_URL, RESOLUTION_URL) == [
        ("S/PV.8967", "https://docs.example.org/S/PV.8967"),
        ("SC/15600", "https://docs.example.org/SC/15600"),
        ("S/RES/2524 (2020)",
         "https://library.example.org/?p=S/RES/2524%282020%29&n=2524&y=2020"),
    ]


def test_a_source_that_is_a_file_name_and_no_templates_give_no_links() -> None:
    asset = Asset(asset_id="1000002", title="A meeting", source="sc15600.txt",
                  meeting=Meeting(record_symbol="S/PV.9001"))
    assert [label for label, _ in document_links(asset, SYMBOL_URL, None)] == ["S/PV.9001"]
    assert document_links(asset, None, None) == []
