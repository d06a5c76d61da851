from datetime import datetime, time, timedelta

import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import inputs
from .ess_phase_item import PHASES

# The integration phase of seed 000, in order. "refused" and "withdrawn" end a file.
STATES = [
    ("request", "Adhesion request"),
    ("presentation", "Approach presented"),
    ("validated", "Validated"),
    ("meeting", "Integration meeting"),
    ("signature", "Convention and Charter"),
    ("member", "Member"),
    ("refused", "Refused"),
    ("withdrawn", "Withdrawn"),
]
STATE_ORDER = [key for key, _label in STATES[:6]]

DECIDING_BODIES = [
    ("board", "Board (bureau)"),
    ("council", "Board of directors"),
    ("general_assembly", "General assembly"),
    ("committee", "Membership committee"),
]


def _phase_items(phase, string):
    """The checklist lines of a membership file for one phase."""
    return fields.One2many(
        "ess.membership.item", "membership_id", string, domain=[("phase", "=", phase)]
    )


class EssMembership(models.Model):
    """The membership file of an organisation: from its adhesion request,
    through the integration steps of seed 000, to a member working through
    the appropriation and operational phases."""

    _name = "ess.membership"
    _description = "Membership file"
    _inherit = [
        "ess.organisation.profile.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "request_date desc, id desc"
    _rec_names_search = ["name", "partner_id"]

    name = fields.Char(
        "Reference", required=True, copy=False, readonly=True, default="/", index="trigram"
    )
    contact_id = fields.Many2one(
        "res.partner",
        "Contact person",
        tracking=True,
        domain="[('parent_id', '=', partner_id)]",
        help="The person who speaks for the organisation during its adhesion.",
        check_company=True,
    )
    user_id = fields.Many2one(string="Responsible", help="The staff member who follows the file.")
    state = fields.Selection(
        STATES,
        "Stage",
        required=True,
        default="request",
        tracking=True,
        index=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    phase = fields.Selection(
        PHASES, required=True, default="integration", tracking=True, index=True, copy=False
    )
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()

    # 1. request
    request_date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, copy=False
    )
    origin = fields.Selection(
        [("staff", "Entered by the network"), ("public_form", "Public form")],
        default="staff",
        required=True,
        readonly=True,
    )
    motivation = fields.Text(help="Why the organisation wants to join the network.")
    # 2. presentation of the approach and tools
    presentation_date = fields.Date(tracking=True, copy=False)
    presented_by_id = fields.Many2one("res.users", "Presented by", copy=False)
    # 3. validation and officialisation (or refusal)
    decision_date = fields.Date(tracking=True, copy=False)
    deciding_body = fields.Selection(DECIDING_BODIES, tracking=True, copy=False)
    decided_by_id = fields.Many2one("res.users", "Decision recorded by", copy=False)
    welcome_note = fields.Text(
        "Welcome message", copy=False, help="Personal words added to the welcome e-mail."
    )
    refusal_reason = fields.Text(copy=False, tracking=True)
    # 4. first integration meeting
    meeting_event_id = fields.Many2one(
        "calendar.event", "Integration meeting", copy=False, ondelete="set null"
    )
    # the member's own meeting, shown on its portal page
    meeting_start = fields.Datetime(related="meeting_event_id.start", string="Meeting date")
    meeting_held_date = fields.Date("Meeting held on", tracking=True, copy=False)
    # 5. signature of the Convention and the Charter
    convention_date = fields.Date("Convention signed on", tracking=True, copy=False)
    convention_file = fields.Binary("Signed convention", attachment=True, copy=False)
    convention_filename = fields.Char(copy=False)
    charter_date = fields.Date("Charter signed on", tracking=True, copy=False)
    charter_file = fields.Binary("Signed charter", attachment=True, copy=False)
    charter_filename = fields.Char(copy=False)
    # 6. member, then its phases
    member_since = fields.Date(tracking=True, copy=False)
    appropriation_date = fields.Date("Appropriation started on", copy=False)
    operational_date = fields.Date("Operational phase started on", copy=False, tracking=True)
    # withdrawal
    withdrawal_date = fields.Date(tracking=True, copy=False)
    withdrawal_reason = fields.Text(tracking=True, copy=False)

    item_ids = fields.One2many("ess.membership.item", "membership_id", "Checklist", copy=False)
    sponsorship_ids = fields.One2many("ess.sponsorship", "membership_id", "Sponsorships")
    integration_item_ids = _phase_items("integration", "Integration checklist")
    appropriation_item_ids = _phase_items("appropriation", "Appropriation checklist")
    operational_item_ids = _phase_items("operational", "Operational checklist")
    integration_progress = fields.Float(compute="_compute_progress", store=True)
    appropriation_progress = fields.Float(compute="_compute_progress", store=True)
    operational_progress = fields.Float(compute="_compute_progress", store=True)
    next_step = fields.Char(compute="_compute_next_step")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The reference of a membership file must be unique."),
    ]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("item_ids.done", "item_ids.phase")
    def _compute_progress(self):
        for membership in self:
            for phase in ("integration", "appropriation", "operational"):
                items = membership.item_ids.filtered(lambda i, p=phase: i.phase == p)
                done = len(items.filtered("done"))
                membership[f"{phase}_progress"] = 100.0 * done / len(items) if items else 0.0

    @api.depends("state", "phase")
    @api.depends_context("lang")
    def _compute_next_step(self):
        labels = {
            "request": self.env._("Present the approach and the tools"),
            "presentation": self.env._("Validate or refuse the request"),
            "validated": self.env._("Schedule the first integration meeting"),
            "meeting": self.env._("Hold the first integration meeting"),
            "signature": self.env._("Sign the Convention and the Charter"),
            "appropriation": self.env._("Appropriate the approach and the tools"),
            "operational": self.env._("Integrate CSR into the organisation"),
        }
        for membership in self:
            if membership.state == "member":
                membership.next_step = (
                    labels[membership.phase] if membership.phase in labels else ""
                )
            else:
                membership.next_step = labels.get(membership.state, "")

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        # the organisation with the reference: Odoo's notices (assigned file,
        # planned activity) and e-mail subjects name it
        for membership in self:
            membership.display_name = " – ".join(
                filter(None, (membership.name, membership.partner_id.name))
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for membership in self:
            membership.access_url = f"/my/membership/{membership.id}"

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in STATES if key != "withdrawn"]

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("partner_id")
    def _check_one_open_file(self):
        for membership in self:
            open_files = self.with_context(active_test=False).search_count(
                [
                    ("partner_id", "=", membership.partner_id.id),
                    ("id", "!=", membership.id),
                    ("state", "not in", ("refused", "withdrawn")),
                ]
            )
            if open_files and membership.state not in ("refused", "withdrawn"):
                raise ValidationError(
                    self.env._(
                        "%s already has an open membership file: "
                        "follow it rather than starting another one.",
                        membership.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "request") != "request" and not self.env.su:
                raise UserError(self.env._("A membership file starts with the adhesion request."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("ess.membership") or "/"
        memberships = super().create(vals_list)
        for membership in memberships:
            membership.partner_id._ess_join_network(membership.company_id)
        memberships._create_checklists()
        for membership in memberships.filtered(lambda m: m.state == "request"):
            membership._schedule_next_step()
        return memberships

    def write(self, vals):
        if "state" in vals and not self.env.context.get("ess_membership_transition"):
            for membership in self:
                if membership.state != vals["state"]:
                    membership._check_transition(vals["state"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A membership file is never deleted, so that the network keeps its history: "
                "archive it or record the withdrawal instead."
            )
        )

    # ------------------------------------------------------------------
    # e-mails and the first integration meeting (the other steps of a file
    # are in ess_membership_workflow.py)
    # ------------------------------------------------------------------
    def _send_template(self, xmlid):
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if template and (self.contact_id.email or self.partner_id.email):
            self._check_names_fit_in_headers()
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _check_names_fit_in_headers(self):
        """The names of the organisation and its contact person go in the
        subject and the recipients of its e-mails: a line break there (a
        name recorded before names were checked) would break the e-mail."""
        for partner in self.partner_id | self.contact_id:
            try:
                inputs.clean_text(self.env, partner.name)
            except inputs.InputError:
                name = "".join(char if char.isprintable() else " " for char in partner.name)
                raise UserError(
                    self.env._(
                        "The name “%s” holds a line break or a control character, which cannot "
                        "go in an e-mail: correct it, then try again.",
                        " ".join(name.split()),
                    )
                ) from None

    def _meeting_attendees(self):
        self.ensure_one()
        contacts = (
            self.partner_id.child_ids.filtered(
                lambda p: p.type == "contact" and p.active and p.email
            )
            | self.contact_id
        )
        staff = (self.user_id | self.env.user).partner_id
        return (contacts or self.partner_id) | staff

    def action_schedule_meeting(self):
        """Create the first integration meeting, then open it to adjust it."""
        self.ensure_one()
        if self.state != "validated" and not (self.state == "meeting" and self.meeting_event_id):
            self._check_transition("meeting")
        event = self.meeting_event_id
        if not event:
            tz = pytz.timezone(self.env.user.tz or "Europe/Paris")
            day = fields.Date.context_today(self) + timedelta(days=7)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            start = tz.localize(datetime.combine(day, time(10, 0))).astimezone(pytz.utc)
            event = self.env["calendar.event"].create(
                {
                    "name": self.env._("First integration meeting - %s", self.partner_id.name),
                    "start": start.replace(tzinfo=None),
                    "stop": (start + timedelta(hours=2)).replace(tzinfo=None),
                    "user_id": (self.user_id or self.env.user).id,
                    "partner_ids": [fields.Command.set(self._meeting_attendees().ids)],
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": self.id,
                    "description": self.env._(
                        "History and objectives of the network, how it works and is governed, "
                        "mutual commitments, tools offered for a CSR approach, sponsorship."
                    ),
                }
            )
            self._set_state("meeting", {"meeting_event_id": event.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Integration meeting"),
            "res_model": "calendar.event",
            "res_id": event.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # checklists and activities
    # ------------------------------------------------------------------
    def _create_checklists(self):
        """Copy the phase checklists of each file's network (the shared items
        and its own) into the file."""
        Item = self.env["ess.phase.item"]
        items = {company: Item._network_search(company) for company in self.company_id}
        self.env["ess.membership.item"].create(
            [
                {
                    "membership_id": membership.id,
                    "phase_item_id": item.id,
                    "name": item.name,
                    "phase": item.phase,
                    "kind": item.kind,
                    "sequence": item.sequence,
                }
                for membership in self
                for item in items[membership.company_id]
            ]
        )

    def _schedule_next_step(self):
        """Close the activity of the step just done and plan the next one."""
        activity_type = "ess_network.mail_activity_type_membership_step"
        for membership in self:
            membership.activity_feedback([activity_type])
            if membership.state in ("refused", "withdrawn"):
                continue
            if membership.state == "member" and membership.phase == "operational":
                continue
            # the summary is stored: in the language of whom it is for
            user = membership.user_id or self.env.user
            step = membership.with_context(lang=user.lang or self.env.lang)
            step.activity_schedule(activity_type, summary=step.next_step, user_id=user.id)

    # ------------------------------------------------------------------
    # adhesion requests of organisations (public form)
    # ------------------------------------------------------------------
    @api.model
    def _create_adhesion(self, values):
        """Create the organisation, its contact person and its adhesion
        request, from typed values (as read by the public form's controller).

        The request is made by OdooBot on behalf of the visitor and given to
        the staff member in charge of new requests, in their language: the
        activity planned for them is not "Public user"'s.

        :param dict values: those of
            :meth:`res.partner._ess_create_organisation`, and ``motivation``
        :return: the membership file
        :raises ValidationError: when the organisation (same name or e-mail
            address) is already a member or has a request in progress;
            nothing is created
        """
        # the network of the employment area chosen receives the request
        company = values["employment_area_id"].company_id or self.env.company
        known = self.env["res.partner"]._ess_find_organisations(values["name"], values["email"])
        problem = self._adhesion_known_problem(known, company)
        if problem:
            raise ValidationError(problem)
        bot = self.with_user(SUPERUSER_ID)
        # the organisation and its people speak the network's language: the
        # e-mails they receive (this acknowledgement, the portal invitation…)
        # are written in it, whatever the language of the visitor's browser
        organisation, contact = (
            bot.env["res.partner"]
            .with_context(default_lang=self._network_lang(company))
            ._ess_create_organisation(values)
        )
        responsible = self._default_request_user(company)
        membership = bot.with_context(lang=responsible.lang or self.env.lang).create(
            {
                "partner_id": organisation.id,
                "company_id": company.id,
                "contact_id": contact.id,
                "origin": "public_form",
                "motivation": values.get("motivation") or False,
                "user_id": responsible.id,
            }
        )
        membership.message_post(
            body=membership.env._("Adhesion request received through the public form."),
            message_type="notification",
        )
        # the applicant's acknowledgement: thanks, summary, what happens next
        membership._send_template("ess_network.mail_template_membership_acknowledgement")
        return membership.with_env(self.env)

    @api.model
    def _network_lang(self, company):
        """The language of the network ``company``: its own contact's, else
        French, when active; else the current one."""
        langs = self.env["res.lang"].sudo()
        for code in (company.sudo().partner_id.lang, "fr_FR"):
            if code and langs._get_code(code):
                return code
        return self.env.lang

    @api.model
    def _adhesion_known_problem(self, organisations, company):
        """Why a new request of one of these ``organisations`` to the network
        ``company`` is not taken, or '' when it can be: it is a member of
        that network, or has a request in progress there. Being a member of
        another network of the federation is no reason."""
        files = self.sudo().search(
            [
                ("partner_id", "in", organisations.ids),
                ("company_id", "=", company.id),
                ("state", "not in", ("refused", "withdrawn")),
            ]
        )
        states = set(files.mapped("state"))
        if "member" in states:
            return self.env._("This organisation is already a member of the network.")
        if states:
            return self.env._(
                "An adhesion request is already in progress for this organisation: "
                "the network will contact you."
            )
        return ""

    @api.model
    def _default_request_user(self, company=None):
        """Who receives the requests sent to the network ``company`` (the
        current one by default) through the public form: the responsible set
        in its settings, else one of its network administrators, else the
        administrator; nobody when none of them works in that network."""
        company = (company or self.env.company).sudo()
        managers = self.env.ref("ess_network.group_ess_manager").sudo().users
        candidates = (
            company.ess_request_user_id
            | managers.filtered(lambda u: not u.share and u.id != 1)
            | self.env.ref("base.user_admin")
        )
        return candidates.filtered(lambda u: u.active and company in u.company_ids)[:1]
