"""CSV and Excel answers for exports and figures: one way to write them, formula-safe."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

EXCEL_DATE_FORMAT = "dd-mm-yyyy"
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def tabular_response(header, rows, fmt, filename, sheet, title):
    """Rows of Python values (text, numbers, dates) as CSV or Excel.

    CSV is written for a Dutch Excel: `;` between cells, dates as dd-mm-jjjj, decimals with a
    comma (63,0). Excel gets the values as they are, dates as real dates, under a title row, with
    the header row frozen and a filter on it."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows([[csv_cell(v) for v in row] for row in rows])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            xlsx(header, rows, sheet, f"{title} — {timezone.localdate():%d-%m-%Y}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def xlsx(header, rows, sheet, title) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A3"  # title and header stay in view
    worksheet.auto_filter.ref = f"A2:{get_column_letter(len(header))}{len(rows) + 2}"

    def cell(value, **style):
        result = WriteOnlyCell(worksheet, value=safe_cell(value))
        if isinstance(value, date):
            result.number_format = EXCEL_DATE_FORMAT
        for name, setting in style.items():
            setattr(result, name, setting)
        return result

    worksheet.append([cell(title, font=Font(bold=True, size=14))])
    worksheet.append([cell(name, font=Font(bold=True)) for name in header])
    for row in rows:
        worksheet.append([cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_cell(value):
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return safe_cell(value)


def safe_cell(value):
    """No formula injection: a text cell never starts with = + - @, a tab, a carriage return or
    NUL (OWASP's list): it gets a leading apostrophe and stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
