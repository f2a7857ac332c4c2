"""The pure computing core: stdlib and pandas only, no I/O, no clock, no network."""
