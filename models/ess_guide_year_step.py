from odoo import fields, models


class EssGuideYearStep(models.Model):
    """One of the twelve implementation steps, ticked in a guide year."""

    _name = "ess.guide.year.step"
    _inherit = ["ess.guide.year.base", "ess.checklist.mixin"]
    _description = "Step of a guide year"
    _order = "year_id, sequence, id"

    step_id = fields.Many2one(
        "ess.guide.step",
        "Reference step",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    name = fields.Char(related="step_id.name")
    description = fields.Text(related="step_id.description")
    sequence = fields.Integer(default=10)

    def _checklist_message(self, status):
        return self.env._("Steps updated (%s):", status)
