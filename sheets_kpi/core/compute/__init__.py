"""Compute: clients, bonus schemes, limits, KPIs, funnel, plan gap, alerts, leaderboard (§4–§7)."""
