"""The steering spreadsheet of a guide year (seed 002, step 9: "reporter dans
des outils simples type tableur Excel"), defined once for its export
(``report/ess_guide_year_xlsx.py``) and its import
(``wizards/ess_guide_year_import.py``): the sheets, their columns (field,
title, width, kind), and how a cell is written and read back.

Sheet names, column titles and the labels of the choices are French words,
whatever the user's language, so that a file goes back and forth unchanged.
"""

import datetime
import re
from typing import NamedTuple

from . import inputs

# Kinds of column: how a cell is written and read.
TEXT = "text"  # a string cell, never a formula
MEASURE = "measure"  # a number (its unit in the cell format) or a text, by question
CHOICE = "choice"  # the French label of a selection value, from a drop-down list
MONEY = "money"  # an amount, in the currency format of report_xlsx
INTEGER = "integer"
DATE = "date"

DECISION_LABELS = {"retained": "Oui", "not_retained": "Non", "pending": "À décider"}
ACHIEVEMENT_LABELS = {
    "not_met": "Non atteint",
    "partly_met": "Partiellement atteint",
    "met": "Atteint",
}
ACTION_STATE_LABELS = {
    "todo": "À faire",
    "in_progress": "En cours",
    "done": "Terminée",
    "cancelled": "Annulée",
}
ACTION_ORIGIN_LABELS = {
    "guide": "Guide des bonnes pratiques",
    "self_assessment": "Autodiagnostic",
    "evaluation": "Point d'amélioration de l'évaluation",
    "stakeholder": "Demande d'une partie prenante",
    "other": "Autre",
}

# A question the organisation does not treat shows its reason in the
# baseline column, as in seed 002's example.
NOT_TREATED_MARK = "Question non traitée"
NOT_TREATED_PREFIX = NOT_TREATED_MARK + " : "

# Reference of an existing action, so that the import updates it.
ACTION_REF_PREFIX = "ACT-"
ACTION_REF_RE = re.compile(rf"^{ACTION_REF_PREFIX}\s*(\d+)$", re.IGNORECASE)

# Rows offered to drop-down lists below the data, for rows added by hand.
SPARE_ROWS = 200


class Column(NamedTuple):
    """A column of a sheet: the field its cells hold, its title on row 1,
    its width, its kind (how a cell is written and read), the French labels
    of a choice, and whether it is shown on grey, for information."""

    field: str
    title: str
    width: int
    kind: str = TEXT
    labels: dict | None = None
    info: bool = False


class Layout:
    """A sheet: its name and its columns, in order."""

    def __init__(self, name, *columns):
        self.name = name
        self.columns = columns
        self.header = tuple(column.title for column in columns)
        self._index = {column.field: col for col, column in enumerate(columns)}

    def index(self, field):
        """Position (0 for column A) of the column of ``field``."""
        return self._index[field]

    def column(self, field):
        return self.columns[self._index[field]]


THEME = Column("theme_id", "Thème", 22)
DOMAIN = Column("domain_id", "Domaine d'action", 30)
QUESTION = Column("question_id", "Questions ou indicateurs", 60)

# Seed 002's "outil de pilotage", column for column.
STEERING = Layout(
    "Pilotage",
    THEME,
    DOMAIN,
    QUESTION,
    Column("baseline", "Etat des lieux (année N0)", 35, MEASURE),
    Column("objective_1y", "Objectif à 1 an (année N+1)", 35, MEASURE),
    Column("objective_3y", "Objectif à 3 ans (année N+3)", 35, MEASURE),
)
THEMES = Layout(
    "Thèmes",
    THEME._replace(width=45),
    Column("decision", "Retenu", 14, CHOICE, DECISION_LABELS),
    Column("reason", "Raison si non retenu", 50),
    Column("good_practices", "Bonnes pratiques", 50),
    Column("progress_areas", "Axes de progrès", 50),
)
FOLLOW_UP_PREFIX = "Suivi"
ACTIONS = Layout(
    "Plan d'action",
    Column("id", "Réf.", 10, info=True),
    Column("name", "Action", 40),
    THEME,
    DOMAIN,
    QUESTION._replace(width=50),
    Column("pilot_id", "Pilote", 24),
    Column("budget", "Budget (€)", 12, MONEY),
    Column("date_start", "Début", 12, DATE),
    Column("date_deadline", "Échéance", 12, DATE),
    Column("state", "Statut", 14, CHOICE, ACTION_STATE_LABELS),
    Column("progress", "Avancement (%)", 14, INTEGER),
    Column("origin", "Origine", 30, CHOICE, ACTION_ORIGIN_LABELS),
)


