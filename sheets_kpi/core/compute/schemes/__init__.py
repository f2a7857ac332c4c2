"""The bonus schemes of SPEC §5, one module each: `accrue(clients, scheme)` turns a scheme's
new clients into its bonus lines (`records.Accruals`, money only); `wording.py` writes the
explanations; `core/compute/bonus.py` puts it together."""
