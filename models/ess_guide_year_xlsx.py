import datetime
import io
import re
import unicodedata
import zipfile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from odoo import models
from odoo.exceptions import UserError

from ..tools.guide_spreadsheet import (
    ACHIEVEMENT_LABELS,
    ACTION_ORIGIN_LABELS,
    ACTION_REF_PREFIX,
    ACTION_STATE_LABELS,
    ACTIONS,
    DECISION_LABELS,
    FOLLOW_UP_PREFIX,
    NOT_TREATED_MARK,
    NOT_TREATED_PREFIX,
    STEERING,
    THEMES,
    follow_up,
)
from ..tools.guide_spreadsheet import filename as spreadsheet_filename

SHEET_STEERING, STEERING_HEADER = STEERING.name, STEERING.header
SHEET_THEMES, THEMES_HEADER = THEMES.name, THEMES.header
SHEET_ACTIONS, ACTIONS_HEADER = ACTIONS.name, ACTIONS.header
SHEET_FOLLOW_UP_PREFIX = FOLLOW_UP_PREFIX


def follow_up_sheet_name(year):
    return follow_up(year).name


def follow_up_header(year):
    return follow_up(year).header


MAX_FILE_SIZE = 5 * 1024 * 1024
# An xlsx is a zip: refuse one that would inflate beyond this (zip bomb).
MAX_UNZIPPED_SIZE = 60 * 1024 * 1024
MAX_ROWS = 5000
# Empty rows read after the last allowed one before giving up on the sheet.
MAX_SCANNED_ROWS = 100000
MAX_ERRORS_SHOWN = 50

NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
ACTION_REF_RE = re.compile(rf"^{ACTION_REF_PREFIX}\s*(\d+)$", re.IGNORECASE)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
LINE_TEXT_MEASURES = ("baseline_text", "objective_1y_text", "objective_3y_text")
LINE_NUMBER_MEASURES = ("baseline", "objective_1y", "objective_3y")

# Marks a value that could not be read; its error is already recorded.
INVALID = object()


def normalise(text):
    """Text as compared: typographic apostrophes and non-breaking spaces
    made plain, runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    return " ".join(text.split())


def name_key(text):
    return normalise(text).casefold()


def label_key(text):
    """Labels compare without case nor accents: "a decider" is "À décider"."""
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def is_percent_format(number_format):
    """True for a format that multiplies by 100 ("0%"), not for a quoted
    unit ('General" %"')."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in unquoted


def same_number(first, second):
    return abs(first - second) <= 1e-9 * max(1.0, abs(first), abs(second))


class CellError(Exception):
    """A cell that cannot be read; the message says why."""


class ImportErrors:
    """Errors found in a spreadsheet, each located by sheet, row and column."""

    def __init__(self, env):
        self.env = env
        self.messages = []

    def __bool__(self):
        return bool(self.messages)

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
        self.messages.append(message)

    def read_cell(self, sheet, row, col, reader, *args):
        """Value read from a cell by ``reader``, or INVALID with its error."""
        try:
            return reader(*args)
        except CellError as error:
            self.add(str(error), sheet, row, col)
            return INVALID

    def user_error(self):
        shown = self.messages[:MAX_ERRORS_SHOWN]
        text = "\n".join(f"• {message}" for message in shown)
        if len(self.messages) > len(shown):
            text += "\n" + self.env._("… and %s more errors.", len(self.messages) - len(shown))
        return UserError(
            self.env._(
                "The spreadsheet was not imported and nothing was changed. Correct these "
                "errors and import it again:\n%s",
                text,
            )
        )


class ImportPlan:
    """What an import will write, computed before writing anything."""

    def __init__(self):
        self.themes = {}  # ess.guide.year.theme -> vals
        self.lines = {}  # ess.guide.year.line -> vals
        self.actions = {}  # ess.action -> vals
        self.new_actions = []  # vals

    def update(self, target, record, vals):
        if vals:
            target.setdefault(record, {}).update(vals)


