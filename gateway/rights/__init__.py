"""Data rights and consent asks: export, erasure, retention, and asking for marketing consent.

Each face is here: the chat requests (`chat`), the asking for consent after a booking (`ask`),
the export document (`export`), erasure (`erase`), the retention job (`retention`), the CLI
(`cli`) and the admin API (`api`).
"""
