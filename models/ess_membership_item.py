from odoo import fields, models
from odoo.exceptions import UserError

from .ess_phase_item import PHASES


class EssMembershipItem(models.Model):
    """One objective or content of a phase, to tick for one member."""

    _name = "ess.membership.item"
    _inherit = ["ess.checklist.mixin"]
    _description = "Membership checklist line"
    _order = "membership_id, phase, kind desc, sequence, id"
    _organisation_parent = "membership_id"

    membership_id = fields.Many2one("ess.membership", required=True, ondelete="cascade", index=True)
    phase_item_id = fields.Many2one(
        "ess.phase.item", "Reference item", ondelete="set null", check_company=True
    )
    name = fields.Char(required=True)
    phase = fields.Selection(PHASES, required=True)
    kind = fields.Selection(
        [("objective", "Objective"), ("content", "Content")], required=True, default="content"
    )
    sequence = fields.Integer(default=10)

    def _checklist_check_editable(self, parents, vals=None):
        if not vals or "done" not in vals:
            return
        closed = parents.filtered(lambda m: m.state in ("refused", "withdrawn"))
        if closed and not self.env.su:
            raise UserError(self.env._("The membership file %s is closed.", closed[0].name))
