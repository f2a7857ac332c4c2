"""Tab-level rules (SPEC §3): a tab or a column that is missing, ambiguous or twice. They flag a
tab, not rows: `validate` finds the tabs, `Check` reads the header row."""

from __future__ import annotations

from sheets_kpi.core.inputs.rules import Rule, declare
from sheets_kpi.core.inputs.schema import ERROR

MISSING_TAB = declare(
    Rule(
        "missing_tab",
        "missing_tab",
        ERROR,
        (
            "Нет листа «{tab}». Создайте его (команда init) или укажите его название в "
            "настройках — без него посчитать продажи нельзя.",
            "There is no «{tab}» tab. Create it (the init command) or set its name in the "
            "config — sales cannot be computed without it.",
        ),
    )
)
AMBIGUOUS_TAB = declare(
    Rule(
        "ambiguous_tab",
        "missing_tab",
        ERROR,
        (
            "Несколько листов похожи на «{tab}»: {names}. Переименуйте лишние, чтобы остался один.",
            "Several tabs look like «{tab}»: {names}. Rename the extra ones so that one is left.",
        ),
    )
)
MISSING_COLUMN = declare(
    Rule(
        "missing_column",
        "missing_column",
        ERROR,
        (
            "На листе «{tab}» нет обязательного столбца «{column}». Добавьте его заголовок "
            "в первую строку.",
            "The «{tab}» tab has no required column «{column}». Add its header to row 1.",
        ),
    )
)
MISSING_COLUMN_OPTIONAL = declare(
    Rule(
        "missing_column_optional",
        "missing_column",
        ERROR,
        (
            "На листе «{tab}» нет обязательного столбца «{column}». Добавьте его заголовок "
            "в первую строку; пока его нет, лист «{tab}» не учитывается.",
            "The «{tab}» tab has no required column «{column}». Add its header to row 1; "
            "until then the «{tab}» tab is ignored.",
        ),
    )
)
DUPLICATE_COLUMN = declare(
    Rule(
        "duplicate_column",
        "duplicate_column",
        ERROR,
        (
            "Столбец «{column}» на листе «{tab}» встречается дважды ({other}). Бот читает "
            "первый; удалите или переименуйте второй.",
            "Column «{column}» appears twice on the «{tab}» tab ({other}). The first one is "
            "read; delete or rename the second.",
        ),
    )
)
