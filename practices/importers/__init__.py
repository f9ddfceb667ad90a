"""Importers: WOCAT records, spreadsheets and our own JSON export, synced into sheets.

`wocat` maps the two WOCAT record formats, `table` reads CSV/XLSX rows, `native` reads our
JSON export; `sources` finds records in files, folders and APIs; `sync` decides and applies
what each incoming record does to the wiki and keeps the `ImportRun` of it.
"""
