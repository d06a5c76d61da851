from odoo import api, models

from ..models.ess_guide_year_publication import SYNTHESIS_LINES_PER_THEME, SYNTHESIS_TEXT_LIMIT
from .ess_evaluation_report import SYSTEM_FONTS


class ReportEssGuideYearPublic(models.AbstractModel):
    """The public synthesis of a guide year: one or two A4 pages for the
    organisation's external communication, with a QR code to the public
    page of its commitments. Printed only when the commitments are
    published (else a UserError says why)."""

    _name = "report.ess_network.report_guide_year_public"
    _description = "Public synthesis of a guide year"

    @api.model
    def _get_report_values(self, docids, data=None):
        guides = self.env["ess.guide.year"].browse(docids)
        guides._public_check_printable()
        return {
            "doc_ids": docids,
            "doc_model": "ess.guide.year",
            "docs": guides,
            "data": data or {},
            "ess_font_style": f"font-family: {SYSTEM_FONTS};",
            "text_limit": SYNTHESIS_TEXT_LIMIT,
            "lines_limit": SYNTHESIS_LINES_PER_THEME,
        }
