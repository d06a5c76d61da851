from odoo import models


class EssGuideYearLinePublication(models.Model):
    """What the public page and synthesis ask of a question line."""

    _inherit = "ess.guide.year.line"

    def _public_has_figures(self):
        """Whether the line says where the organisation stands or aims."""
        self.ensure_one()
        return bool(self.baseline_display or self.objective_1y_display or self.objective_3y_display)
