"""Inputs: the tabs' schema, reading cells and columns, and the validation rules (SPEC §2, §3)."""
