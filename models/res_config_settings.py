from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Settings of the network being configured (the current company): each
    # network of a federation has its own.
    ess_request_user_id = fields.Many2one(
        related="company_id.ess_request_user_id",
        readonly=False,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    ess_action_reminder_days = fields.Integer(
        related="company_id.ess_action_reminder_days", readonly=False
    )
    ess_sponsorship_user_id = fields.Many2one(
        related="company_id.ess_sponsorship_user_id",
        readonly=False,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    ess_sponsorship_wait_days = fields.Integer(
        related="company_id.ess_sponsorship_wait_days", readonly=False
    )
    ess_sponsorship_idle_days = fields.Integer(
        related="company_id.ess_sponsorship_idle_days", readonly=False
    )
    ess_sponsor_meeting_months = fields.Integer(
        related="company_id.ess_sponsor_meeting_months", readonly=False
    )
    ess_sponsor_meeting_reminder_days = fields.Integer(
        related="company_id.ess_sponsor_meeting_reminder_days", readonly=False
    )
