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

    # sponsorship of new members
    ess_sponsorship_user_id = fields.Many2one(
        "res.users",
        "Responsible of the sponsorship pole",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Receives the sponsorship requests and the activities of their follow-up.",
    )
    ess_sponsorship_wait_days = fields.Integer(
        "Alert on requests waiting for a sponsor (days)",
        default=15,
        help="A request still without a sponsor after this many days is brought to the pole.",
    )
    ess_sponsorship_idle_days = fields.Integer(
        "Alert on sponsorships without a session (days)",
        default=30,
        help="A sponsorship with no session for this many days: the sponsor is reminded and "
        "the pole alerted.",
    )
    ess_sponsor_meeting_months = fields.Integer(
        "Plan a sponsors' meeting within (months)",
        default=3,
        help="When no sponsors' network meeting is planned within this many months, the pole is "
        "asked to plan one.",
    )
    ess_sponsor_meeting_reminder_days = fields.Integer(
        "Remind sponsors of a meeting (days before)", default=3
    )
