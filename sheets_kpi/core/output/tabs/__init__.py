"""One module per generated tab; each has `KEY` and `build(TabInput) -> TabWrite`."""
