"""CSV and Excel answers for exports and figures: one way to write them, formula-safe."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone

EXCEL_DATE_FORMAT = "dd-mm-yyyy"
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")
XLSX_IN_MEMORY_BYTES = 8 * 1024 * 1024


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


class _Line:
    """A file-like object for csv.writer that hands back each line it is given."""

    def write(self, value):
        return value


def streaming_tabular_response(header, rows, fmt, filename, sheet, title):
    """`tabular_response` for an export of any length: `rows` is an iterator, consumed while the
    answer is sent. CSV streams line by line; Excel is written row by row by openpyxl's
    write-only workbook into a temporary file (on disk past 8 MB, then sent in blocks). Either
    way the worker's memory does not grow with the number of rows."""
    if fmt == "csv":
        writer = csv.writer(_Line(), delimiter=";")

        def lines():
            yield "\ufeff" + writer.writerow(header)
            for row in rows:
                yield writer.writerow([csv_cell(v) for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        import tempfile

        # In memory up to 8 MB, on disk beyond: bounded either way. An export that stayed in
        # memory is answered whole (and its buffer closed at once); a larger one is sent from
        # disk in blocks, and FileResponse closes the file when the server closes the answer.
        output = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)  # noqa: SIM115
        write_xlsx(output, header, rows, sheet, f"{title} — {timezone.localdate():%d-%m-%Y}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if output.tell() <= XLSX_IN_MEMORY_BYTES:
            with output:
                output.seek(0)
                response = HttpResponse(output.read(), content_type=content_type)
        else:
            output.seek(0)
            response = FileResponse(output, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def xlsx(header, rows, sheet, title) -> bytes:
    output = io.BytesIO()
    write_xlsx(output, header, rows, sheet, title)
    return output.getvalue()


def write_xlsx(output, header, rows, sheet, title) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A3"  # title and header stay in view

    def cell(value, **style):
        result = WriteOnlyCell(worksheet, value=safe_cell(value))
        if isinstance(value, date):
            result.number_format = EXCEL_DATE_FORMAT
        for name, setting in style.items():
            setattr(result, name, setting)
        return result

    def plain(value):
        # Only a date needs a cell of its own (its format); any other value goes in as it is and
        # openpyxl writes it through one reused cell: a cell object per value was a third of
        # the time of a 20,000-row export.
        return cell(value) if isinstance(value, date) else safe_cell(value)

    worksheet.append([cell(title, font=Font(bold=True, size=14))])
    worksheet.append([cell(name, font=Font(bold=True)) for name in header])
    count = 0
    for row in rows:
        worksheet.append([plain(value) for value in row])
        count += 1
    # Written with the sheet's tail on save: set once the number of rows is known.
    worksheet.auto_filter.ref = f"A2:{get_column_letter(len(header))}{count + 2}"
    workbook.save(output)


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