def follow_up(year):
    """The sheet of the values measured in ``year``. For an indicator, its
    unit and last year's value are shown, and columns G and H show the
    computed progress; none of them is imported."""
    return Layout(
        f"{FOLLOW_UP_PREFIX} {year}",
        THEME,
        DOMAIN,
        QUESTION,
        Column("unit", "Unité", 12, info=True),
        Column("previous_value", "Valeur de l'année précédente", 28, MEASURE, info=True),
        Column("value", f"Valeur mesurée (année {year})", 28, MEASURE),
        Column("achievement_1y", "Objectif à 1 an atteint ?", 24, CHOICE, ACHIEVEMENT_LABELS),
        Column("achievement_3y", "Objectif à 3 ans atteint ?", 24, CHOICE, ACHIEVEMENT_LABELS),
    )


# The workbook's keywords name the guide year it was exported from, so that
# its import refuses another organisation's or another year's file. A
# workbook made by hand, without them, is read on its sheets alone.
ORIGIN_PREFIX = "ess-guide-year-"
ORIGIN_RE = re.compile(rf"{ORIGIN_PREFIX}(\d{{1,18}})")


def origin_keywords(guide):
    """``ess-guide-year-12``: the keywords of the workbook of ``guide``."""
    return f"{ORIGIN_PREFIX}{guide.id}"


def origin_id(keywords):
    """The id of the guide year a workbook's keywords name, None when they
    name none."""
    match = ORIGIN_RE.search(keywords) if isinstance(keywords, str) else None
    return int(match.group(1)) if match else None


def filename(guide):
    """``Guide 2026 - Scop Impulsion.xlsx``, in the language of the guide's
    environment."""
    return f"{guide._ess_filename()}.xlsx"


# ------------------------------------------------------- cells as they read
def theme_cell(theme, short=True):
    """``1. Gouvernance``: the number, then the (short) title."""
    if not theme:
        return ""
    return f"{theme.code}. {theme.label if short else theme.name}"


def theme_codes(text):
    """The theme numbers a theme cell may start with: ``1.`` or ``1)`` give
    ``1``, as does ``1-Gouvernance``."""
    token = text.split()[0].rstrip(".)")
    digits = re.match(r"\d+", token)
    return (token, digits.group()) if digits else (token,)


def domain_cell(domain):
    """``1.3 Exercice du pouvoir``."""
    return f"{domain.code} {domain.name}" if domain else ""


def domain_code(cell):
    """The domain number a domain cell starts with, None when empty; a bare
    ``1.3`` that Excel took for a number too."""
    value = getattr(cell, "value", cell)
    if isinstance(value, float):
        value = f"{value:g}"
    text = cell_text(value)
    return text.split()[0].rstrip(".") if text else None


def not_treated_cell(reason):
    """The baseline cell of a question not treated, e.g. ``Question non
    traitée : nos administrateurs sont choisis pour leur expertise``. A reason
    that already reads ``Question non traitée car…`` is written as it is."""
    reason = reason or ""
    if reason.startswith(NOT_TREATED_MARK) and not reason.startswith(NOT_TREATED_PREFIX):
        return reason
    return NOT_TREATED_PREFIX + reason


def not_treated_reason(value):
    """The reason read back from a baseline cell that says the question is
    not treated ("" when it gives none); None for any other cell."""
    mark = inputs.comparable(NOT_TREATED_MARK)
    if not isinstance(value, str) or not inputs.comparable(value).startswith(mark):
        return None
    if inputs.comparable(value) == mark:
        return ""
    reason = value[len(NOT_TREATED_PREFIX) :] if value.startswith(NOT_TREATED_PREFIX) else value
    return reason.replace("\r\n", "\n")


def action_ref(action):
    """``ACT-12``."""
    return f"{ACTION_REF_PREFIX}{action.id}"


def action_id(text):
    """The id of the action an ``ACT-12`` cell refers to, None for any
    other text."""
    match = ACTION_REF_RE.match(" ".join(text.split()))
    return int(match.group(1)) if match else None


# ------------------------------------------------------------ writing cells
class Formats:
    """Cell formats of the workbook, those of units and currencies made
    once. ``currency_format(currency)`` is report_xlsx's number format of an
    amount (``_report_xlsx_currency_format``)."""

    BASE = {"text_wrap": True, "valign": "top"}
    INFO = {"font_color": "#595959", "bg_color": "#F2F2F2"}

    def __init__(self, workbook, currency_format):
        self.workbook = workbook
        self.currency_format = currency_format
        base, info = self.BASE, {**self.BASE, **self.INFO}
        self.header = workbook.add_format(
            {**base, "bold": True, "bg_color": "#D9E7D1", "border": 1, "valign": "vcenter"}
        )
        self.text = workbook.add_format(base)
        self.info = workbook.add_format(info)
        self.percent_info = workbook.add_format({**info, "num_format": '0" %"'})
        self.by_kind = {
            INTEGER: workbook.add_format({**base, "num_format": "0"}),
            DATE: workbook.add_format({**base, "num_format": "dd/mm/yyyy"}),
        }
        self._made = {}

    def _make(self, key, style):
        if key not in self._made:
            self._made[key] = self.workbook.add_format(style)
        return self._made[key]

    def unit(self, unit, info=False):
        """Number format showing the unit after the number; the cell value
        stays a plain number."""
        unit_text = (unit or "").replace('"', "").replace("\\", "")
        num_format = f'General" {unit_text}"' if unit_text else "General"
        style = {**self.BASE, **(self.INFO if info else {}), "num_format": num_format}
        return self._make(("unit", unit_text, info), style)

    def money(self, currency):
        num_format = self.currency_format(currency)
        return self._make(("money", num_format), {**self.BASE, "num_format": num_format})

    def of(self, column):
        """The format of a cell of ``column`` when the writer names none."""
        return self.by_kind.get(column.kind) or (self.info if column.info else self.text)


