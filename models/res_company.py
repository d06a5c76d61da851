from odoo import fields, models


class ResCompany(models.Model):
    """A network of the federation: each company of the database is one
    network (a CRESS…), with its own settings."""

    _inherit = "res.company"

    ess_request_user_id = fields.Many2one(
        "res.users",
        "Responsible for adhesion requests",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Receives the requests sent to this network through the public adhesion form.",
    )
    ess_action_reminder_days = fields.Integer(
        "Remind action deadlines (days before)",
        default=14,
        help="How many days before its deadline the pilot of an action of this network is "
        "reminded of it.",
    )
