from odoo import models


class EssEvaluation(models.Model):
    """The file name of the evaluation report, in the language of whom
    downloads it (print_report_name of ``ess_evaluation_report``)."""

    _inherit = "ess.evaluation"

    def _ess_report_filename(self):
        """``Rapport d'évaluation - Association …`` for a French reader: the
        report's own name, translated, and the organisation evaluated."""
        self.ensure_one()
        report = (
            self.env.ref("ess_network.ess_evaluation_report")
            .sudo()
            .with_context(lang=self.env.user.lang or self.env.lang)
        )
        return f"{report.name} - {self.partner_id.name}"


class EssGuideYear(models.Model):
    """The file name of the guide's spreadsheet, in the language of whom
    downloads it (print_report_name of ``ess_guide_year_report_xlsx``)."""

    _inherit = "ess.guide.year"

    def _ess_report_filename(self):
        self.ensure_one()
        return self.with_context(lang=self.env.user.lang or self.env.lang)._ess_filename()

    def _ess_filename(self):
        """``Guide 2026 - Scop Impulsion`` (in the language of the
        environment), without characters a file name cannot hold."""
        self.ensure_one()
        name = "".join(" " if char in '\\/:*?"<>|' else char for char in self.partner_id.name or "")
        return self.env._(
            "Guide %(year)s - %(organisation)s",
            year=self.year,
            organisation=" ".join(name.split()),
        )
