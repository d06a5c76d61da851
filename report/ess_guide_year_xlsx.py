"""The spreadsheet of a guide year (seed 002, step 9: "reporter dans des
outils simples type tableur Excel").

The layout below is shared by the export (this report) and the import
(``ess.guide.year._ess_import_xlsx``): sheet names, column headers and the
labels of the selections are French words, whatever the user's language, so
that a file goes back and forth unchanged.
"""

from odoo import models
from odoo.exceptions import UserError

SHEET_STEERING = "Pilotage"
SHEET_THEMES = "Thèmes"
SHEET_FOLLOW_UP_PREFIX = "Suivi"
SHEET_ACTIONS = "Plan d'action"

# Seed 002's "outil de pilotage", column for column.
STEERING_HEADER = (
    "Thème",
    "Domaine d'action",
    "Questions ou indicateurs",
    "Etat des lieux (année N0)",
    "Objectif à 1 an (année N+1)",
    "Objectif à 3 ans (année N+3)",
)
THEMES_HEADER = (
    "Thème",
    "Retenu",
    "Raison si non retenu",
    "Bonnes pratiques",
    "Axes de progrès",
)
ACTIONS_HEADER = (
    "Réf.",
    "Action",
    "Thème",
    "Domaine d'action",
    "Questions ou indicateurs",
    "Pilote",
    "Budget (€)",
    "Début",
    "Échéance",
    "Statut",
    "Avancement (%)",
    "Origine",
)

# A question the organisation does not treat shows its reason in the
# baseline column, as in seed 002's example.
NOT_TREATED_PREFIX = "Question non traitée : "
NOT_TREATED_MARK = "Question non traitée"

# Reference of an existing action, so that the import updates it.
ACTION_REF_PREFIX = "ACT-"

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

# Rows offered to drop-down lists below the data, for rows added by hand.
SPARE_ROWS = 200


def follow_up_sheet_name(year):
    return f"{SHEET_FOLLOW_UP_PREFIX} {year}"


def follow_up_header(year):
    return (
        "Thème",
        "Domaine d'action",
        "Questions ou indicateurs",
        "Unité",
        "Valeur de l'année précédente",
        f"Valeur mesurée (année {year})",
        "Objectif à 1 an atteint ?",
        "Objectif à 3 ans atteint ?",
    )


def theme_cell(theme):
    """``1. Gouvernance``: the number, then the short title."""
    return f"{theme.code}. {theme.label}" if theme else ""


def domain_cell(domain):
    """``1.3 Exercice du pouvoir``."""
    return f"{domain.code} {domain.name}" if domain else ""


def not_treated_cell(reason):
    """The baseline cell of a question not treated, e.g. ``Question non
    traitée : nos administrateurs sont choisis pour leur expertise``. A reason
    that already reads ``Question non traitée car…`` is written as it is."""
    reason = reason or ""
    if reason.startswith(NOT_TREATED_MARK) and not reason.startswith(NOT_TREATED_PREFIX):
        return reason
    return NOT_TREATED_PREFIX + reason


class _Formats:
    """Cell formats of the workbook, number formats per unit made once."""

    BASE = {"text_wrap": True, "valign": "top"}
    INFO = {"font_color": "#595959", "bg_color": "#F2F2F2"}

    def __init__(self, workbook):
        self.workbook = workbook
        base, info = self.BASE, {**self.BASE, **self.INFO}
        self.header = workbook.add_format(
            {**base, "bold": True, "bg_color": "#D9E7D1", "border": 1, "valign": "vcenter"}
        )
        self.text = workbook.add_format(base)
        self.info = workbook.add_format(info)
        self.percent_info = workbook.add_format({**info, "num_format": '0" %"'})
        self.integer = workbook.add_format({**base, "num_format": "0"})
        self.money = workbook.add_format({**base, "num_format": "#,##0.00"})
        self.date = workbook.add_format({**base, "num_format": "dd/mm/yyyy"})
        self._units = {}

    def unit(self, unit, info=False):
        """Number format showing the unit after the number; the cell value
        stays a plain number."""
        key = (unit or "", info)
        if key not in self._units:
            unit_text = (unit or "").replace('"', "").replace("\\", "")
            num_format = f'General" {unit_text}"' if unit_text else "General"
            style = {**self.BASE, **(self.INFO if info else {}), "num_format": num_format}
            self._units[key] = self.workbook.add_format(style)
        return self._units[key]


