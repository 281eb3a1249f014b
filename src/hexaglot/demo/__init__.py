"""The sample archive `hexaglot demo` builds: invented records in the catalogue-page format."""
