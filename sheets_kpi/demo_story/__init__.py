"""The demo agency's story: a year and two months of a small Russian digital agency (SPEC §10).

`demo_rows` invents the input tabs (pure and deterministic: a seeded `random.Random`, no clock);
`sheets_kpi/demo.py` writes them into a workbook. One module a tab (`sales`, `deals`, `plan`,
`activity`), the cast in `cast`, the clients and their payments in `clients`, the shared state
in `story`. The story the data tells, so every generated tab has something to show:

- seven managers on every bonus scheme; one (Ольга) has left and is inactive;
- retainers are paid each month on the day their contract was signed, so a month in progress
  is on pace; every manager's longest-standing retainer client pays in advance, on the 1st or
  2nd, so a month just begun is not all 0 ₽;
- Мария misses her plan in each of the two last complete months (`plan_missed_2_months`);
- Дмитрий's plan for the current month rises by half (`plan_spike`);
- «Стоматология Улыбка», Анна's client, had one payment logged by Игорь (`shared_client`);
- «ООО Ромашка» and «ИП Соколов» were clients before the log started (`повторный`);
- a few unpaid invoices, a few amounts typed as text (`120 000 ₽`), «Ковалев» typed without «ё»;
- one row of each common mistake (a future date, 31 February, an empty client, a negative
  amount, a manager's name with a typo, a repeated `ID`, an unknown channel), about 1 % of rows;
- Сергей calls least and answers leads slowest; Сделки and Активность agree with the sales.
"""

from __future__ import annotations

from datetime import date

from sheets_kpi.core.inputs.schema import INPUT_TABS, Language
from sheets_kpi.demo_story.activity import activity_rows, roster_rows
from sheets_kpi.demo_story.clients import build_clients
from sheets_kpi.demo_story.deals import deal_rows
from sheets_kpi.demo_story.plan import build_plan, plan_rows
from sheets_kpi.demo_story.sales import sales_table
from sheets_kpi.demo_story.story import Story

__all__ = ["demo_rows"]


def demo_rows(as_of: date, language: Language = "ru") -> dict[str, list[list[object]]]:
    """Header row and data rows of every input tab of the demo agency, by tab key.

    Deterministic for a given `as_of` and language; the data spans the 14 months ending with
    the month of `as_of` and never dates a row after it, except the one deliberate mistake.
    """
    story = Story(as_of, language)
    # the order matters: every step draws from the story's one random generator
    build_clients(story)
    plan = build_plan(story)
    sales = sales_table(story)
    deals = deal_rows(story)
    activity = activity_rows(story)
    headers = {tab.key: [column.label(language) for column in tab.columns] for tab in INPUT_TABS}
    return {
        "sales": [headers["sales"]]
        + [
            [r.day, r.manager, r.client, r.amount, r.margin, r.channel, r.type, r.paid, r.id]
            for r in sales
        ],
        "deals": [headers["deals"], *deals],
        "activity": [headers["activity"], *activity],
        "plan": [headers["plan"], *plan_rows(story, plan)],
        # SPEC §15's columns (Действует с, …) left empty: one version per manager
        "roster": [headers["roster"], *_padded(roster_rows(story), len(headers["roster"]))],
    }


def _padded(rows: list[list[object]], width: int) -> list[list[object]]:
    """Rows filled with empty cells up to `width`."""
    return [row + [None] * (width - len(row)) for row in rows]
