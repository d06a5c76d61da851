from odoo import fields, models
from odoo.exceptions import UserError


class EssMembershipWithdraw(models.TransientModel):
    """Record that an organisation leaves the network: the file is archived
    with its reason, never deleted."""

    _name = "ess.membership.withdraw"
    _description = "Withdraw from the network"

    membership_id = fields.Many2one("ess.membership", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="membership_id.partner_id")
    withdrawal_date = fields.Date(required=True, default=fields.Date.context_today)
    withdrawal_reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.withdrawal_date > fields.Date.context_today(self):
            raise UserError(self.env._("The withdrawal date cannot be in the future."))
        self.membership_id._withdraw(self.withdrawal_date, self.withdrawal_reason)
        return {"type": "ir.actions.act_window_close"}
