from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
        help="A request still without a sponsor after this many days is brought to the pole "
        "(0: never).",
    )
    ess_sponsorship_idle_days = fields.Integer(
        "Alert on sponsorships without a session (days)",
        default=30,
        help="A sponsorship with no session for this many days: the sponsor is reminded and "
        "the pole alerted (0: never).",
    )
    ess_sponsor_meeting_months = fields.Integer(
        "Plan a sponsors' meeting within (months)",
        default=3,
        help="When no sponsors' network meeting is planned within this many months, the pole is "
        "asked to plan one (0: never).",
    )
    ess_sponsor_meeting_reminder_days = fields.Integer(
        "Remind sponsors of a meeting (days before)",
        default=3,
        help="The persons invited to a sponsors' meeting are reminded of it this many days "
        "before (0: never).",
    )

    @api.constrains(
        "ess_action_reminder_days",
        "ess_sponsorship_wait_days",
        "ess_sponsorship_idle_days",
        "ess_sponsor_meeting_months",
        "ess_sponsor_meeting_reminder_days",
    )
    def _check_ess_delays(self):
        names = (
            "ess_action_reminder_days",
            "ess_sponsorship_wait_days",
            "ess_sponsorship_idle_days",
            "ess_sponsor_meeting_months",
            "ess_sponsor_meeting_reminder_days",
        )
        for company in self:
            for name in names:
                if company[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "“%s” cannot be negative: write a number of days or months, or 0.",
                            self._fields[name].get_description(self.env)["string"],
                        )
                    )
