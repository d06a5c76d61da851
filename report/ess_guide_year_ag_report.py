from odoo import api, models

from .ess_evaluation_report import (
    MARGIN_TOP_WITHOUT_HEADER,
    SYSTEM_FONTS,
    wkhtmltopdf_has_patched_qt,
)

# Blank lines of the closing page, for the general assembly's debate and
# decision written by hand when the guide year holds none yet.
BLANK_LINES = 14


class ReportEssGuideYearGeneralAssembly(models.AbstractModel):
    """The report presented to the organisation's general assembly (law of
    31 July 2014, art. 3 II): how the guide was worked, the themes retained
    and not, the figures of every question worked on, the action plan, the
    stakeholder map, the self-assessment beside the network, the latest
    cross-evaluation and a page for the assembly's debate and decision.

    Everything the template shows is read here in a few batched queries,
    whatever the number of questions and actions: the template only walks
    the values. The guide years are read with the rights of who prints them
    (record rules: staff of the network, the organisation's own users); the
    rest (stakeholders, assessments, evaluations) with sudo once that check
    passed, as the portal shows them to the organisation."""

    _name = "report.ess_network.report_guide_year_ag"
    _description = "General assembly report of a guide year"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        guides = self.env["ess.guide.year"].browse(docids)
        guides.check_access("read")
        plain_pdf = data.get("report_type") == "pdf" and not wkhtmltopdf_has_patched_qt()
        guides_sudo = guides.sudo()
        # read in the language the report is printed in (the organisation's,
        # as the template's t-lang): labels, numbers, the map's legend
        ag = {}
        for lang in set(guides_sudo.partner_id.mapped("lang")) or {False}:
            group = guides_sudo.filtered(lambda g, lang=lang: g.partner_id.lang == lang)
            ag.update(group.with_context(lang=lang or self.env.lang)._ag_report_data())
        return {
            "doc_ids": docids,
            "doc_model": "ess.guide.year",
            "docs": guides_sudo,
            "data": data,
            "ag": ag,
            "blank_lines": range(BLANK_LINES),
            "ess_plain_pdf": plain_pdf,
            "ess_font_style": f"font-family: {SYSTEM_FONTS};" if plain_pdf else None,
            "data_report_margin_top": MARGIN_TOP_WITHOUT_HEADER if plain_pdf else None,
        }
