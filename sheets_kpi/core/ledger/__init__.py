"""SPEC §14's ledger, pure: the `Архив` tab's model (read, canonical form, seals, cells to
write) and the settling of a run (closing, reopening, tampering, the paid view, corrections
and their alerts). No I/O: the backends read and write the tab, `core/run.py` calls `settle`.

- `archive.py`: `Archive`, `ArchiveRow`, `Seal`, `UnreadRow`, `read_archive`, `archive_cells`
- `seal.py`: the canonical form of a month's rows and its SHA-256 digest
- `settle.py`: `Ledger`, `settle`, `paid_view`
- `corrections.py`: the correction line items and their explanations
- `texts.py`: the (ru, en) words of all of the above
"""
