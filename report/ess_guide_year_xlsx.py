"""Export of a guide year's spreadsheet; its layout is
``tools/guide_spreadsheet.py``, shared with the import wizard."""

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import guide_spreadsheet as layout
from ..tools.guide_spreadsheet import SheetWriter


class GuideYearXlsx(models.AbstractModel):
    """Export of a guide year: steering table, themes, follow-up of the year
    and action plan, one sheet each."""

    _name = "report.ess_network.guide_year_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Guide year spreadsheet"

    @api.model
    def _ess_render(self, guide):
        """The spreadsheet of ``guide`` as ``(content, filename)``.

        Renders in the guide's environment, so that a portal controller may
        pass a ``sudo()`` record after its own access check
        (``ir.actions.report._render_xlsx`` would drop the superuser mode)."""
        guide.ensure_one()
        report = guide.env[self._name].with_context(active_model=guide._name)
        content, _extension = report.create_xlsx_report(guide.ids, {})
        return content, layout.filename(guide)

    def generate_xlsx_report(self, workbook, data, guides):
        if len(guides) != 1:
            raise UserError(
                self.env._(
                    "Export the spreadsheet of one guide year at a time: it is the file the "
                    "organisation fills in and imports back."
                )
            )
        guide = guides
        formats = layout.Formats(workbook, self._report_xlsx_currency_format)
        # Read everything the sheets show in a few batched queries: the
        # fields of their columns, the names of the organisation and pilots.
        # Lists of lines keep the prefetching of all lines (filtered() would not).
        theme_lines = self.env["ess.guide.year.theme"].search_fetch(
            [("year_id", "=", guide.id)], [column.field for column in layout.THEMES.columns]
        )
        lines = guide.line_ids
        actions = self.env["ess.action"].search_fetch(
            [("guide_year_id", "=", guide.id)],
            [column.field for column in layout.ACTIONS.columns] + ["currency_id"],
        )
        (guide.partner_id | actions.pilot_id).fetch(["name"])
        retained = {t.theme_id.id for t in theme_lines if t.decision == "retained"}
        self._ess_write_steering(
            SheetWriter(workbook, formats, layout.STEERING),
            [line for line in lines if line.theme_id.id in retained],
        )
        self._ess_write_themes(SheetWriter(workbook, formats, layout.THEMES), theme_lines)
        self._ess_write_follow_up(
            SheetWriter(workbook, formats, layout.follow_up(guide.year)),
            [line for line in lines if line.in_scope],
        )
        self._ess_write_actions(SheetWriter(workbook, formats, layout.ACTIONS), actions)
        workbook.set_properties(
            {
                "title": f"Guide {guide.year} - {guide.partner_id.name}",
                "subject": "Guide des bonnes pratiques de l'ESS",
                "keywords": layout.origin_keywords(guide),
            }
        )

    @staticmethod
    def _ess_write_question(sheet, row, line):
        sheet.write_cell(row, "theme_id", layout.theme_cell(line.theme_id))
        sheet.write_cell(row, "domain_id", layout.domain_cell(line.domain_id))
        sheet.write_cell(row, "question_id", line.question_id.name)

    def _ess_write_steering(self, sheet, lines):
        measures = ("baseline", "objective_1y", "objective_3y")
        for row, line in enumerate(lines, 1):
            self._ess_write_question(sheet, row, line)
            if not line.retained:
                sheet.write_cell(row, "baseline", layout.not_treated_cell(line.reason))
                sheet.write_cell(row, "objective_1y", False)
                sheet.write_cell(row, "objective_3y", False)
            elif line.kind == "quantitative":
                number = sheet.formats.unit(line.unit)
                for measure in measures:
                    sheet.write_cell(row, measure, line[measure] if line.has_data else None, number)
            else:
                for measure in measures:
                    sheet.write_cell(row, measure, line[f"{measure}_text"])
        sheet.finish(len(lines))

    def _ess_write_themes(self, sheet, theme_lines):
        for row, theme_line in enumerate(theme_lines, 1):
            sheet.write_cell(row, "theme_id", layout.theme_cell(theme_line.theme_id, short=False))
            for field in ("decision", "reason", "good_practices", "progress_areas"):
                sheet.write_cell(row, field, theme_line[field])
        sheet.finish(len(theme_lines))

    def _ess_write_follow_up(self, sheet, lines):
        formats = sheet.formats
        for row, line in enumerate(lines, 1):
            self._ess_write_question(sheet, row, line)
            if line.kind == "quantitative":
                sheet.write_cell(row, "unit", line.unit)
                previous = line.previous_value if line.has_previous_value else None
                sheet.write_cell(
                    row, "previous_value", previous, formats.unit(line.unit, info=True)
                )
                value = line.value if line.has_value else None
                sheet.write_cell(row, "value", value, formats.unit(line.unit))
                # The progress of an indicator is computed: shown, not imported.
                for field, progress in (
                    ("achievement_1y", line.progress_1y),
                    ("achievement_3y", line.progress_3y),
                ):
                    shown = round(progress) if line.has_value else None
                    sheet.write_cell(row, field, shown, formats.percent_info)
            else:
                sheet.write_cell(row, "unit", False)
                sheet.write_cell(row, "previous_value", line.previous_value_text)
                sheet.write_cell(row, "value", line.value_text)
                sheet.write_cell(row, "achievement_1y", line.achievement_1y)
                sheet.write_cell(row, "achievement_3y", line.achievement_3y)
        sheet.finish(len(lines))

    def _ess_write_actions(self, sheet, actions):
        for row, action in enumerate(actions, 1):
            sheet.write_cell(row, "id", layout.action_ref(action))
            sheet.write_cell(row, "theme_id", layout.theme_cell(action.theme_id))
            sheet.write_cell(row, "domain_id", layout.domain_cell(action.domain_id))
            sheet.write_cell(row, "question_id", action.question_id.name)
            sheet.write_cell(row, "pilot_id", action.pilot_id.name)
            sheet.write_cell(row, "budget", action.budget, sheet.formats.money(action.currency_id))
            for field in ("name", "date_start", "date_deadline", "state", "progress", "origin"):
                sheet.write_cell(row, field, action[field])
        sheet.finish(len(actions))
