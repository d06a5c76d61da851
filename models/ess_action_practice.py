from odoo import fields, models


class EssActionPractice(models.Model):
    """An action of an action plan inspired by a sheet of the good-practice
    library."""

    _inherit = "ess.action"

    practice_id = fields.Many2one(
        "ess.practice",
        "Inspired by",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        domain="[('state', '=', 'published')]",
        help="The sheet of the good-practice library the action takes its idea from.",
    )
