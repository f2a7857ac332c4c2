"""Output: the generated tabs' layout, labels and texts, and the JSON report (SPEC §8)."""