class EssGuideYearXlsx(models.Model):
    """Spreadsheet round trip of a guide year: export through the XLSX
    report, import with every error of the file reported at once and nothing
    written unless the whole file is right."""

    _inherit = "ess.guide.year"

    # ----------------------------------------------------------------- import
    def _ess_import_xlsx(self, content, filename=None):
        """Update the guide year from its spreadsheet (see the report for the
        layout). Returns the counts of what changed; raises a UserError listing
        every error of the file, and then writes nothing."""
        self.ensure_one()
        self._ess_xlsx_check_importable()
        workbook = self._ess_xlsx_open(content)
        errors = ImportErrors(self.env)
        try:
            plan = self._ess_xlsx_read(workbook, errors)
        finally:
            workbook.close()
        if errors:
            raise errors.user_error()
        return self._ess_xlsx_apply(plan, content, filename)

    def _ess_xlsx_check_importable(self):
        if self.state == "closed" and not self.env.user.has_group("ess_network.group_ess_manager"):
            raise UserError(
                self.env._(
                    "%s is closed: only a network administrator can import a spreadsheet into it.",
                    self.name,
                )
            )

    def _ess_xlsx_open(self, content):
        """The workbook in ``content``, or a UserError saying why it is not one."""
        if not content:
            raise UserError(self.env._("The file is empty."))
        if len(content) > MAX_FILE_SIZE:
            raise UserError(
                self.env._(
                    "The file is too large (%(size)s MB); the limit is %(limit)s MB.",
                    size=round(len(content) / 1024 / 1024, 1),
                    limit=MAX_FILE_SIZE // 1024 // 1024,
                )
            )
        not_xlsx = self.env._(
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
            raise UserError(self.env._("The workbook holds too much data to be imported."))
        stream.seek(0)
        try:
            return load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a bad file
            raise UserError(not_xlsx) from error

    def _ess_xlsx_read(self, workbook, errors):
        """Read and check every sheet; returns the ImportPlan."""
        plan = ImportPlan()
        index = self._ess_xlsx_index()
        if SHEET_STEERING not in workbook.sheetnames:
            errors.add(
                self.env._(
                    "The workbook has no sheet “%(sheet)s”: export the guide's spreadsheet "
                    "and start from it. Sheets found: %(found)s.",
                    sheet=SHEET_STEERING,
                    found=", ".join(workbook.sheetnames),
                )
            )
            return plan
        self._ess_xlsx_read_steering(workbook[SHEET_STEERING], errors, index, plan)
        if SHEET_THEMES in workbook.sheetnames:
            self._ess_xlsx_read_themes(workbook[SHEET_THEMES], errors, index, plan)
        follow_up = self._ess_xlsx_follow_up_sheet(workbook)
        if follow_up:
            self._ess_xlsx_read_follow_up(workbook[follow_up], follow_up, errors, index, plan)
        if SHEET_ACTIONS in workbook.sheetnames:
            self._ess_xlsx_read_actions(workbook[SHEET_ACTIONS], errors, index, plan)
        return plan

    def _ess_xlsx_follow_up_sheet(self, workbook):
        expected = follow_up_sheet_name(self.year)
        if expected in workbook.sheetnames:
            return expected
        return next(
            (name for name in workbook.sheetnames if name.startswith(SHEET_FOLLOW_UP_PREFIX)),
            None,
        )

    def _ess_xlsx_index(self):
        """Everything a row may refer to, read once."""
        Theme = self.env["ess.guide.theme"].with_context(active_test=False)
        Domain = self.env["ess.guide.domain"].with_context(active_test=False)
        Question = self.env["ess.guide.question"].with_context(active_test=False)
        lines, questions = {}, {}
        for line in self.line_ids:
            lines.setdefault((line.domain_id.id, name_key(line.question_id.name)), []).append(line)
        for question in Question.search([]):
            questions.setdefault((question.domain_id.id, name_key(question.name)), []).append(
                question
            )
        pilots = {}
        contacts = self.env["res.partner"].search(
            [("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id)]
        )
        for contact in contacts:
            pilots.setdefault(name_key(contact.name or ""), []).append(contact)
        return {
            "themes": {theme.code: theme for theme in Theme.search([])},
            "domains": {domain.code: domain for domain in Domain.search([])},
            "theme_lines": {line.theme_id.id: line for line in self.theme_line_ids},
            "lines": lines,
            "questions": questions,
            "pilots": pilots,
            "actions": {
                action.id: action for action in self.with_context(active_test=False).action_ids
            },
        }

    # ------------------------------------------------------------ sheet rows
    def _ess_xlsx_rows(self, sheet, name, header, errors):
        """Yield ``(row number, cells)`` of the data rows of ``sheet`` after
        checking its header on row 1; empty rows are skipped."""
        width = len(header)
        rows = sheet.iter_rows(min_row=1, max_col=width)
        first = next(rows, ())
        found = tuple(normalise(cell.value) if cell.value is not None else "" for cell in first)
        found += ("",) * (width - len(found))
        if found != tuple(normalise(title) for title in header):
            errors.add(
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
            blank = all(self._ess_xlsx_blank(cell) for cell in cells)
            if number > MAX_ROWS + 1 and (not blank or number > MAX_SCANNED_ROWS):
                errors.add(
                    self.env._("the sheet has more than %s rows; split the file.", MAX_ROWS),
                    name,
                    number,
                )
                return
            if not blank:
                yield number, cells

    @staticmethod
    def _ess_xlsx_blank(cell):
        value = getattr(cell, "value", None)
        return value is None or (isinstance(value, str) and not value.strip())

    # ------------------------------------------------------------ cell reading
    def _ess_xlsx_text(self, cell):
        """Text of a cell, False when empty; numbers and dates become text."""
        value = getattr(cell, "value", None)
        if value is None:
            return False
        if isinstance(value, datetime.datetime | datetime.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
        return text if text.strip() else False

    def _ess_xlsx_number(self, cell, unit=None):
        """Number of a cell, None when empty. Accepts numbers, and text
        holding only a number (comma or dot decimal)."""
        value = getattr(cell, "value", None)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or isinstance(value, datetime.datetime | datetime.date):
            raise CellError(self._ess_xlsx_number_message(value, unit))
        if isinstance(value, int | float):
            if is_percent_format(getattr(cell, "number_format", "")):
                return round(value * 100, 10)
            return float(value)
        text = normalise(value).replace(" ", "")
        if not NUMBER_RE.match(text):
            raise CellError(self._ess_xlsx_number_message(value, unit))
        return float(text.replace(",", "."))

    def _ess_xlsx_number_message(self, value, unit):
        if unit:
            return self.env._(
                "a number is expected for this indicator (in %(unit)s, without the unit), "
                "not “%(value)s”.",
                unit=unit,
                value=value,
            )
        return self.env._("a number is expected, not “%s”.", value)

    def _ess_xlsx_date(self, cell):
        """Date of a cell, False when empty: a date cell, or text as dd/mm/yyyy."""
        value = getattr(cell, "value", None)
        if value is None or (isinstance(value, str) and not value.strip()):
            return False
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            for date_format in DATE_FORMATS:
                try:
                    return datetime.datetime.strptime(value.strip(), date_format).date()
                except ValueError:
                    continue
        raise CellError(self.env._("“%s” is not a date; write it as dd/mm/yyyy.", value))

    def _ess_xlsx_label(self, cell, labels, required=False):
        """Key of the selection whose French label is in the cell."""
        text = self._ess_xlsx_text(cell)
        if not text:
            if required:
                raise CellError(self.env._("choose one of: %s.", " / ".join(labels.values())))
            return False
        by_label = {label_key(label): key for key, label in labels.items()}
        key = by_label.get(label_key(text))
        if not key:
            raise CellError(
                self.env._(
                    "“%(value)s” is not one of: %(labels)s.",
                    value=text,
                    labels=" / ".join(labels.values()),
                )
            )
        return key

    def _ess_xlsx_theme(self, cell, index):
        """Theme whose number starts the cell ("1. Gouvernance"), None if empty."""
        text = self._ess_xlsx_text(cell)
        if not text:
            return None
        token = normalise(text).split(" ")[0].rstrip(".)")
        match = re.match(r"\d+", token)
        theme = index["themes"].get(token) or (match and index["themes"].get(match.group()))
        if not theme:
            raise CellError(
                self.env._(
                    "unknown theme “%s”: start the cell with the theme's number, e.g. "
                    "“1. Gouvernance”.",
                    text,
                )
            )
        return theme

    def _ess_xlsx_domain(self, cell, index):
        """Domain whose number starts the cell ("1.3 Exercice du pouvoir")."""
        value = getattr(cell, "value", None)
        if isinstance(value, float):  # a bare "1.3" typed in a number cell
            value = f"{value:g}"
        text = self._ess_xlsx_text(cell) if not isinstance(value, str) else value
        if not text or not text.strip():
            return None
        token = normalise(text).split(" ")[0].rstrip(".")
        domain = index["domains"].get(token)
        if not domain:
            raise CellError(
                self.env._(
                    "unknown domain of action “%s”: start the cell with the domain's number, "
                    "e.g. “1.3 Exercice du pouvoir”.",
                    text,
                )
            )
        return domain

    def _ess_xlsx_locate(self, errors, sheet, row, cells, index, carry, candidates):
        """Record of ``candidates`` (lines or questions, by domain and name)
        named by the theme, domain and question cells of a row (columns A-C,
        or the three columns given by ``carry['cols']``). An empty theme or
        domain cell repeats the row above when ``carry`` tracks it (merged
        cells). Returns None after recording the error."""
        col_theme, col_domain, col_question = carry.get("cols", (0, 1, 2))
        theme = errors.read_cell(
            sheet, row, col_theme, self._ess_xlsx_theme, cells[col_theme], index
        )
        domain = errors.read_cell(
            sheet, row, col_domain, self._ess_xlsx_domain, cells[col_domain], index
        )
        if theme is INVALID or domain is INVALID:
            return None
        if carry.get("repeat"):
            if not domain:
                domain = carry.get("domain")
                theme = theme or carry.get("theme")
            carry.update(theme=theme, domain=domain)
        question = self._ess_xlsx_text(cells[col_question])
        if not domain:
            errors.add(self.env._("the domain of action is missing."), sheet, row, col_domain)
            return None
        if theme and domain.theme_id != theme:
            errors.add(
                self.env._(
                    "the domain of action %(domain)s belongs to theme %(right)s, not to "
                    "theme %(wrong)s.",
                    domain=domain.code,
                    right=domain.theme_id.code,
                    wrong=theme.code,
                ),
                sheet,
                row,
                col_theme,
            )
            return None
        if not question:
            errors.add(
                self.env._("the question or indicator is missing."), sheet, row, col_question
            )
            return None
        found = candidates.get((domain.id, name_key(question)), [])
        if len(found) != 1:
            errors.add(
                self.env._(
                    "unknown question or indicator in the domain %(domain)s of this guide: "
                    "“%(question)s”.",
                    domain=domain.code,
                    question=question,
                )
                if not found
                else self.env._(
                    "several questions of the domain %(domain)s are named “%(question)s”.",
                    domain=domain.code,
                    question=question,
                ),
                sheet,
                row,
                col_question,
            )
            return None
        return found[0]

    def _ess_xlsx_check_duplicate(self, errors, sheet, row, seen, record, col=2):
        if record in seen:
            errors.add(self.env._("this row repeats row %s.", seen[record]), sheet, row, col)
            return True
        seen[record] = row
        return False

    # ----------------------------------------------------------------- sheets
    def _ess_xlsx_read_steering(self, sheet, errors, index, plan):
        name = SHEET_STEERING
        seen, carry = {}, {"repeat": True}
        for row, cells in self._ess_xlsx_rows(sheet, name, STEERING_HEADER, errors):
            line = self._ess_xlsx_locate(errors, name, row, cells, index, carry, index["lines"])
            if not line or self._ess_xlsx_check_duplicate(errors, name, row, seen, line):
                continue
            baseline = cells[3].value if cells[3] is not None else None
            if isinstance(baseline, str) and label_key(baseline).startswith(
                label_key(NOT_TREATED_MARK)
            ):
                vals = self._ess_xlsx_not_treated(errors, name, row, cells, baseline)
            else:
                vals = self._ess_xlsx_measures(errors, name, row, cells, line)
            if vals is not None:
                plan.update(plan.lines, line, self._ess_xlsx_changes(line, vals))

    def _ess_xlsx_not_treated(self, errors, sheet, row, cells, text):
        """Values of a row whose baseline reads "Question non traitée : reason"."""
        rest = normalise(text)[len(NOT_TREATED_MARK) :].lstrip(" :-–—")
        valid = True
        if not rest:
            errors.add(
                self.env._(
                    "say why the question is not treated, e.g. “Question non traitée : nos "
                    "administrateurs sont choisis pour leur expertise”."
                ),
                sheet,
                row,
                3,
            )
            valid = False
        for col in (4, 5):
            if not self._ess_xlsx_blank(cells[col]):
                errors.add(
                    self.env._(
                        "a question not treated has no objective: empty this cell or remove "
                        "“%s” from the baseline.",
                        NOT_TREATED_MARK,
                    ),
                    sheet,
                    row,
                    col,
                )
                valid = False
        if not valid:
            return None
        reason = text[len(NOT_TREATED_PREFIX) :] if text.startswith(NOT_TREATED_PREFIX) else text
        return {"retained": False, "reason": reason.replace("\r\n", "\n")}

    def _ess_xlsx_measures(self, errors, sheet, row, cells, line):
        """Baseline and objectives of a treated question, None on error."""
        vals = {"retained": True}
        if not line.retained:
            vals["reason"] = False
        if line.kind != "quantitative":
            for col, measure in enumerate(LINE_TEXT_MEASURES, 3):
                vals[measure] = self._ess_xlsx_text(cells[col])
            return vals
        for col, measure in enumerate(LINE_NUMBER_MEASURES, 3):
            vals[measure] = errors.read_cell(
                sheet, row, col, self._ess_xlsx_number, cells[col], line.unit
            )
        if INVALID in vals.values():
            return None
        for measure in LINE_NUMBER_MEASURES:
            vals[measure] = vals[measure] or 0.0
        return vals

    def _ess_xlsx_read_themes(self, sheet, errors, index, plan):
        name = SHEET_THEMES
        seen = {}
        for row, cells in self._ess_xlsx_rows(sheet, name, THEMES_HEADER, errors):
            theme = errors.read_cell(name, row, 0, self._ess_xlsx_theme, cells[0], index)
            if theme is INVALID:
                continue
            theme_line = index["theme_lines"].get(theme.id) if theme else None
            if not theme_line:
                errors.add(
                    self.env._("this theme is not part of this guide year.")
                    if theme
                    else self.env._("the theme is missing."),
                    name,
                    row,
                    0,
                )
                continue
            if self._ess_xlsx_check_duplicate(errors, name, row, seen, theme_line, col=0):
                continue
            decision = errors.read_cell(
                name, row, 1, self._ess_xlsx_label, cells[1], DECISION_LABELS, True
            )
            reason = self._ess_xlsx_text(cells[2])
            if decision == "not_retained" and not reason:
                errors.add(
                    self.env._(
                        "say why the theme is not retained (for example: “Question non traitée "
                        "car…”)."
                    ),
                    name,
                    row,
                    2,
                )
                continue
            if decision is INVALID:
                continue
            vals = {
                "decision": decision,
                "reason": reason,
                "good_practices": self._ess_xlsx_text(cells[3]),
                "progress_areas": self._ess_xlsx_text(cells[4]),
            }
            plan.update(plan.themes, theme_line, self._ess_xlsx_changes(theme_line, vals))

    def _ess_xlsx_read_follow_up(self, sheet, name, errors, index, plan):
        header = follow_up_header(self.year)
        seen, carry = {}, {"repeat": True}
        for row, cells in self._ess_xlsx_rows(sheet, name, header, errors):
            line = self._ess_xlsx_locate(errors, name, row, cells, index, carry, index["lines"])
            if not line or self._ess_xlsx_check_duplicate(errors, name, row, seen, line):
                continue
            # Columns D (unit) and E (last year's value) are shown, not imported;
            # so are the computed progress of an indicator in G and H.
            if line.kind == "quantitative":
                value = errors.read_cell(name, row, 5, self._ess_xlsx_number, cells[5], line.unit)
                if value is INVALID:
                    continue
                vals = {"has_value": value is not None}
                if value is not None:
                    vals["value"] = value
            else:
                vals = {"value_text": self._ess_xlsx_text(cells[5])}
                for col, field in ((6, "achievement_1y"), (7, "achievement_3y")):
                    vals[field] = errors.read_cell(
                        name, row, col, self._ess_xlsx_label, cells[col], ACHIEVEMENT_LABELS
                    )
                if INVALID in vals.values():
                    continue
            changes = self._ess_xlsx_changes(line, vals)
            if "value_text" in changes:
                # A question is measured once its answer is written, as on the portal.
                changes["has_value"] = bool(changes["value_text"])
            plan.update(plan.lines, line, changes)

    def _ess_xlsx_read_actions(self, sheet, errors, index, plan):
        name = SHEET_ACTIONS
        seen = {}
        carry = {"cols": (2, 3, 4)}
        for row, cells in self._ess_xlsx_rows(sheet, name, ACTIONS_HEADER, errors):
            action = errors.read_cell(name, row, 0, self._ess_xlsx_action_ref, cells[0], index)
            if action is INVALID:
                continue
            if action and self._ess_xlsx_check_duplicate(errors, name, row, seen, action, col=0):
                continue
            vals = self._ess_xlsx_action_values(errors, name, row, cells, index, carry, action)
            if vals is None:
                continue
            if action:
                plan.update(plan.actions, action, self._ess_xlsx_action_changes(action, vals))
            else:
                plan.new_actions.append(
                    {**vals, "partner_id": self.partner_id.id, "guide_year_id": self.id}
                )

    def _ess_xlsx_action_ref(self, cell, index):
        text = self._ess_xlsx_text(cell)
        if not text:
            return None
        match = ACTION_REF_RE.match(normalise(text))
        if not match:
            example = ACTION_REF_PREFIX + "12"
            raise CellError(
                self.env._(
                    "“%(value)s” is not an action reference like “%(example)s”; leave the cell "
                    "empty for a new action.",
                    value=text,
                    example=example,
                )
            )
        action = index["actions"].get(int(match.group(1)))
        if not action:
            # Same message whether the action exists elsewhere or not at all.
            raise CellError(
                self.env._(
                    "unknown action “%s”: it is not an action of this guide year. Leave the "
                    "cell empty to create a new action.",
                    text,
                )
            )
        return action

    def _ess_xlsx_action_values(self, errors, sheet, row, cells, index, carry, action):
        """Values of an action row, None when the row has errors."""
        count = len(errors.messages)
        name = self._ess_xlsx_text(cells[1])
        if not name:
            errors.add(self.env._("the action needs a name."), sheet, row, 1)
        reference = self._ess_xlsx_action_reference(errors, sheet, row, cells, index, carry)
        pilot = errors.read_cell(sheet, row, 5, self._ess_xlsx_pilot, cells[5], index, action)
        budget = errors.read_cell(sheet, row, 6, self._ess_xlsx_number, cells[6])
        if budget not in (None, INVALID) and budget < 0:
            errors.add(self.env._("a budget cannot be negative."), sheet, row, 6)
        date_start = errors.read_cell(sheet, row, 7, self._ess_xlsx_date, cells[7])
        date_deadline = errors.read_cell(sheet, row, 8, self._ess_xlsx_date, cells[8])
        if (
            date_start
            and date_deadline
            and INVALID not in (date_start, date_deadline)
            and date_deadline < date_start
        ):
            errors.add(self.env._("the deadline cannot precede the start."), sheet, row, 8)
        state = errors.read_cell(sheet, row, 9, self._ess_xlsx_label, cells[9], ACTION_STATE_LABELS)
        progress = errors.read_cell(sheet, row, 10, self._ess_xlsx_number, cells[10])
        if progress not in (None, INVALID) and not 0 <= progress <= 100:
            errors.add(
                self.env._(
                    "the progress is a percentage between 0 and 100, not %s.", format(progress, "g")
                ),
                sheet,
                row,
                10,
            )
        origin = errors.read_cell(
            sheet, row, 11, self._ess_xlsx_label, cells[11], ACTION_ORIGIN_LABELS
        )
        if len(errors.messages) > count:
            return None
        return {
            "name": name,
            **reference,
            "pilot_id": pilot.id if pilot else False,
            "budget": budget or 0.0,
            "date_start": date_start,
            "date_deadline": date_deadline,
            "state": state or "todo",
            "progress": round(progress or 0),
            "origin": origin or "guide",
        }

    def _ess_xlsx_action_reference(self, errors, sheet, row, cells, index, carry):
        """Theme, domain and question an action row refers to (all optional);
        errors are recorded."""
        theme = domain = question = None
        if not self._ess_xlsx_blank(cells[4]):
            question = self._ess_xlsx_locate(
                errors, sheet, row, cells, index, carry, index["questions"]
            )
        else:
            theme = errors.read_cell(sheet, row, 2, self._ess_xlsx_theme, cells[2], index)
            domain = errors.read_cell(sheet, row, 3, self._ess_xlsx_domain, cells[3], index)
            if theme is INVALID or domain is INVALID:
                theme = domain = None
            elif theme and domain and domain.theme_id != theme:
                errors.add(
                    self.env._(
                        "the domain of action %(domain)s belongs to theme %(right)s, not to "
                        "theme %(wrong)s.",
                        domain=domain.code,
                        right=domain.theme_id.code,
                        wrong=theme.code,
                    ),
                    sheet,
                    row,
                    2,
                )
        if question:
            domain = question.domain_id
        if domain:
            theme = domain.theme_id
        return {
            "theme_id": theme.id if theme else False,
            "domain_id": domain.id if domain else False,
            "question_id": question.id if question else False,
        }

    def _ess_xlsx_pilot(self, cell, index, action):
        """Contact of the organisation named in the cell."""
        text = self._ess_xlsx_text(cell)
        if not text:
            return None
        if action and action.pilot_id and name_key(action.pilot_id.name or "") == name_key(text):
            return action.pilot_id
        found = index["pilots"].get(name_key(text), [])
        if not found:
            raise CellError(
                self.env._(
                    "“%(name)s” is not a contact of %(organisation)s.",
                    name=text,
                    organisation=self.partner_id.name,
                )
            )
        if len(found) > 1:
            raise CellError(
                self.env._(
                    "several contacts of %(organisation)s are named “%(name)s”.",
                    name=text,
                    organisation=self.partner_id.name,
                )
            )
        return found[0]

    # ---------------------------------------------------------------- writing
    @staticmethod
    def _ess_xlsx_changes(record, vals):
        """The values of ``vals`` that differ from ``record``."""
        changes = {}
        for field_name, value in vals.items():
            current = record[field_name]
            if isinstance(value, float):
                if not same_number(current or 0.0, value):
                    changes[field_name] = value
            elif (current or False) != (value or False):
                changes[field_name] = value
        return changes

    def _ess_xlsx_action_changes(self, action, vals):
        changes = {}
        for field_name, value in vals.items():
            current = action[field_name]
            if isinstance(current, models.BaseModel):
                current = current.id
            if field_name == "budget":
                if action.currency_id.compare_amounts(current, value):
                    changes[field_name] = value
            elif (current or False) != (value or False):
                changes[field_name] = value
        if {"state", "progress"} & set(changes):
            # Keep the pair as in the file: the model syncs one from the other.
            changes.update(state=vals["state"], progress=vals["progress"])
        return changes

    def _ess_xlsx_apply(self, plan, content, filename):
        """Write the plan in one go: a failure leaves everything as it was."""
        counts = {
            "themes": len(plan.themes),
            "lines": len(plan.lines),
            "actions_updated": len(plan.actions),
            "actions_created": len(plan.new_actions),
        }
        try:
            with self.env.cr.savepoint():
                for theme_line, vals in plan.themes.items():
                    theme_line.write(vals)
                for line, vals in plan.lines.items():
                    line.write(vals)
                for action, vals in plan.actions.items():
                    action.write(vals)
                self.env["ess.action"].create(plan.new_actions)
                self.message_post(
                    body=self._ess_xlsx_summary(counts),
                    attachments=[(filename or spreadsheet_filename(self), content)],
                )
        except UserError as error:
            raise UserError(
                self.env._(
                    "The spreadsheet was not imported and nothing was changed: %s", error.args[0]
                )
            ) from error
        return counts

    def _ess_xlsx_summary(self, counts):
        return self.env._(
            "Spreadsheet imported: %(themes)s theme(s), %(lines)s question(s) or indicator(s) "
            "and %(actions)s action(s) updated, %(new)s action(s) created.",
            themes=counts["themes"],
            lines=counts["lines"],
            actions=counts["actions_updated"],
            new=counts["actions_created"],
        )
