"""Where the spreadsheet lives: a local .xlsx workbook or Google Sheets, behind one protocol."""
