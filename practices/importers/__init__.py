"""Importers: WOCAT records, spreadsheets and our own JSON export, synced into sheets.

`wocat` maps the two WOCAT record formats, `table` reads CSV/XLSX rows, `native` reads our
JSON export; `sources` finds records in files, folders and APIs; `sync` decides and applies
what each incoming record does to the wiki and keeps the `ImportRun` of it.
"""

# What a record can come to (the counts of sync.Report): here, so that `import show` can offer
# them without loading the importers (issue 12: they stay out of the web workers).
OUTCOMES = ("created", "updated", "unchanged", "conflict", "rejected")
