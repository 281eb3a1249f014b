"""Interoperability and preservation: what other systems read from the archive.

Every exporter takes one catalogue record (`domain.Asset`, with its `formats`), the
`Site` it is published at and, where a format describes them, the asset's statement
clips; nothing else (no database, no settings). The formats are a registry
(`interop.registry.EXPORTERS`), one small module each:

- `record_json`  the record as the API gives it                 `/assets/{id}.json`
- `dublin_core`  simple Dublin Core (`oai_dc`)                    `/assets/{id}.dc.xml`
- `marc`         MARC 21, MARCXML and binary (ISO 2709)           `/assets/{id}.marcxml`, `.mrc`
- `pbcore`       PBCore 2.1                                       `/assets/{id}.pbcore.xml`
- `jsonld`       schema.org `VideoObject` JSON-LD                 `/assets/{id}.jsonld`
- `iiif`         IIIF Presentation 3 manifest (iiif-prezi3)       `/iiif/{id}/manifest.json`

`iiif_collection` makes the IIIF Collection of a meeting series and year. `oai` is an
OAI-PMH 2.0 provider (on the `oaipmh` library) over the small `oai_source.OaiSource`
protocol the catalogue implements. `bag` writes and reads BagIt 1.0 bags;
`domain.events.PreservationEvent` is the event a bag's log holds. The URL layout every
exporter assumes is written down once, in `site.Site`.
"""
