import functools
import logging
import subprocess

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

# Top margin (mm) of the pages when wkhtmltopdf drops the layout's header.
MARGIN_TOP_WITHOUT_HEADER = 12
# Fonts of the system (installed with wkhtmltopdf by ./dev): a build without
# patched Qt draws web fonts as shapes, leaving a heavy PDF without text.
SYSTEM_FONTS = "'Noto Sans', 'DejaVu Sans', 'Liberation Sans', sans-serif"


@functools.cache
def wkhtmltopdf_has_patched_qt():
    """Whether the wkhtmltopdf installed is built with patched Qt.

    Only such builds ("wkhtmltopdf 0.12.6 (with patched qt)") print the HTML
    headers and footers of the layouts and embed web fonts as text; Debian's
    build ignores ``--header-html`` and ``--footer-html``.
    """
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        _logger.info("wkhtmltopdf version unknown: %s", error)
        return False
    return "patched qt" in version.lower()


class ReportEssEvaluation(models.AbstractModel):
    """The cross-evaluation report. When wkhtmltopdf cannot print the
    layout's header and footer, the PDF pages keep a small top margin instead
    of the blank band the header would fill, the report shows the network's
    logo itself, and it is set in system fonts so that its text stays text."""

    _name = "report.ess_network.report_evaluation"
    _description = "Cross-evaluation report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        plain_pdf = data.get("report_type") == "pdf" and not wkhtmltopdf_has_patched_qt()
        return {
            "doc_ids": docids,
            "doc_model": "ess.evaluation",
            "docs": self.env["ess.evaluation"].browse(docids),
            "data": data,
            "ess_plain_pdf": plain_pdf,
            "ess_font_style": f"font-family: {SYSTEM_FONTS};" if plain_pdf else None,
            "data_report_margin_top": MARGIN_TOP_WITHOUT_HEADER if plain_pdf else None,
        }
