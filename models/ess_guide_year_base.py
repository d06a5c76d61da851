from odoo import api, fields, models


class EssGuideYearPart(models.AbstractModel):
    """What the lines of a guide year (its themes, questions and steps)
    share: their guide year, and the lock of a closed year (read-only but
    for network administrators)."""

    _name = "ess.guide.year.base"
    _inherit = ["ess.organisation.line.mixin"]
    _description = "Line of a guide year"
    _organisation_parent = "year_id"

    year_id = fields.Many2one(
        "ess.guide.year", "Guide year", required=True, ondelete="cascade", index=True
    )
    year = fields.Integer(related="year_id.year", store=True, aggregator=False)
    guide_state = fields.Selection(related="year_id.state")

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ess.guide.year"].browse(
            [vals["year_id"] for vals in vals_list if vals.get("year_id")]
        )._check_unlocked()
        return super().create(vals_list)

    def write(self, vals):
        self.year_id._check_unlocked()
        return super().write(vals)
