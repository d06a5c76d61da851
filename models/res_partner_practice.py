from odoo import fields, models


class ResPartnerPractice(models.Model):
    """A member organisation's suggested reading in the good-practice
    library, on its form for the network's staff."""

    _inherit = "res.partner"

    ess_suggested_practice_ids = fields.Many2many(
        "ess.practice",
        string="Suggested reading",
        compute="_compute_ess_suggested_practice_ids",
        groups="ess_network.group_ess_user",
        help="Published sheets of the good-practice library for the organisation's weakest "
        "self-assessment domains and the progress areas of its latest guide year.",
    )

    def _compute_ess_suggested_practice_ids(self):
        Practice = self.env["ess.practice"]
        for partner in self:
            partner.ess_suggested_practice_ids = (
                Practice._suggested_practices(partner) if partner.is_company else Practice
            )
