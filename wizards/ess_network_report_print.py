from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.ess_organisation_mixin import FIRST_YEAR, LAST_YEAR


class EssNetworkReportPrint(models.TransientModel):
    """Print the network's annual report (for its own general assembly): a
    year, a network, a PDF or a spreadsheet. The figures are
    ``ess.network.report._ess_figures``."""

    _name = "ess.network.report.print"
    _description = "Print the network annual report"

    company_id = fields.Many2one(
        "res.company",
        "Network",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year - 1,
        help="The year the general assembly looks back on.",
    )
    output = fields.Selection(
        [("pdf", "PDF"), ("xlsx", "Spreadsheet (XLSX)")],
        "Format",
        required=True,
        default="pdf",
    )

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not FIRST_YEAR <= wizard.year <= LAST_YEAR:
                raise ValidationError(
                    self.env._(
                        "Choose a year from %(first)s to %(last)s.",
                        first=FIRST_YEAR,
                        last=LAST_YEAR,
                    )
                )

    def _ess_figures(self):
        self.ensure_one()
        return self.env["ess.network.report"]._ess_figures(self.company_id, self.year)

    def _ess_report_filename(self):
        """``Rapport annuel du réseau 2025 - Réseau X`` for a French reader,
        without characters a file name cannot hold."""
        self.ensure_one()
        name = "".join(" " if char in '\\/:*?"<>|' else char for char in self.company_id.name)
        return self.with_context(lang=self.env.user.lang or self.env.lang).env._(
            "Network annual report %(year)s - %(network)s",
            year=self.year,
            network=" ".join(name.split()),
        )

    def action_print(self):
        self.ensure_one()
        self.env["ess.network.report"]._ess_check_network(self.company_id)
        report = (
            "ess_network.ess_network_report_xlsx"
            if self.output == "xlsx"
            else "ess_network.ess_network_report_pdf"
        )
        return self.env.ref(report).report_action(self)
