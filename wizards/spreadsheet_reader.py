"""Reading a workbook whose sheets follow a layout of columns (see
``tools/guide_spreadsheet.py``), for the import wizards: the file opened
within limits, each sheet's header checked, its rows read cell by cell, and
every error located by sheet, row and column, listed at once."""

import io
import zipfile
from functools import partial

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from odoo import models
from odoo.exceptions import UserError

from ..tools import guide_spreadsheet as layout
from ..tools import inputs
from ..tools.guide_spreadsheet import CellError
from ..tools.inputs import comparable

MAX_FILE_SIZE = 5 * 1024 * 1024
# An xlsx is a zip: refuse one that would inflate beyond this (zip bomb).
MAX_UNZIPPED_SIZE = 60 * 1024 * 1024
MAX_ROWS = 5000
# Empty rows read after the last allowed one before giving up on the sheet.
MAX_SCANNED_ROWS = 100000
MAX_ERRORS_SHOWN = 50

# Marks a value that could not be read; its error is already recorded.
INVALID = object()


def same_number(first, second):
    return abs(first - second) <= 1e-9 * max(1.0, abs(first), abs(second))


def open_workbook(env, content):
    """The workbook in ``content``, or a UserError saying why it is not one."""
    if not content:
        raise UserError(env._("The file is empty."))
    if len(content) > MAX_FILE_SIZE:
        raise UserError(
            env._(
                "The file is too large (%(size)s MB); the limit is %(limit)s MB.",
                size=round(len(content) / 1024 / 1024, 1),
                limit=MAX_FILE_SIZE // 1024 // 1024,
            )
        )
    not_xlsx = env._(
        "This file is not an Excel workbook (.xlsx). Export the guide's spreadsheet, "
        "fill it in and import it as .xlsx (not .csv nor .xls)."
    )
    stream = io.BytesIO(content)
    if not zipfile.is_zipfile(stream):
        raise UserError(not_xlsx)
    try:
        with zipfile.ZipFile(stream) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UserError(not_xlsx) from error
    if unzipped > MAX_UNZIPPED_SIZE:
        raise UserError(env._("The workbook holds too much data to be imported."))
    stream.seek(0)
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a bad file
        raise UserError(not_xlsx) from error


class SpreadsheetErrors(UserError):
    """The errors of a workbook: the message the import wizard shows, and
    its lines one by one (``messages``), for a page that lists them."""

    def __init__(self, message, messages):
        super().__init__(message)
        self.messages = messages


class ImportErrors:
    """Errors found in a workbook, each located by sheet, row and column,
    listed in the order of the workbook whatever the order of reading."""

    def __init__(self, env, sheetnames=()):
        self.env = env
        self.sheetnames = list(sheetnames)
        self.found = []  # (place, message)

    def __bool__(self):
        return bool(self.found)

    def __len__(self):
        return len(self.found)

    def add(self, message, sheet=None, row=None, col=None):
        if sheet and row and col is not None:
            message = self.env._(
                "Sheet “%(sheet)s”, row %(row)s, column %(column)s: %(message)s",
                sheet=sheet,
                row=row,
                column=get_column_letter(col + 1),
                message=message,
            )
        elif sheet and row:
            message = self.env._(
                "Sheet “%(sheet)s”, row %(row)s: %(message)s", sheet=sheet, row=row, message=message
            )
        elif sheet:
            message = self.env._("Sheet “%(sheet)s”: %(message)s", sheet=sheet, message=message)
        position = self.sheetnames.index(sheet) if sheet in self.sheetnames else -1
        self.found.append(((position, row or 0, -1 if col is None else col), message))

    def user_error(self):
        messages = [message for _place, message in sorted(self.found, key=lambda f: f[0])]
        shown = messages[:MAX_ERRORS_SHOWN]
        text = "\n".join(f"• {message}" for message in shown)
        if len(messages) > len(shown):
            more = self.env._("… and %s more errors.", len(messages) - len(shown))
            text += "\n" + more
            shown.append(more)
        return SpreadsheetErrors(
            self.env._(
                "The spreadsheet was not imported and nothing was changed. Correct these "
                "errors and import it again:\n%s",
                text,
            ),
            shown,
        )


