"""The ledger's words, (ru, en): the corrections' explanations, the alerts `archive_changed`
and `closed_month_changed`, and the `bad_setting` of a closed month that cannot reopen."""

from __future__ import annotations

from sheets_kpi.core.inputs.schema import LIST_LABELS
from sheets_kpi.core.model import ADJUSTMENT, CLAWBACK, CORRECTION

TABS = {
    "closed": ("Закрытые месяцы", "Closed months"),
    "archive": ("Архив", "Archive"),
}

# What a correction line says: the month it settles, what was paid and what it is now, then
# what changed per client.
RECALCULATED = (
    "пересчёт за {month}: было {was}, стало {now}",
    "recalculated for {month}: was {was}, now {now}",
)
EARLIER = (", уже исправлено на {earlier}", ", already corrected by {earlier}")
CHANGES = (" — {changes}", " — {changes}")
SEPARATOR = ("; ", "; ")
CHANGED = ("{name}: {was} → {now}", "{name}: {was} → {now}")
GONE = ("{name}: {was} → 0 (строки больше нет)", "{name}: {was} → 0 (the row is gone)")
NEW = ("{name}: 0 → {now} (новая строка)", "{name}: 0 → {now} (a new row)")
RENAMED = (
    "{was_name} → {now_name}: {now} (похоже, клиент переименован)",
    "{was_name} → {now_name}: {now} (looks like the client was renamed)",
)
SCHEME_CHANGED = (" (схема: {was} → {now})", " (scheme: {was} → {now})")
LEDGER_PART = (" ({what}: {was} → {now})", " ({what}: {was} → {now})")

# Scheme names in words: the drop-down's for §5's schemes, and the ledger's own lines.
SCHEME_WORDS: dict[str, tuple[str, str]] = {
    **LIST_LABELS["scheme"],
    ADJUSTMENT: ("корректировки", "adjustments"),
    CLAWBACK: ("возврат бонуса", "clawback"),
    CORRECTION: ("корректировки прошлых месяцев", "corrections"),
}

CLOSED_MONTH_CHANGED = (
    "Пересчёт закрытого месяца {month} расходится с выплаченным: {amounts}. Разница "
    "начислена строкой «корректировка» в {target} (подробности — во вкладке с бонусами). "
    "Если правка в данных за {month} ошибочна, верните прежнее значение — корректировка исчезнет.",
    "Recalculating the closed month {month} differs from what was paid: {amounts}. The "
    "difference is a correction line in {target} (details in the bonuses tab). If the edit "
    "of {month}'s data is a mistake, undo it and the correction goes away.",
)
MANAGER_AMOUNT = ("{manager} {amount} ₽", "{manager} {amount} ₽")

ARCHIVE_CHANGED = (
    "Строки за {month} во вкладке «{tab}» изменены после закрытия месяца: они не совпадают с "
    "печатью. Бот считает выплаченным то, что в них написано сейчас.{unread} Если правка "
    "верна, удалите строку печати за {month} — следующий запуск запечатает месяц заново; если "
    "нет — верните прежние значения.",
    "The rows of {month} in the «{tab}» tab were changed after the month was closed: they no "
    "longer match the seal. The bot takes what they say now as paid.{unread} If the edit is "
    "right, delete the seal row of {month} and the next run seals the month again; if not, "
    "put the old values back.",
)
UNREAD_ROWS = (
    " Не читаются строки {rows} (пустая обязательная ячейка или не число): в выплату они не "
    "входят.",
    " Rows {rows} cannot be read (a required cell is empty or not a number): they do not count "
    "as paid.",
)
UNREAD_NO_MONTH = (
    "Во вкладке «{tab}» не читаются строки без понятного месяца: {rows}. Такие строки "
    "сохраняются как есть и в выплату не входят. Впишите в них месяц как 2026-10 или удалите их.",
    "The «{tab}» tab has rows without a readable month: {rows}. Such rows are kept as they are "
    "and do not count as paid. Write their month as 2026-10 or delete them.",
)
MORE_ROWS = (" и ещё {count}", " and {count} more")
SHOWN_ROWS = 10  # an alert lists at most this many rows

NOT_LATEST = (
    "Месяц {month} убран из «{tab}», но он не последний закрытый месяц (последний — {latest}): "
    "открыть можно только последний закрытый месяц, по одному за запуск. {month} остаётся "
    "закрытым. Верните его в «{tab}» или сначала откройте более поздние месяцы.",
    "The month {month} was removed from «{tab}», but it is not the latest closed month (that "
    "is {latest}): only the latest closed month can be reopened, one per run. {month} stays "
    "closed. Put it back in «{tab}», or reopen the later months first.",
)
