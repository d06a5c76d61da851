from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ess_membership import DECIDING_BODIES


class EssMembershipDecide(models.TransientModel):
    """Validation and officialisation of an adhesion request, or its refusal."""

    _name = "ess.membership.decide"
    _description = "Decide on an adhesion request"

    membership_id = fields.Many2one("ess.membership", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="membership_id.partner_id")
    decision = fields.Selection(
        [("accept", "Validate and officialise"), ("refuse", "Refuse")],
        required=True,
        default="accept",
    )
    decision_date = fields.Date(required=True, default=fields.Date.context_today)
    deciding_body = fields.Selection(DECIDING_BODIES, required=True, default="council")
    welcome_note = fields.Text(
        "Welcome message",
        help="Personal words added to the welcome e-mail sent to the organisation.",
    )
    refusal_reason = fields.Text()
    send_mail = fields.Boolean(
        "Inform the organisation by e-mail",
        default=True,
    )
    grant_portal_access = fields.Boolean(
        "Then give its people portal access",
        default=True,
        help="Opens the portal access window on the organisation's contact persons, to invite "
        "them to follow the file and the network's tools on the portal.",
    )

    @api.onchange("decision")
    def _onchange_decision(self):
        if self.decision == "accept" and not self.welcome_note:
            self.welcome_note = self.env._(
                "We are delighted to welcome you to the network. Your sponsor and our "
                "team will help you take ownership of the approach and its tools."
            )

    def action_confirm(self):
        self.ensure_one()
        membership = self.membership_id
        if self.decision_date > fields.Date.context_today(self):
            raise UserError(self.env._("The decision date cannot be in the future."))
        if self.decision == "refuse":
            if not (self.refusal_reason or "").strip():
                raise UserError(self.env._("A refusal needs its reason."))
            membership._refuse(
                self.decision_date, self.deciding_body, self.refusal_reason, self.send_mail
            )
        else:
            membership._accept(
                self.decision_date, self.deciding_body, self.welcome_note, self.send_mail
            )
            waiting = membership._portal_contacts().filtered(
                lambda p: p.ess_portal_status == "none"
            )
            if self.grant_portal_access and waiting:
                return membership.action_grant_portal_access()
        return {"type": "ir.actions.act_window_close"}