class Row:
    """A data row of a sheet being read, its cells named by field. A cell
    that cannot be read records its error and reads as INVALID."""

    def __init__(self, errors, sheet_layout, sheet, number, cells):
        self.errors = errors
        self.env = errors.env
        self.layout = sheet_layout
        self.sheet = sheet
        self.number = number
        self.cells = cells

    def cell(self, field):
        return self.cells[self.layout.index(field)]

    def raw(self, field):
        """The value of the cell as the file holds it."""
        return getattr(self.cell(field), "value", None)

    def blank(self, field):
        return layout.cell_blank(self.cell(field))

    def text(self, field):
        """Text of a cell, cleaned like every text people type
        (``tools.inputs.clean_text``: invisible characters dropped, Unicode
        composed). A workbook cannot hold control characters (XML refuses
        them; openpyxl leaves Excel's ``_x0007_`` escapes as they are)."""
        text = layout.cell_text(self.cell(field))
        try:
            return inputs.clean_text(self.env, text, multiline=True)
        except inputs.InputError:
            return text

    def error(self, field, message):
        self.errors.add(message, self.sheet, self.number, self.layout.index(field))

    def parse(self, field, reader, *args):
        """``reader(cell, *args)``, or INVALID after recording its error."""
        try:
            return reader(self.cell(field), *args)
        except CellError as error:
            self.error(field, error.args[0])
            return INVALID

    def numeric(self, field, unit=None):
        return self.parse(field, partial(layout.cell_number, self.env), unit)

    def choice(self, field, required=False):
        labels = self.layout.column(field).labels
        return self.parse(field, partial(layout.cell_choice, self.env), labels, required)

    def typed(self, field):
        """The value of a cell as the kind of its column reads it."""
        kind = self.layout.column(field).kind
        if kind == layout.CHOICE:
            return self.choice(field)
        if kind == layout.DATE:
            return self.parse(field, partial(layout.cell_date, self.env))
        if kind in (layout.MONEY, layout.INTEGER):
            return self.numeric(field)
        return self.text(field)


class SheetReader:
    """Base of the readers of a workbook: its errors, its rows, and what a
    row changes in a record."""

    def __init__(self, env):
        self.env = env
        self.errors = ImportErrors(env)

    # ------------------------------------------------------------ sheet rows
    def _rows(self, worksheet, sheet_layout, name=None):
        """Yield the Row of each data row of ``worksheet`` after checking its
        header on row 1; empty rows are skipped."""
        name = name or sheet_layout.name
        header = sheet_layout.header
        width = len(header)
        rows = worksheet.iter_rows(min_row=1, max_col=width)
        found = [cell.value for cell in next(rows, ())]
        found = [" ".join(str(v).split()) if v is not None else "" for v in found]
        found += [""] * (width - len(found))
        if [comparable(title) for title in found] != [comparable(title) for title in header]:
            self.errors.add(
                self.env._(
                    "the header must be, from column A: %(expected)s. Found: %(found)s.",
                    expected=" | ".join(header),
                    found=" | ".join(found),
                ),
                name,
                1,
            )
            return
        for number, cells in enumerate(rows, start=2):
            cells = tuple(cells) + (None,) * (width - len(cells))
            blank = all(layout.cell_blank(cell) for cell in cells)
            if number > MAX_ROWS + 1 and (not blank or number > MAX_SCANNED_ROWS):
                self.errors.add(
                    self.env._("the sheet has more than %s rows; split the file.", MAX_ROWS),
                    name,
                    number,
                )
                return
            if not blank:
                yield Row(self.errors, sheet_layout, name, number, cells)

    def _is_repeated(self, row, seen, record, field):
        if record in seen:
            row.error(field, self.env._("this row repeats row %s.", seen[record]))
            return True
        seen[record] = row.number
        return False

    def _changes(self, record, vals):
        """The values of ``vals`` that differ from ``record``."""
        changes = {}
        for field, value in vals.items():
            current = record[field]
            if isinstance(current, models.BaseModel):
                current = current.id
            if record._fields[field].type == "monetary":
                currency = record[record._fields[field].get_currency_field(record)]
                changed = currency.compare_amounts(current, value)
            elif isinstance(value, float):
                changed = not same_number(current or 0.0, value)
            else:
                changed = (current or False) != (value or False)
            if changed:
                changes[field] = value
        return changes
