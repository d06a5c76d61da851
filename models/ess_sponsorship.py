from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.scheduling import plan_activities
from .ess_sponsor import ACTIVE_STATES

STATES = [
    ("requested", "Requested"),
    ("designated", "Sponsor designated"),
    ("in_progress", "In progress"),
    ("ended", "Ended"),
    ("cancelled", "Called off"),
]
OPEN_STATES = ("requested", *ACTIVE_STATES)
# the phases in which a member may ask for a sponsor (seed 000)
SPONSORED_PHASES = ("integration", "appropriation")


class EssSponsorship(models.Model):
    """The sponsorship of a new member by an experienced one (seed 000):
    requested by the new member or registered by the network, a sponsor
    designated by the pole among eligible volunteers, sessions covering the
    modules chosen à la carte, then its end recorded by the pole. Never
    deleted: a sponsorship that does not happen is cancelled, with its
    reason.

    Two organisations take part: the new member (``partner_id``) and the
    sponsor (``sponsor_partner_id``); both find it on their portal."""

    _name = "ess.sponsorship"
    _description = "Sponsorship"
    _inherit = ["ess.organisation.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "request_date desc, id desc"
    _rec_names_search = ["name", "partner_id", "sponsor_partner_id"]

    name = fields.Char(
        "Reference", required=True, copy=False, readonly=True, default="/", index="trigram"
    )
    partner_id = fields.Many2one(string="New member")
    user_id = fields.Many2one(string="Followed by")
    membership_id = fields.Many2one(
        "ess.membership",
        "Membership file",
        compute="_compute_membership_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "ess_sponsorship_contact_rel",
        "sponsorship_id",
        "partner_id",
        "New member's contacts",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="The persons of the new member who meet the sponsor.",
    )
    state = fields.Selection(
        STATES,
        "Status",
        required=True,
        default="requested",
        tracking=True,
        index=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    origin = fields.Selection(
        [("staff", "Registered by the network"), ("portal", "Asked on the portal")],
        default="staff",
        required=True,
        readonly=True,
    )
    request_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, copy=False
    )
    needs = fields.Text(help="What the new member expects from its sponsor.")
    module_line_ids = fields.One2many(
        "ess.sponsorship.module.line", "sponsorship_id", "Modules", copy=True
    )
    module_ids = fields.Many2many(
        "ess.sponsorship.module",
        compute="_compute_module_ids",
        string="Modules chosen",
        search="_search_module_ids",
    )
    color = fields.Integer()

    # designation
    sponsor_id = fields.Many2one(
        "ess.sponsor",
        tracking=True,
        index="btree_not_null",
        copy=False,
        check_company=True,
        readonly=True,
        context={"active_test": False},
    )
    sponsor_partner_id = fields.Many2one(
        related="sponsor_id.partner_id", store=True, string="Sponsor organisation", index=True
    )
    sponsor_person_ids = fields.Many2many(related="sponsor_id.person_ids", string="Sponsor persons")
    designation_date = fields.Datetime(readonly=True, copy=False)
    designated_by_id = fields.Many2one("res.users", "Designated by", readonly=True, copy=False)
    forced = fields.Boolean(
        "Forced designation",
        readonly=True,
        copy=False,
        tracking=True,
        help="The sponsor did not meet every rule of seed 000 when designated.",
    )
    forced_justification = fields.Text(readonly=True, copy=False, tracking=True)
    designation_report = fields.Html(
        "Rules at designation", readonly=True, copy=False, sanitize_overridable=False
    )
    designation_failed_rules = fields.Char(readonly=True, copy=False)
    rule_alert = fields.Boolean(
        "A rule no longer holds", readonly=True, copy=False, tracking=True, index=True
    )
    rule_alert_reason = fields.Text("Rule that no longer holds", readonly=True, copy=False)

    # sessions
    session_ids = fields.One2many("ess.sponsorship.session", "sponsorship_id", "Sessions")
    session_count = fields.Integer(compute="_compute_next_session", string="Number of sessions")
    first_session_date = fields.Date(
        "First session held", compute="_compute_session_dates", store=True
    )
    last_session_date = fields.Date(
        "Last session held", compute="_compute_session_dates", store=True
    )
    next_session_date = fields.Datetime("Next session", compute="_compute_next_session")
    hours_total = fields.Float("Hours", compute="_compute_hours", store=True)
    guideline_hours = fields.Float("Guideline hours", compute="_compute_hours", store=True)

    # the end
    end_date = fields.Date(tracking=True, copy=False, readonly=True)
    closing_note_member = fields.Text("Closing note of the new member", copy=False)
    closing_note_sponsor = fields.Text("Closing note of the sponsor", copy=False)
    cancel_reason = fields.Text("Reason for cancelling", tracking=True, copy=False, readonly=True)

    # measures
    employment_area_id = fields.Many2one(
        related="partner_id.ess_employment_area_id", store=True, string="Employment area"
    )
    days_to_designation = fields.Integer(
        "Days from request to designation",
        compute="_compute_delays",
        store=True,
        aggregator="avg",
    )
    days_to_first_session = fields.Integer(
        "Days from designation to first session",
        compute="_compute_delays",
        store=True,
        aggregator="avg",
    )

    # what the scheduled actions already did (so that a second run does nothing)
    wait_alert_date = fields.Date(copy=False, readonly=True)
    idle_alert_date = fields.Date(copy=False, readonly=True)
    end_proposed_date = fields.Date(copy=False, readonly=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The reference of a sponsorship must be unique."),
    ]

    # ---------------------------------------------------------------- computes
    @api.depends("partner_id")
    def _compute_membership_id(self):
        for sponsorship in self:
            sponsorship.membership_id = sponsorship.partner_id.sudo().ess_membership_id

    @api.depends("module_line_ids.module_id")
    def _compute_module_ids(self):
        # a list of 80 sponsorships reads their modules in one query, in the
        # lines' order, instead of each sponsorship's lines through the cache
        saved = self.filtered("id")
        modules = {sponsorship.id: [] for sponsorship in saved}
        if saved:
            lines = self.env["ess.sponsorship.module.line"].search_fetch(
                [("sponsorship_id", "in", saved.ids)], ["sponsorship_id", "module_id"]
            )
            for line in lines:
                if line.module_id.id not in modules[line.sponsorship_id.id]:
                    modules[line.sponsorship_id.id].append(line.module_id.id)
        # one assignment per set of modules (a few), not per sponsorship
        by_modules = defaultdict(list)
        for sponsorship_id, module_ids in modules.items():
            by_modules[tuple(module_ids)].append(sponsorship_id)
        for module_ids, sponsorship_ids in by_modules.items():
            saved.browse(sponsorship_ids).module_ids = [Command.set(module_ids)]
        for sponsorship in self - saved:  # a form being edited: its lines are in memory
            sponsorship.module_ids = sponsorship.module_line_ids.module_id

    def _search_module_ids(self, operator, value):
        return [("module_line_ids.module_id", operator, value)]

    @api.depends("session_ids.state", "session_ids.start")
    def _compute_session_dates(self):
        for sponsorship in self:
            # a session planned is not yet a session: the delay to the first
            # session counts to the first one held
            held = sponsorship.session_ids.filtered(lambda s: s.state == "held")
            sponsorship.first_session_date = min(held.mapped("start")).date() if held else False
            sponsorship.last_session_date = max(held.mapped("start")).date() if held else False

    @api.depends("session_ids.state", "session_ids.start")
    def _compute_next_session(self):
        now = fields.Datetime.now()
        saved = self.filtered("id")
        if saved:
            # one aggregate per figure for a whole list, not each sponsorship's sessions
            Session = self.env["ess.sponsorship.session"]
            domain = [("sponsorship_id", "in", saved.ids)]
            counts = dict(
                Session._read_group(
                    [*domain, ("state", "!=", "cancelled")], ["sponsorship_id"], ["__count"]
                )
            )
            nexts = dict(
                Session._read_group(
                    [*domain, ("state", "=", "planned"), ("start", ">=", now)],
                    ["sponsorship_id"],
                    ["start:min"],
                )
            )
            for sponsorship in saved:
                sponsorship.session_count = counts.get(sponsorship, 0)
                sponsorship.next_session_date = nexts.get(sponsorship, False)
        for sponsorship in self - saved:  # a form being edited: its sessions are in memory
            sessions = sponsorship.session_ids.filtered(lambda s: s.state != "cancelled")
            planned = sessions.filtered(lambda s: s.state == "planned" and s.start >= now)
            sponsorship.session_count = len(sessions)
            sponsorship.next_session_date = min(planned.mapped("start")) if planned else False

    @api.depends("module_line_ids.hours", "module_line_ids.guideline_hours")
    def _compute_hours(self):
        for sponsorship in self:
            sponsorship.hours_total = sum(sponsorship.module_line_ids.mapped("hours"))
            sponsorship.guideline_hours = sum(sponsorship.module_line_ids.mapped("guideline_hours"))

    @api.depends("request_date", "designation_date", "first_session_date")
    def _compute_delays(self):
        for sponsorship in self:
            designated = sponsorship.designation_date and sponsorship.designation_date.date()
            sponsorship.days_to_designation = (
                (designated - sponsorship.request_date).days
                if designated and sponsorship.request_date
                else 0
            )
            sponsorship.days_to_first_session = (
                max((sponsorship.first_session_date - designated).days, 0)
                if designated and sponsorship.first_session_date
                else 0
            )

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for sponsorship in self:
            sponsorship.display_name = " – ".join(
                filter(None, (sponsorship.name, sponsorship.partner_id.name))
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for sponsorship in self:
            sponsorship.access_url = f"/my/sponsorships/{sponsorship.id}"

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in STATES if key != "cancelled"]

    def _state_label(self, state=None):
        return dict(self._fields["state"]._description_selection(self.env))[state or self.state]

    # ------------------------------------------------------------- constraints
    @api.constrains("partner_id", "state")
    def _check_one_open_sponsorship(self):
        for sponsorship in self.filtered(lambda s: s.state in OPEN_STATES):
            if self.search_count(
                [
                    ("partner_id", "=", sponsorship.partner_id.id),
                    ("company_id", "=", sponsorship.company_id.id),
                    ("state", "in", OPEN_STATES),
                    ("id", "!=", sponsorship.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "%s already has a sponsorship under way: follow that one, or end or "
                        "cancel it first.",
                        sponsorship.partner_id.name,
                    )
                )

    @api.constrains("contact_ids", "partner_id")
    def _check_contacts(self):
        self._check_persons_of_organisation("contact_ids")

    def _check_can_be_sponsored(self):
        """A new member asks for a sponsor during its integration or
        appropriation phase (seed 000)."""
        for sponsorship in self:
            membership = sponsorship.partner_id.sudo().ess_membership_id
            if (
                not membership
                or membership.state in ("refused", "withdrawn")
                or membership.phase not in SPONSORED_PHASES
            ):
                raise ValidationError(
                    self.env._(
                        "%s cannot ask for a sponsor: sponsorship is for new members, from "
                        "their adhesion to the end of their appropriation phase.",
                        sponsorship.partner_id.name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "requested") != "requested" and not self.env.su:
                raise UserError(self.env._("A sponsorship starts with its request."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("ess.sponsorship") or "/"
        sponsorships = super().create(vals_list)
        sponsorships.filtered(lambda s: s.state == "requested")._check_can_be_sponsored()
        for sponsorship in sponsorships:
            sponsorship.partner_id._ess_join_network(sponsorship.company_id)
        sponsorships.filtered(lambda s: s.state == "requested")._notify_pole_of_request()
        return sponsorships

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A sponsorship is never deleted: cancel it, with its reason, so that its "
                "history stays."
            )
        )

    # --------------------------------------------------------------- the pole
    def _pole_user(self):
        """Who follows the sponsorships of this record's network: the pole's
        responsible (settings), else whoever follows the record."""
        self.ensure_one()
        return self.company_id.sudo().ess_sponsorship_user_id or self.user_id

    def _schedule_pole_activity(self, xmlid, summary, note=None, date=None, user=None):
        """Plan an activity of type ``xmlid`` for the pole's responsible (or
        ``user``) on each sponsorship, in the responsible's language, once:
        not again while the first one is still to do (see
        ``plan_activities``, shared with the scheduled actions)."""
        return plan_activities(
            self.env.ref(xmlid),
            [(sponsorship, user or sponsorship._pole_user()) for sponsorship in self],
            summary,
            note=note,
            date=date,
        )

    def _notify_pole_of_request(self):
        self._schedule_pole_activity(
            "ess_network.mail_activity_type_sponsorship_designate",
            lambda s: s.env._("Designate a sponsor for %s", s.partner_id.name),
        )

    # ----------------------------------------------------------------- actions
    def _close_window(self, mode):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the end")
            if mode == "end"
            else self.env._("Cancel the sponsorship"),
            "res_model": "ess.sponsorship.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sponsorship_id": self.id, "default_mode": mode},
        }

    def action_end(self):
        return self._close_window("end")

    def action_cancel(self):
        return self._close_window("cancel")

    def _check_pole(self, message=None):
        """Raise AccessError, with ``message``, unless the user is of the
        sponsorship pole (or the superuser)."""
        if not self.env.su and not self.env.user.has_group(
            "ess_network.group_ess_sponsorship_manager"
        ):
            raise AccessError(
                message or self.env._("Only the sponsorship pole ends or cancels sponsorships.")
            )

    def _record_end(self, end_date, note_member=None, note_sponsor=None, done_modules=None):
        """The pole records the end: the modules done, the closing notes."""
        self.ensure_one()
        self._check_pole()
        if self.state not in ACTIVE_STATES:
            raise UserError(
                self.env._(
                    "Only a sponsorship with a sponsor can end; %(name)s is “%(state)s”.",
                    name=self.display_name,
                    state=self._state_label(),
                )
            )
        if not self.session_ids.filtered(lambda s: s.state == "held"):
            raise UserError(
                self.env._(
                    "No session of %s has been held: cancel the sponsorship rather than end it.",
                    self.display_name,
                )
            )
        if end_date < self.designation_date.date():
            raise UserError(
                self.env._("A sponsorship cannot end before its sponsor was designated.")
            )
        if done_modules:
            (done_modules & self.module_line_ids).filtered(lambda m: not m.done).write(
                {"done": True}
            )
        self.write(
            {
                "state": "ended",
                "end_date": end_date,
                "closing_note_member": note_member or self.closing_note_member,
                "closing_note_sponsor": note_sponsor or self.closing_note_sponsor,
                "rule_alert": False,
            }
        )
        self.session_ids.filtered(
            lambda s: s.state == "planned" and s.start > fields.Datetime.now()
        ).action_cancel()
        self.activity_unlink(
            [
                "ess_network.mail_activity_type_sponsorship_end",
                "ess_network.mail_activity_type_sponsorship_session",
                "ess_network.mail_activity_type_sponsorship_alert",
            ]
        )
        return True

    def _record_cancel(self, reason):
        self.ensure_one()
        self._check_pole()
        if self.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "%(name)s is “%(state)s”: it can no longer be cancelled.",
                    name=self.display_name,
                    state=self._state_label(),
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Write why the sponsorship is cancelled."))
        self.write({"state": "cancelled", "cancel_reason": reason.strip(), "rule_alert": False})
        self.session_ids.filtered(lambda s: s.state == "planned").action_cancel()
        self.activity_unlink(
            [
                "ess_network.mail_activity_type_sponsorship_designate",
                "ess_network.mail_activity_type_sponsorship_end",
                "ess_network.mail_activity_type_sponsorship_session",
                "ess_network.mail_activity_type_sponsorship_alert",
            ]
        )
        return True

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ess_network.ess_sponsorship_session_action"
        )
        action["domain"] = [("sponsorship_id", "=", self.id)]
        action["context"] = {"default_sponsorship_id": self.id}
        return action

    def _ensure_module_lines(self, modules):
        """Add to the sponsorship the ``modules`` a session covered that
        were not chosen yet (à la carte)."""
        self.ensure_one()
        missing = modules - self.module_line_ids.module_id
        if missing:
            self.env["ess.sponsorship.module.line"].sudo().create(
                [{"sponsorship_id": self.id, "module_id": module.id} for module in missing]
            )

    def _session_started(self):
        """A first session moves a designated sponsorship in progress."""
        self.filtered(lambda s: s.state == "designated").write({"state": "in_progress"})
        self.activity_feedback(["ess_network.mail_activity_type_sponsorship_session"])

    # ------------------------------------------------------------------ portal
    def _portal_role(self, user):
        """``"member"`` for a user of the new member, ``"sponsor"`` for a
        user of the sponsor organisation, else nothing."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        if organisation and organisation == self.partner_id:
            return "member"
        if organisation and organisation == self.sudo().sponsor_partner_id:
            return "sponsor"
        return False

    def _portal_check_organisation(self, user):
        self.ensure_one()
        if not self._portal_role(user):
            raise AccessError(self.env._("This record belongs to another organisation."))

    def _portal_is_open(self):
        return self.state in OPEN_STATES

    def _portal_closed_message(self):
        return self.env._(
            "This sponsorship is “%s”: it can no longer be changed.", self._state_label()
        )

    def _portal_is_editable_by(self, user):
        self.ensure_one()
        return bool(self._portal_role(user)) and self._portal_is_open()