class SheetWriter:
    """A sheet of the export: header, widths and frozen first row made from
    its layout; cells written by field."""

    def __init__(self, workbook, formats, layout):
        self.formats = formats
        self.layout = layout
        self.sheet = workbook.add_worksheet(layout.name)
        for col, column in enumerate(layout.columns):
            self.sheet.set_column(col, col, column.width)
            self.sheet.write_string(0, col, column.title, formats.header)
        self.sheet.set_row(0, 32)
        self.sheet.freeze_panes(1, 0)

    def write_cell(self, row, field, value, cell_format=None):
        """Write ``value`` in the column of ``field``: a selection value as
        its label, a text always as a string (a text starting with "=" never
        becomes a formula), a number, a date; None, False or "" as a blank
        cell that keeps the format."""
        col = self.layout.index(field)
        column = self.layout.column(field)
        cell_format = cell_format or self.formats.of(column)
        if column.labels and isinstance(value, str):
            value = column.labels[value]
        if value is None or value is False or value == "":
            self.sheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, str):
            self.sheet.write_string(row, col, value, cell_format)
        elif isinstance(value, datetime.date):
            self.sheet.write_datetime(row, col, value, cell_format)
        else:
            self.sheet.write_number(row, col, value, cell_format)

    def finish(self, last_row):
        """Drop-down lists on the choice columns, a filter on the header."""
        for col, column in enumerate(self.layout.columns):
            if column.kind == CHOICE:
                self.sheet.data_validation(
                    1,
                    col,
                    last_row + SPARE_ROWS,
                    col,
                    {
                        "validate": "list",
                        "source": list(column.labels.values()),
                        "ignore_blank": True,
                    },
                )
        self.sheet.autofilter(0, 0, max(last_row, 1), len(self.layout.columns) - 1)


# ------------------------------------------------------------ reading cells
class CellError(ValueError):
    """A cell that cannot be read; ``args[0]`` says why."""


def cell_blank(cell):
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(cell_or_value):
    """Text of a cell, False when empty; numbers and dates become text."""
    value = getattr(cell_or_value, "value", cell_or_value)
    if value is None:
        return False
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else False


def is_percent_format(number_format):
    """True for a format that multiplies by 100 ("0%"), not for a quoted
    unit ('General" %"')."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in unquoted


def cell_number(env, cell, unit=None):
    """Number of a cell, None when empty: a number (12.5 % typed in a
    percent cell is 12.5), or a text holding only a number, either decimal
    separator (``inputs.parse_number``)."""
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if is_percent_format(getattr(cell, "number_format", "")):
            value = round(value * 100, 10)
    elif value is not None and not isinstance(value, str):  # a date, a tick box
        raise CellError(_number_message(env, value, unit))
    try:
        return inputs.parse_number(env, value)
    except inputs.InputError as error:
        raise CellError(_number_message(env, value, unit)) from error


def _number_message(env, value, unit):
    if unit:
        return env._(
            "a number is expected for this indicator (in %(unit)s, without the unit), "
            "not “%(value)s”.",
            unit=unit,
            value=value,
        )
    return env._("a number is expected, not “%s”.", value)


def cell_date(env, cell):
    """Date of a cell, False when empty: a date cell, or a text as
    dd/mm/yyyy (``inputs.parse_date``)."""
    value = getattr(cell, "value", None)
    message = env._("“%s” is not a date; write it as dd/mm/yyyy.", value)
    if value is not None and not isinstance(value, str | datetime.date):
        raise CellError(message)
    try:
        return inputs.parse_date(env, value)
    except inputs.InputError as error:
        raise CellError(message) from error


def cell_choice(env, cell, labels, required=False):
    """Key of the choice whose French label is in the cell, compared without
    case nor accents ("a decider" is "À décider"); False when empty."""
    text = cell_text(cell)
    if not text:
        if required:
            raise CellError(env._("choose one of: %s.", " / ".join(labels.values())))
        return False
    key = {inputs.comparable(label): key for key, label in labels.items()}.get(
        inputs.comparable(text)
    )
    if not key:
        raise CellError(
            env._(
                "“%(value)s” is not one of: %(labels)s.",
                value=text,
                labels=" / ".join(labels.values()),
            )
        )
    return key
