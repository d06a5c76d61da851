from datetime import timedelta

from odoo import Command, api, fields, models

MEETING_STATES = [("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")]


class EssSponsorMeeting(models.Model):
    """A meeting of the sponsors' network (seed 000: the pole "animates
    the network of sponsor members: meetings, sharing of experience"): a
    calendar event inviting the persons of every active sponsor, its
    agenda, and afterwards the account of the experience shared."""

    _name = "ess.sponsor.meeting"
    _description = "Sponsors' network meeting"
    _inherit = ["mail.thread", "mail.activity.mixin", "ess.calendar.event.mixin"]
    _order = "start desc, id desc"
    _event_fields = ("name", "start", "duration", "location", "agenda", "attendee_ids", "state")
    _event_max_hours = 12

    name = fields.Char("Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", "Network", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        "Organiser",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    start = fields.Datetime(required=True, tracking=True)
    duration = fields.Float("Duration (hours)", default=2.0, required=True)
    location = fields.Char()
    state = fields.Selection(
        MEETING_STATES, "Status", default="planned", required=True, tracking=True
    )
    agenda = fields.Html()
    experience = fields.Html(
        "Shared experience", help="The account of what the sponsors shared, written afterwards."
    )
    attendee_ids = fields.Many2many(
        "res.partner",
        "ess_sponsor_meeting_partner_rel",
        "meeting_id",
        "partner_id",
        "Invited",
    )
    reminder_date = fields.Date(copy=False, readonly=True)

    @api.model
    def _sponsor_persons(self, company):
        """The persons of every active sponsor of ``company``'s network (the
        organisation itself when it named none)."""
        sponsors = self.env["ess.sponsor"].sudo().search([("company_id", "=", company.id)])
        persons = self.env["res.partner"]
        for sponsor in sponsors:
            persons |= sponsor.person_ids or sponsor.partner_id
        return persons

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "attendee_ids" not in vals:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["attendee_ids"] = [Command.set(self._sponsor_persons(company).ids)]
        return super().create(vals_list)

    def action_invite_sponsors(self):
        """Invite the persons of every sponsor now in the pool."""
        for meeting in self:
            meeting.attendee_ids |= self._sponsor_persons(meeting.company_id)

    def action_held(self):
        self.write({"state": "held"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def _event_values(self):
        return {
            "name": self.name,
            "start": self.start,
            "stop": self.start + timedelta(hours=self.duration),
            "location": self.location or False,
            "description": self.agenda or False,
            "partner_ids": [Command.set((self.attendee_ids | self.user_id.partner_id).ids)],
            "user_id": self.user_id.id,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }
