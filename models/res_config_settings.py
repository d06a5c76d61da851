from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ess_request_user_id = fields.Many2one(
        "res.users",
        "Responsible for adhesion requests",
        config_parameter="ess_network.request_user_id",
        domain="[('share', '=', False)]",
        help="Receives the requests sent through the public adhesion form.",
    )
    ess_action_reminder_days = fields.Integer(
        "Remind action deadlines (days before)",
        config_parameter="ess_network.action_reminder_days",
        default=14,
        help="How many days before its deadline the pilot of an action is reminded of it.",
    )
