"""The local workbook backend's messages in Russian and English: one catalogue, keyed by a
name. `pair(key, **fields)` gives (ru, en) for an exception (`BackendError(*pair(...))`),
which the CLI shows in the language of the run (`SheetsKpiError.text`)."""

from __future__ import annotations

from sheets_kpi.errors import bilingual

XLSX_TEXTS: dict[str, tuple[str, str]] = {
    "missing": (
        "Файл «{path}» не найден. Создайте рабочую книгу командой "
        "`sheets-kpi init --xlsx {path}` или посмотрите пример: `sheets-kpi demo`.",
        "The file '{path}' was not found. Create the workbook with "
        "`sheets-kpi init --xlsx {path}` or see an example: `sheets-kpi demo`.",
    ),
    "folder": (
        "«{path}» — это папка, а не файл книги. Укажите путь к файлу .xlsx, "
        "например `--xlsx {example_ru}`.",
        "'{path}' is a folder, not a workbook file. Give the path of an .xlsx file, "
        "e.g. `--xlsx {example_en}`.",
    ),
    "not_regular": (
        "«{path}» — не обычный файл (устройство или канал), а не книга Excel. Укажите путь к "
        "файлу .xlsx, например `--xlsx продажи.xlsx`.",
        "'{path}' is not a regular file (a device or a pipe), not an Excel workbook. Give the "
        "path of an .xlsx file, e.g. `--xlsx sales.xlsx`.",
    ),
    "no_read_permission": (
        "Нет прав на чтение файла «{path}». Проверьте права доступа к файлу "
        "или запустите бота от пользователя, которому файл доступен.",
        "No permission to read the file '{path}'. Check the file's permissions "
        "or run the bot as a user who can read it.",
    ),
    "no_read_permission_short": (
        "Нет прав на чтение файла «{path}». Проверьте права доступа к файлу.",
        "No permission to read the file '{path}'. Check the file's permissions.",
    ),
    "cannot_open": (
        "Не удалось открыть файл «{path}»: {reason}.",
        "Could not open the file '{path}': {reason}.",
    ),
    "empty": (
        "Файл «{path}» пустой (0 байт) — это не книга Excel. Восстановите его из "
        "резервной копии или удалите и создайте заново: `sheets-kpi init`.",
        "The file '{path}' is empty (0 bytes): it is not an Excel workbook. Restore it from "
        "a backup or delete it and create it again: `sheets-kpi init`.",
    ),
    "encrypted": (
        "Книга «{path}» защищена паролем на открытие, бот не может её прочитать. "
        "Откройте её в Excel, снимите пароль (Файл → Сведения → Защита книги → "
        "Зашифровать с использованием пароля → очистите поле) и сохраните.",
        "The workbook '{path}' is protected by an opening password; the bot cannot read it. "
        "Open it in Excel, remove the password (File → Info → Protect Workbook → "
        "Encrypt with Password → clear the field) and save it.",
    ),
    "old_xls": (
        "Файл «{path}» — в старом формате Excel (.xls). Откройте его в Excel "
        "и сохраните как «Книга Excel (.xlsx)».",
        "The file '{path}' is in the old Excel format (.xls). Open it in Excel "
        "and save it as 'Excel Workbook (.xlsx)'.",
    ),
    "drawings": (
        "На листах {names} есть фигуры, надписи или картинки, которые бот не умеет "
        "сохранять в книге .xlsx: после записи они бы пропали. Книга не изменена. "
        "Перенесите их в другой файл (или работайте с Google Таблицей, --sheet) и "
        "запустите снова.",
        "The tabs {names} hold shapes, text boxes or pictures the bot cannot keep in an "
        ".xlsx workbook: they would be lost on writing. The workbook was not changed. "
        "Move them to another file (or work with a Google Sheet, --sheet) and run again.",
    ),
    "corrupt": (
        "Файл «{path}» не похож на книгу Excel .xlsx или повреждён. Откройте его в "
        "Excel и сохраните как «Книга Excel (.xlsx)» или восстановите из резервной копии.",
        "The file '{path}' does not look like an Excel .xlsx workbook or is damaged. Open it "
        "in Excel and save it as 'Excel Workbook (.xlsx)' or restore it from a backup.",
    ),
    "bad_tab_title": (
        "Не удалось записать лист «{title}»: {reason}. Переименуйте его в "
        "настройках: не длиннее 31 символа и без знаков : \\ / ? * [ ].",
        "Could not write the tab '{title}': {reason}. Rename it in the settings: "
        "at most 31 characters and none of : \\ / ? * [ ].",
    ),
    "zip_bomb": (
        "Не открываю «{path}»: книга повреждена или слишком велика — её часть "
        "«{part}» распаковывается в {megabytes} МБ "
        "(сжата в {ratio} раз). Восстановите книгу из резервной копии или "
        "откройте её в Excel и сохраните заново.",
        "Not opening '{path}': the workbook is damaged or too big — its part "
        "'{part}' unpacks to {megabytes} MB "
        "(compressed {ratio} times). Restore the workbook from a backup or "
        "open it in Excel and save it again.",
    ),
    "read_only": (
        "Файл «{path}» только для чтения, бот не станет его менять. Снимите "
        "атрибут «Только чтение» (Свойства файла или chmod u+w) и запустите снова; "
        "проверить строки без записи можно командой sheets-kpi check.",
        "The file '{path}' is read-only; the bot will not change it. Clear the "
        "read-only attribute (file properties or chmod u+w) and run again; "
        "sheets-kpi check validates the rows without writing.",
    ),
    "hard_links": (
        "У книги «{path}» {count} {links} (один файл под несколькими "
        "именами). Бот сохраняет книгу через временный файл и разорвал бы эту связь, "
        "поэтому ничего не записал. Оставьте одно имя (вместо других сделайте символьные "
        "ссылки: ln -sf) и запустите снова.",
        "The workbook '{path}' has {count} hard links (one file under several names). "
        "The bot saves the workbook via a temporary file and would break that link, so it "
        "wrote nothing. Keep one name (make the others symbolic links: ln -sf) and run again.",
    ),
    "open_elsewhere": (
        "Книга «{path}» не обновлена: книга открыта в Excel/LibreOffice — закройте её, и "
        "бот обновит листы. (Рядом лежит файл блокировки "
        "«{lock}»; если программа уже закрыта, а он остался после сбоя, "
        "удалите его.)",
        "The workbook '{path}' was not updated: it is open in Excel/LibreOffice — close it "
        "and the bot will update the tabs. (The lock file '{lock}' lies beside it; if the "
        "program is already closed and the file was left by a crash, delete it.)",
    ),
    "lost_update": (
        "Книга «{path}» изменилась, пока бот её обновлял: её сохранила другая программа "
        "(Excel, LibreOffice, синхронизация). Бот не стал записывать листы, чтобы не "
        "затереть эти изменения, книга осталась как была. Запустите снова — по расписанию "
        "бот повторит сам в следующий раз.",
        "The workbook '{path}' changed while the bot was updating it: another program saved "
        "it (Excel, LibreOffice, a sync tool). The bot did not write the tabs so as not to "
        "overwrite those changes; the workbook is as it was. Run again — on a schedule the "
        "bot retries by itself next time.",
    ),
    "no_temp_file": (
        "Не удалось создать временный файл в папке «{folder}» "
        "({reason}): бот сохраняет книгу через временный файл рядом с ней. "
        "Проверьте права доступа к папке и свободное место на диске.",
        "Could not create a temporary file in the folder '{folder}' "
        "({reason}): the bot saves the workbook via a temporary file beside it. "
        "Check the folder's permissions and the free disk space.",
    ),
    "save_denied": (
        "Не удалось сохранить «{path}»: нет прав на запись или файл открыт "
        "в другой программе. Закройте его в Excel и повторите.",
        "Could not save '{path}': no permission to write or the file is open "
        "in another program. Close it in Excel and try again.",
    ),
    "save_failed": (
        "Не удалось сохранить «{path}»: {reason}. Книга осталась как была.",
        "Could not save '{path}': {reason}. The workbook is as it was.",
    ),
    "tab_clash": (
        "В книге уже есть лист «{existing}», а бот пишет лист "
        "«{title}»: Excel не различает такие названия. Переименуйте свой лист.",
        "The workbook already has a tab '{existing}' and the bot writes the tab "
        "'{title}': Excel does not tell such names apart. Rename your tab.",
    ),
}


def pair(key: str, /, **fields: object) -> tuple[str, str]:
    """Message `key` in Russian and English with its `{fields}` filled in."""
    return bilingual(XLSX_TEXTS, key, **fields)
