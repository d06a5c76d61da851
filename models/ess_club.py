from odoo import api, fields, models

MEETING_STATES = [("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")]
REGISTRATION_STATES = [("registered", "Registered"), ("cancelled", "Unregistered")]
DELIVERABLE_STATES = [
    ("todo", "To do"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("cancelled", "Dropped"),
]


class EssClub(models.Model):
    """A club of the network (seed 003: the CSR club of a cluster, born of
    its partnership with a mutual): its partners, the member organisations
    and persons taking part, its themes and rules of operation, its meetings
    and the working groups born from them."""

    _name = "ess.club"
    _description = "Club"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _check_company_auto = True
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        "Network",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        "Led by",
        tracking=True,
        default=lambda self: self.env.user if not self.env.user.share else False,
        domain="[('share', '=', False)]",
        check_company=True,
        help="The network staff member who leads the club.",
    )
    date_start = fields.Date("Founded on", tracking=True)
    description = fields.Html("Purpose")
    rules = fields.Html("Rules of operation")
    keyword_ids = fields.Many2many("ess.keyword", string="Themes")
    partner_ids = fields.Many2many(
        "res.partner",
        "ess_club_partner_rel",
        "club_id",
        "partner_id",
        "Partners",
        help="The organisations the club works with (a mutual, a cluster…).",
    )
    member_ids = fields.Many2many(
        "res.partner",
        "ess_club_member_rel",
        "club_id",
        "partner_id",
        "Member organisations",
        domain="[('is_company', '=', True)]",
    )
    participant_ids = fields.Many2many(
        "res.partner",
        "ess_club_participant_rel",
        "club_id",
        "partner_id",
        "Participants",
        domain="[('is_company', '=', False)]",
    )
    meeting_ids = fields.One2many("ess.club.meeting", "club_id", "Meetings")
    group_ids = fields.One2many("ess.club.group", "club_id", "Working groups")


class EssClubMeeting(models.Model):
    """A meeting of a club, or of one of its working groups: hosted by a
    member organisation at a date and place, on a theme, with its calendar
    event, the registrations of members' persons (within its capacity), the
    attendance recorded afterwards, its minutes and documents."""

    _name = "ess.club.meeting"
    _description = "Club meeting"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _check_company_auto = True
    _order = "start desc, id desc"

    name = fields.Char("Subject", required=True, tracking=True)
    club_id = fields.Many2one("ess.club", required=True, index=True, ondelete="restrict")
    group_id = fields.Many2one(
        "ess.club.group",
        "Working group",
        index="btree_not_null",
        domain="[('club_id', '=', club_id)]",
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="club_id.company_id", store=True, index=True)
    host_partner_id = fields.Many2one(
        "res.partner",
        "Hosted by",
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The member organisation that hosts the meeting.",
    )
    start = fields.Datetime(required=True, tracking=True)
    duration = fields.Float("Duration (hours)", default=2.0, required=True)
    location = fields.Char("Place", tracking=True)
    keyword_ids = fields.Many2many("ess.keyword", string="Themes")
    agenda = fields.Html()
    capacity = fields.Integer(tracking=True, help="How many persons may register; 0: no limit.")
    state = fields.Selection(
        MEETING_STATES, "Status", required=True, default="planned", tracking=True, index=True
    )
    registration_ids = fields.One2many("ess.club.registration", "meeting_id", "Registrations")
    minutes = fields.Html()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "ess_club_meeting_attachment_rel",
        "meeting_id",
        "attachment_id",
        "Documents",
    )
    event_id = fields.Many2one(
        "calendar.event", "Calendar event", copy=False, ondelete="set null", readonly=True
    )


class EssClubRegistration(models.Model):
    """A person of a member organisation registered to a club meeting, and
    whether they came. Unregistering keeps the line (cancelled). The
    registration is a record of the person's organisation
    (``ess.organisation.mixin``): its users read it, and register or
    unregister through the portal."""

    _name = "ess.club.registration"
    _description = "Club meeting registration"
    _inherit = ["ess.organisation.mixin", "mail.thread"]
    _order = "meeting_id, id"
    _rec_name = "person_id"

    meeting_id = fields.Many2one(
        "ess.club.meeting", required=True, index=True, ondelete="cascade", check_company=True
    )
    club_id = fields.Many2one(related="meeting_id.club_id", store=True, index=True)
    person_id = fields.Many2one(
        "res.partner",
        "Participant",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', False)]",
    )
    partner_id = fields.Many2one(
        compute="_compute_partner_id", store=True, readonly=False, precompute=True
    )
    state = fields.Selection(
        REGISTRATION_STATES,
        "Status",
        required=True,
        default="registered",
        index=True,
        tracking=True,
    )
    attended = fields.Boolean(tracking=True)
    registered_by_id = fields.Many2one("res.users", "Registered by", readonly=True)

    _sql_constraints = [
        (
            "meeting_person_uniq",
            "unique(meeting_id, person_id)",
            "A person registers once to a meeting.",
        ),
    ]

    @api.depends("person_id.commercial_partner_id")
    def _compute_partner_id(self):
        for registration in self:
            registration.partner_id = registration.person_id.commercial_partner_id


class EssClubGroup(models.Model):
    """A working group born from a club (seed 003: the biodiversity impact
    of raw materials…): its topic, participants, deliverables and
    meetings."""

    _name = "ess.club.group"
    _description = "Working group"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _check_company_auto = True
    _order = "club_id, name, id"

    name = fields.Char("Topic", required=True, tracking=True)
    club_id = fields.Many2one("ess.club", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="club_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Html()
    participant_ids = fields.Many2many(
        "res.partner",
        "ess_club_group_participant_rel",
        "group_id",
        "partner_id",
        "Participants",
        domain="[('is_company', '=', False)]",
    )
    member_ids = fields.Many2many(
        "res.partner",
        "ess_club_group_member_rel",
        "group_id",
        "partner_id",
        "Member organisations",
        compute="_compute_member_ids",
        store=True,
        help="The organisations of the participants.",
    )
    deliverable_ids = fields.One2many("ess.club.deliverable", "group_id", "Deliverables")
    meeting_ids = fields.One2many("ess.club.meeting", "group_id", "Meetings")

    @api.depends("participant_ids.commercial_partner_id")
    def _compute_member_ids(self):
        for group in self:
            group.member_ids = group.participant_ids.commercial_partner_id


class EssClubDeliverable(models.Model):
    """What a working group delivers: a title, a due date, a state, the
    document."""

    _name = "ess.club.deliverable"
    _description = "Working group deliverable"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "group_id, date_due, id"

    name = fields.Char("Title", required=True, tracking=True)
    group_id = fields.Many2one("ess.club.group", required=True, index=True, ondelete="cascade")
    club_id = fields.Many2one(related="group_id.club_id", store=True, index=True)
    company_id = fields.Many2one(related="group_id.company_id", store=True, index=True)
    date_due = fields.Date("Due date", tracking=True)
    state = fields.Selection(
        DELIVERABLE_STATES, "Status", required=True, default="todo", tracking=True
    )
    description = fields.Text()
    attachment_id = fields.Many2one("ir.attachment", "Document", ondelete="set null", copy=False)
