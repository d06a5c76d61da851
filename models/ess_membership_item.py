from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .ess_phase_item import PHASES


class EssMembershipItem(models.Model):
    """One objective or content of a phase, to tick for one member."""

    _name = "ess.membership.item"
    _description = "Membership checklist line"
    _order = "membership_id, phase, kind desc, sequence, id"

    membership_id = fields.Many2one("ess.membership", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True)
    phase_item_id = fields.Many2one("ess.phase.item", "Reference item", ondelete="set null")
    name = fields.Char(required=True)
    phase = fields.Selection(PHASES, required=True)
    kind = fields.Selection(
        [("objective", "Objective"), ("content", "Content")], required=True, default="content"
    )
    sequence = fields.Integer(default=10)
    done = fields.Boolean()
    done_date = fields.Date("Done on")
    done_by_id = fields.Many2one("res.users", "Done by")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("done"):
                vals.setdefault("done_date", fields.Date.context_today(self))
                vals.setdefault("done_by_id", self.env.user.id)
        return super().create(vals_list)

    def write(self, vals):
        if "done" in vals:
            closed = self.filtered(lambda i: i.membership_id.state in ("refused", "withdrawn"))
            if closed and not self.env.su:
                raise UserError(
                    self.env._("The membership file %s is closed.", closed[0].membership_id.name)
                )
            if vals["done"]:
                vals.setdefault("done_date", fields.Date.context_today(self))
                vals.setdefault("done_by_id", self.env.user.id)
            else:
                vals.update(done_date=False, done_by_id=False)
        res = super().write(vals)
        if "done" in vals:
            status = self.env._("done") if vals["done"] else self.env._("to do again")
            for membership in self.membership_id:
                names = self.filtered(lambda i, m=membership: i.membership_id == m).mapped("name")
                membership.message_post(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._("Checklist updated (%s):", status),
                        Markup().join(Markup("<li>%s</li>") % name for name in names),
                    ),
                    message_type="notification",
                )
        return res
