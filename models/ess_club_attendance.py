from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class EssClubMeeting(models.Model):
    """What happens to a club meeting once planned: held, its attendance
    recorded by the staff (who came, registered or not: the registrations
    of those who did not come stay, for the history), its minutes and
    documents; or cancelled, its calendar event archived and the registered
    persons told."""

    _inherit = "ess.club.meeting"

    cancel_reason = fields.Char("Reason for cancelling", tracking=True, copy=False)
    attendance_user_id = fields.Many2one(
        "res.users", "Attendance recorded by", readonly=True, copy=False
    )

    @api.constrains("state", "start")
    def _check_held_in_past(self):
        limit = fields.Datetime.now() + timedelta(hours=1)
        for meeting in self:
            if meeting.state == "held" and meeting.start > limit:
                raise ValidationError(
                    self.env._(
                        "The meeting “%s” has not taken place yet: its attendance is recorded "
                        "afterwards.",
                        meeting.name,
                    )
                )

    def action_record_attendance(self):
        """The meeting took place: it is held, and the staff tick in its
        registrations who came (and add those who came unregistered)."""
        limit = fields.Datetime.now() + timedelta(hours=1)
        for meeting in self:
            if meeting.state == "cancelled":
                raise UserError(
                    self.env._("The meeting “%s” was cancelled: it was not held.", meeting.name)
                )
            if meeting.start > limit:
                raise UserError(
                    self.env._(
                        "The meeting “%s” has not taken place yet: its attendance is recorded "
                        "afterwards.",
                        meeting.name,
                    )
                )
        self.filtered(lambda m: m.state == "planned").write(
            {"state": "held", "attendance_user_id": self.env.user.id}
        )
        return True

    def _record_attendance(self, persons):
        """Record that ``persons`` came to this held meeting: their
        registration is marked attended, one is made for those who came
        without registering."""
        self.ensure_one()
        if self.state != "held":
            self.action_record_attendance()
        Registration = self.env["ess.club.registration"]
        registrations = Registration.search(
            [("meeting_id", "=", self.id), ("person_id", "in", persons.ids)]
        )
        registrations.write({"attended": True})
        new = persons - registrations.person_id
        if new:
            registrations |= Registration.create(
                [
                    {"meeting_id": self.id, "person_id": person.id, "attended": True}
                    for person in new
                ]
            )
        return registrations

    def action_cancel(self):
        """Cancel the meeting: its calendar event is archived, the persons
        registered are told (a message in its chatter, mailed to them and to
        its followers). A held meeting stays held."""
        for meeting in self:
            if meeting.state == "held":
                raise UserError(
                    self.env._(
                        "The meeting “%s” has been held: it can no longer be cancelled.",
                        meeting.name,
                    )
                )
        meetings = self.filtered(lambda m: m.state == "planned")
        meetings.write({"state": "cancelled"})
        template = self.env.ref(
            "ess_network.mail_template_club_meeting_cancelled", raise_if_not_found=False
        )
        for meeting in meetings:
            persons = meeting.registration_ids.filtered(lambda r: r.state == "registered").person_id
            if template:
                body = template._render_field("body_html", meeting.ids)[meeting.id]
                subject = template._render_field("subject", meeting.ids)[meeting.id]
            else:
                body = Markup("<p>%s</p>") % self.env._(
                    "The meeting “%s” is cancelled.", meeting.name
                )
                subject = False
            meeting.message_post(
                body=body,
                subject=subject,
                partner_ids=persons.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_plan_again(self):
        """A cancelled meeting takes place after all: planned again (its
        calendar event comes back)."""
        self.filtered(lambda m: m.state == "cancelled").write(
            {"state": "planned", "cancel_reason": False}
        )
        return True


class EssClubRegistration(models.Model):
    _inherit = "ess.club.registration"

    meeting_state = fields.Selection(related="meeting_id.state", string="Meeting status")
    meeting_start = fields.Datetime(related="meeting_id.start", string="Date", store=True)

    @api.constrains("attended", "meeting_id")
    def _check_attended_when_held(self):
        for registration in self:
            if registration.attended and registration.meeting_id.state != "held":
                raise ValidationError(
                    self.env._(
                        "Attendance is recorded once the meeting “%s” is held.",
                        registration.meeting_id.name,
                    )
                )

    def write(self, vals):
        # a person unregistered who came after all is registered
        if vals.get("attended") and "state" not in vals:
            vals = dict(vals, state="registered")
        return super().write(vals)
