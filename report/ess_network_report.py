"""The network's annual report: the PDF's values and the spreadsheet. Both
show the tables of ``ess.network.report._ess_sections``."""

from odoo import api, models
from odoo.tools import formatLang

from .ess_evaluation_report import (
    MARGIN_TOP_WITHOUT_HEADER,
    SYSTEM_FONTS,
    wkhtmltopdf_has_patched_qt,
)


def format_cell(env, value):
    """A cell of the report as text: numbers in the reader's language."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return formatLang(env, value, digits=0)
    if isinstance(value, float):
        return formatLang(env, value, digits=1)
    return value


class ReportEssNetworkAnnual(models.AbstractModel):
    """The PDF of the network's annual report (one per print wizard), set
    like the evaluation report for Debian's wkhtmltopdf: no reliance on the
    layout's header and footer, system fonts."""

    _name = "report.ess_network.report_network_annual"
    _description = "Network annual report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        docs = self.env["ess.network.report.print"].browse(docids)
        Report = self.env["ess.network.report"]
        reports = []
        for doc in docs:
            figures = doc._ess_figures()
            parts = Report._ess_parts(Report._ess_sections(figures))
            reports.append({"doc": doc, "figures": figures, "parts": parts})
        plain_pdf = data.get("report_type") == "pdf" and not wkhtmltopdf_has_patched_qt()
        return {
            "doc_ids": docids,
            "doc_model": "ess.network.report.print",
            "docs": docs,
            "reports": reports,
            "data": data,
            "ess_cell": lambda value: format_cell(self.env, value),
            "ess_plain_pdf": plain_pdf,
            "ess_font_style": f"font-family: {SYSTEM_FONTS};" if plain_pdf else None,
            "data_report_margin_top": MARGIN_TOP_WITHOUT_HEADER if plain_pdf else None,
        }


class ReportEssNetworkAnnualXlsx(models.AbstractModel):
    """The spreadsheet of the network's annual report: one sheet, the same
    tables as the PDF one under the other, numbers kept as numbers."""

    _name = "report.ess_network.network_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Network annual report (XLSX)"

    def generate_xlsx_report(self, workbook, data, wizards):
        Report = self.env["ess.network.report"]
        title = workbook.add_format({"bold": True, "font_size": 14})
        heading = workbook.add_format({"bold": True, "font_size": 12, "font_color": "#017E84"})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#D9E7D1", "border": 1, "text_wrap": True, "valign": "top"}
        )
        text = workbook.add_format({"text_wrap": True, "valign": "top"})
        note = workbook.add_format({"italic": True, "font_color": "#595959", "text_wrap": False})
        integer = workbook.add_format({"num_format": "#,##0", "valign": "top"})
        decimal = workbook.add_format({"num_format": "#,##0.0", "valign": "top"})
        hidden = workbook.add_format({"align": "right", "font_color": "#595959", "valign": "top"})
        for wizard in wizards:
            figures = wizard._ess_figures()
            sheet = workbook.add_worksheet(str(wizard.year))
            sheet.set_column(0, 0, 58)
            sheet.set_column(1, 3, 18)
            sheet.write(0, 0, wizard._ess_report_filename(), title)
            sheet.write(
                1,
                0,
                self.env._(
                    "“< 5”: fewer than 5 organisations; “—”: not shown, drawn from fewer than "
                    "5 organisations."
                ),
                note,
            )
            row = 3
            for section in Report._ess_sections(figures):
                sheet.write(row, 0, section["title"], heading)
                row += 1
                if section.get("note"):
                    sheet.write(row, 0, section["note"], note)
                    row += 1
                for column, label in enumerate(section["columns"]):
                    sheet.write(row, column, label, header)
                row += 1
                for cells in section["rows"]:
                    for column, value in enumerate(cells):
                        if isinstance(value, bool) or value is None:
                            continue
                        if isinstance(value, int):
                            sheet.write_number(row, column, value, integer)
                        elif isinstance(value, float):
                            sheet.write_number(row, column, value, decimal)
                        else:
                            sheet.write_string(row, column, value, text if column == 0 else hidden)
                    row += 1
                row += 1
            workbook.set_properties(
                {"title": wizard._ess_report_filename(), "company": wizard.company_id.name}
            )
