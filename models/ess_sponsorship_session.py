from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..tools.formats import format_number
from .ess_sponsorship_module import MAX_MODULE_HOURS

SESSION_STATES = [("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")]
# no sponsorship session lasts longer than a working day
MAX_SESSION_HOURS = 10.0


class EssSponsorshipSession(models.Model):
    """A session of a sponsorship: a meeting of the sponsor's persons with
    the new member's contacts (and staff, if they join), planned as a
    calendar event, then held, covering one or more modules with the hours
    spent on each."""

    _name = "ess.sponsorship.session"
    _description = "Sponsorship session"
    _inherit = ["ess.organisation.line.mixin", "ess.calendar.event.mixin"]
    _organisation_parent = "sponsorship_id"
    _order = "start desc, id desc"
    _rec_name = "start"
    _event_fields = ("start", "duration", "attendee_ids", "state", "notes")

    sponsorship_id = fields.Many2one(
        "ess.sponsorship", required=True, index=True, ondelete="cascade"
    )
    sponsor_id = fields.Many2one(
        related="sponsorship_id.sponsor_id", store=True, index="btree_not_null"
    )
    sponsor_partner_id = fields.Many2one(
        related="sponsorship_id.sponsor_partner_id", store=True, string="Sponsor organisation"
    )
    start = fields.Datetime(required=True, default=fields.Datetime.now)
    duration = fields.Float("Duration (hours)", default=2.0, required=True)
    state = fields.Selection(SESSION_STATES, "Status", required=True, default="planned", index=True)
    line_ids = fields.One2many(
        "ess.sponsorship.session.line", "session_id", "Modules covered", copy=True
    )
    hours = fields.Float("Hours spent", compute="_compute_hours", store=True)
    module_names = fields.Char("Modules", compute="_compute_module_names")
    notes = fields.Text(help="What was done, what the new member takes away, what comes next.")
    attendee_ids = fields.Many2many(
        "res.partner",
        "ess_sponsorship_session_partner_rel",
        "session_id",
        "partner_id",
        "Participants",
        help="The sponsor's persons, the new member's contacts and the staff who join.",
    )
    logged_by_id = fields.Many2one("res.users", "Logged by", readonly=True, copy=False)

    @api.depends("line_ids.hours")
    def _compute_hours(self):
        for session in self:
            session.hours = sum(session.line_ids.mapped("hours"))

    @api.depends("line_ids.module_id")
    def _compute_module_names(self):
        for session in self:
            session.module_names = ", ".join(session.line_ids.module_id.mapped("name"))

    @api.depends("start", "sponsorship_id.name")
    def _compute_display_name(self):
        for session in self:
            session.display_name = self.env._(
                "Session of %(date)s – %(sponsorship)s",
                date=format_date(self.env, session.start) if session.start else "",
                sponsorship=session.sponsorship_id.name or "",
            )

    # ------------------------------------------------------------- constraints
    @api.constrains("duration", "line_ids", "state")
    def _check_hours(self):
        for session in self:
            if not 0 < session.duration <= MAX_SESSION_HOURS:
                raise ValidationError(
                    self.env._(
                        "A session lasts more than 0 and at most %(max)s hours, not %(hours)s.",
                        max=format_number(self.env, MAX_SESSION_HOURS),
                        hours=format_number(self.env, session.duration),
                    )
                )
            if session.state == "held" and session.hours > session.duration + 0.001:
                raise ValidationError(
                    self.env._(
                        "The hours spent on the modules (%(hours)s) exceed the length of the "
                        "session (%(duration)s hours).",
                        hours=format_number(self.env, session.hours),
                        duration=format_number(self.env, session.duration),
                    )
                )

    @api.constrains("start", "state")
    def _check_dates(self):
        now = fields.Datetime.now()
        for session in self:
            sponsorship = session.sponsorship_id
            if sponsorship.designation_date and session.start.date() < (
                sponsorship.designation_date.date()
            ):
                raise ValidationError(
                    self.env._(
                        "A session cannot take place before its sponsor was designated (%s).",
                        format_date(self.env, sponsorship.designation_date),
                    )
                )
            if session.state == "held" and session.start > now + timedelta(hours=1):
                raise ValidationError(
                    self.env._("A session that has been held cannot be dated in the future.")
                )

    @api.constrains("sponsorship_id")
    def _check_sponsorship_has_sponsor(self):
        for session in self:
            if not session.sponsorship_id.sponsor_id:
                raise ValidationError(
                    self.env._("A session is planned once the sponsor has been designated.")
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        for session in sessions:
            if not session.attendee_ids:
                session.attendee_ids = session._default_attendees()
            session.sponsorship_id._ensure_module_lines(session.line_ids.module_id)
        sessions.sponsorship_id._session_started()
        return sessions

    def write(self, vals):
        res = super().write(vals)
        if "line_ids" in vals:
            for session in self:
                session.sponsorship_id._ensure_module_lines(session.line_ids.module_id)
        return res

    def _default_attendees(self):
        sponsorship = self.sponsorship_id
        return (sponsorship.sponsor_person_ids or sponsorship.sponsor_partner_id) | (
            sponsorship.contact_ids or sponsorship.partner_id
        )

    def _event_values(self):
        sponsorship = self.sponsorship_id
        return {
            "name": self.env._(
                "Sponsorship: %(member)s with %(sponsor)s",
                member=sponsorship.partner_id.name,
                sponsor=sponsorship.sponsor_partner_id.name,
            ),
            "start": self.start,
            "stop": self.start + timedelta(hours=self.duration),
            "partner_ids": [Command.set(self.attendee_ids.ids)],
            "description": Markup("<p>%s</p>") % (self.notes or sponsorship.needs or ""),
            "res_model_id": self.env["ir.model"]._get_id("ess.sponsorship"),
            "res_id": sponsorship.id,
            "user_id": sponsorship.user_id.id or False,
        }

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_held(self):
        self.write({"state": "held", "logged_by_id": self.env.user.id})


class EssSponsorshipSessionLine(models.Model):
    """The hours a session spent on one module."""

    _name = "ess.sponsorship.session.line"
    _description = "Module covered by a sponsorship session"
    _inherit = ["ess.organisation.line.mixin"]
    _organisation_parent = "session_id"
    _order = "session_id, module_id"

    session_id = fields.Many2one(
        "ess.sponsorship.session", required=True, index=True, ondelete="cascade"
    )
    sponsorship_id = fields.Many2one(related="session_id.sponsorship_id", store=True, index=True)
    sponsor_id = fields.Many2one(related="session_id.sponsor_id", store=True)
    session_state = fields.Selection(
        related="session_id.state", store=True, string="Session status"
    )
    start = fields.Datetime(related="session_id.start", store=True, string="Date")
    module_id = fields.Many2one("ess.sponsorship.module", required=True, ondelete="restrict")
    hours = fields.Float(default=0.0, aggregator="sum")

    _sql_constraints = [
        (
            "session_module_uniq",
            "unique(session_id, module_id)",
            "A session lists a module once.",
        ),
    ]

    @api.constrains("hours")
    def _check_hours(self):
        for line in self:
            if not 0 <= line.hours <= MAX_MODULE_HOURS:
                raise ValidationError(
                    self.env._(
                        "The hours spent on a module in a session go from 0 to %(max)s, "
                        "not %(hours)s.",
                        max=format_number(self.env, MAX_MODULE_HOURS),
                        hours=format_number(self.env, line.hours),
                    )
                )


class EssSponsorshipModuleLine(models.Model):
    """A module chosen for a sponsorship: the hours spent on it in the
    sessions held, against its guideline, and whether it is done."""

    _name = "ess.sponsorship.module.line"
    _description = "Module of a sponsorship"
    _inherit = ["ess.organisation.line.mixin"]
    _organisation_parent = "sponsorship_id"
    _order = "sponsorship_id, sequence, id"

    sponsorship_id = fields.Many2one(
        "ess.sponsorship", required=True, index=True, ondelete="cascade"
    )
    module_id = fields.Many2one("ess.sponsorship.module", required=True, ondelete="restrict")
    sequence = fields.Integer(related="module_id.sequence", store=True)
    guideline_hours = fields.Float(related="module_id.guideline_hours", string="Guideline (hours)")
    hours = fields.Float("Hours spent", compute="_compute_hours", store=True)
    progress = fields.Float(compute="_compute_hours", store=True, aggregator="avg")
    done = fields.Boolean()
    done_date = fields.Date(compute="_compute_done_date", store=True, readonly=False)

    _sql_constraints = [
        (
            "sponsorship_module_uniq",
            "unique(sponsorship_id, module_id)",
            "A module is chosen once per sponsorship.",
        ),
    ]

    @api.depends(
        "sponsorship_id.session_ids.line_ids.hours",
        "sponsorship_id.session_ids.state",
        "module_id.guideline_hours",
    )
    def _compute_hours(self):
        for line in self:
            hours = sum(
                session_line.hours
                for session_line in line.sponsorship_id.session_ids.line_ids
                if session_line.module_id == line.module_id
                and session_line.session_id.state == "held"
            )
            line.hours = hours
            guideline = line.module_id.guideline_hours
            line.progress = min(100.0, 100.0 * hours / guideline) if guideline else 0.0

    @api.depends("done")
    def _compute_done_date(self):
        for line in self:
            if line.done and not line.done_date:
                line.done_date = fields.Date.context_today(line)
            elif not line.done:
                line.done_date = False

    def write(self, vals):
        changed = self.filtered(lambda line: line.done != vals["done"]) if "done" in vals else None
        res = super().write(vals)
        for line in changed or ():
            line.sponsorship_id.message_post(
                body=(
                    self.env._("Module “%s” marked done.", line.module_id.name)
                    if line.done
                    else self.env._("Module “%s” reopened.", line.module_id.name)
                ),
                subtype_xmlid="mail.mt_note",
            )
        return res

    def action_mark_done(self):
        self.write({"done": True})
