"""The local .xlsx workbook (SPEC §11).

`XlsxBackend` (backend.py) reads the input tabs and rewrites only the generated ones.
read.py reads cells (python-calamine, or openpyxl where calamine would differ); layout.py lays a
generated tab out with openpyxl and cells.py writes its cells as XML; splice.py puts the
generated tabs into the owner's zip (zipcopy.py copies the other parts as stored) and
styles.py appends their formats to styles.xml;
safety.py decides when a write may replace the file (issue 15); init.py sets up input tabs;
parts.py knows the zip parts.
"""

from sheets_kpi.backends.xlsx.backend import XlsxBackend
from sheets_kpi.backends.xlsx.init import add_dropdowns, add_nonzero_rules
from sheets_kpi.backends.xlsx.layout import NUMBER_FORMATS, cell_address, plain_text

__all__ = [
    "NUMBER_FORMATS",
    "XlsxBackend",
    "add_dropdowns",
    "add_nonzero_rules",
    "cell_address",
    "plain_text",
]
