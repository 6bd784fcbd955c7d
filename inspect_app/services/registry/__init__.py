"""The registry of facilities and inspectors, one module per job: `facilities`, `inspectors`, `duplicates`
(likely duplicates for a person to merge), `import_export` (CSV, XLSX, JSON, GeoJSON in and out), `history` (every
change with its author) and `search` (the name and BIN matching the lists and forms share)."""