class GuideYearXlsx(models.AbstractModel):
    """Export of a guide year: steering table, themes, follow-up of the year
    and action plan, one sheet each."""

    _name = "report.ess_network.guide_year_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Guide year spreadsheet"

    def generate_xlsx_report(self, workbook, data, guides):
        if len(guides) != 1:
            raise UserError(
                self.env._(
                    "Export the spreadsheet of one guide year at a time: it is the file the "
                    "organisation fills in and imports back."
                )
            )
        formats = self._ess_formats(workbook)
        guide = guides
        # Read everything the sheets show in a few batched queries.
        theme_lines = guide.theme_line_ids
        lines = guide.line_ids
        actions = guide.action_ids
        self._ess_write_steering(workbook, formats, theme_lines, lines)
        self._ess_write_themes(workbook, formats, theme_lines)
        self._ess_write_follow_up(workbook, formats, guide, lines)
        self._ess_write_actions(workbook, formats, actions)
        workbook.set_properties(
            {
                "title": f"Guide {guide.year} - {guide.partner_id.name}",
                "subject": "Guide des bonnes pratiques de l'ESS",
            }
        )

    # ---------------------------------------------------------------- helpers
    def _ess_formats(self, workbook):
        return _Formats(workbook)

    def _ess_add_sheet(self, workbook, formats, name, header, widths):
        sheet = workbook.add_worksheet(name)
        for col, (title, width) in enumerate(zip(header, widths, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, formats.header)
        sheet.set_row(0, 32)
        sheet.freeze_panes(1, 0)
        return sheet

    def _ess_finish_sheet(self, sheet, header, last_row):
        sheet.autofilter(0, 0, max(last_row, 1), len(header) - 1)

    @staticmethod
    def _ess_list_validation(sheet, col, last_row, labels):
        sheet.data_validation(
            1,
            col,
            last_row + SPARE_ROWS,
            col,
            {"validate": "list", "source": list(labels), "ignore_blank": True},
        )

    def _ess_write_text(self, sheet, row, col, value, cell_format):
        # Always a string cell: a text starting with "=" never becomes a formula.
        if value:
            sheet.write_string(row, col, value, cell_format)
        else:
            sheet.write_blank(row, col, None, cell_format)

    def _ess_write_number(self, sheet, row, col, value, cell_format):
        if value is None or value is False:
            sheet.write_blank(row, col, None, cell_format)
        else:
            sheet.write_number(row, col, value, cell_format)

    # ----------------------------------------------------------------- sheets
    def _ess_write_steering(self, workbook, formats, theme_lines, lines):
        sheet = self._ess_add_sheet(
            workbook, formats, SHEET_STEERING, STEERING_HEADER, (22, 30, 60, 35, 35, 35)
        )
        retained = {t.theme_id.id for t in theme_lines if t.decision == "retained"}
        text = formats.text
        row = 0
        for line in lines:
            if line.theme_id.id not in retained:
                continue
            row += 1
            sheet.write_string(row, 0, theme_cell(line.theme_id), text)
            sheet.write_string(row, 1, domain_cell(line.domain_id), text)
            sheet.write_string(row, 2, line.question_id.name, text)
            if not line.retained:
                sheet.write_string(row, 3, not_treated_cell(line.reason), text)
                sheet.write_blank(row, 4, None, text)
                sheet.write_blank(row, 5, None, text)
            elif line.kind == "quantitative":
                number = formats.unit(line.unit)
                for col, measure in enumerate(("baseline", "objective_1y", "objective_3y"), 3):
                    value = line[measure] if line.has_data else None
                    self._ess_write_number(sheet, row, col, value, number)
            else:
                for col, measure in enumerate(
                    ("baseline_text", "objective_1y_text", "objective_3y_text"), 3
                ):
                    self._ess_write_text(sheet, row, col, line[measure], text)
        self._ess_finish_sheet(sheet, STEERING_HEADER, row)

    def _ess_write_themes(self, workbook, formats, theme_lines):
        sheet = self._ess_add_sheet(
            workbook, formats, SHEET_THEMES, THEMES_HEADER, (45, 14, 50, 50, 50)
        )
        text = formats.text
        row = 0
        for theme_line in theme_lines:
            row += 1
            theme = theme_line.theme_id
            sheet.write_string(row, 0, f"{theme.code}. {theme.name}", text)
            sheet.write_string(row, 1, DECISION_LABELS[theme_line.decision], text)
            self._ess_write_text(sheet, row, 2, theme_line.reason, text)
            self._ess_write_text(sheet, row, 3, theme_line.good_practices, text)
            self._ess_write_text(sheet, row, 4, theme_line.progress_areas, text)
        self._ess_list_validation(sheet, 1, row, DECISION_LABELS.values())
        self._ess_finish_sheet(sheet, THEMES_HEADER, row)

    def _ess_write_follow_up(self, workbook, formats, guide, lines):
        header = follow_up_header(guide.year)
        sheet = self._ess_add_sheet(
            workbook,
            formats,
            follow_up_sheet_name(guide.year),
            header,
            (22, 30, 60, 12, 28, 28, 24, 24),
        )
        text, info = formats.text, formats.info
        row = 0
        for line in lines:
            if not line.in_scope:
                continue
            row += 1
            sheet.write_string(row, 0, theme_cell(line.theme_id), text)
            sheet.write_string(row, 1, domain_cell(line.domain_id), text)
            sheet.write_string(row, 2, line.question_id.name, text)
            if line.kind == "quantitative":
                sheet.write_string(row, 3, line.unit or "", info)
                previous = line.previous_value if line.has_previous_value else None
                self._ess_write_number(sheet, row, 4, previous, formats.unit(line.unit, info=True))
                value = line.value if line.has_value else None
                self._ess_write_number(sheet, row, 5, value, formats.unit(line.unit))
                # The progress of an indicator is computed: shown, not imported.
                for col, progress in ((6, line.progress_1y), (7, line.progress_3y)):
                    self._ess_write_number(
                        sheet,
                        row,
                        col,
                        round(progress) if line.has_value else None,
                        formats.percent_info,
                    )
            else:
                sheet.write_blank(row, 3, None, info)
                self._ess_write_text(sheet, row, 4, line.previous_value_text, info)
                self._ess_write_text(sheet, row, 5, line.value_text, text)
                for col, achievement in ((6, line.achievement_1y), (7, line.achievement_3y)):
                    self._ess_write_text(
                        sheet, row, col, ACHIEVEMENT_LABELS.get(achievement, ""), text
                    )
        self._ess_list_validation(sheet, 6, row, ACHIEVEMENT_LABELS.values())
        self._ess_list_validation(sheet, 7, row, ACHIEVEMENT_LABELS.values())
        self._ess_finish_sheet(sheet, header, row)

    def _ess_write_actions(self, workbook, formats, actions):
        sheet = self._ess_add_sheet(
            workbook,
            formats,
            SHEET_ACTIONS,
            ACTIONS_HEADER,
            (10, 40, 22, 30, 50, 24, 12, 12, 12, 14, 14, 30),
        )
        text, info = formats.text, formats.info
        row = 0
        for action in actions:
            row += 1
            sheet.write_string(row, 0, f"{ACTION_REF_PREFIX}{action.id}", info)
            sheet.write_string(row, 1, action.name, text)
            self._ess_write_text(sheet, row, 2, theme_cell(action.theme_id), text)
            self._ess_write_text(sheet, row, 3, domain_cell(action.domain_id), text)
            self._ess_write_text(sheet, row, 4, action.question_id.name, text)
            self._ess_write_text(sheet, row, 5, action.pilot_id.name, text)
            sheet.write_number(row, 6, action.budget, formats.money)
            for col, date in ((7, action.date_start), (8, action.date_deadline)):
                if date:
                    sheet.write_datetime(row, col, date, formats.date)
                else:
                    sheet.write_blank(row, col, None, formats.date)
            sheet.write_string(row, 9, ACTION_STATE_LABELS[action.state], text)
            sheet.write_number(row, 10, action.progress, formats.integer)
            sheet.write_string(row, 11, ACTION_ORIGIN_LABELS[action.origin], text)
        self._ess_list_validation(sheet, 9, row, ACTION_STATE_LABELS.values())
        self._ess_list_validation(sheet, 11, row, ACTION_ORIGIN_LABELS.values())
        self._ess_finish_sheet(sheet, ACTIONS_HEADER, row)
