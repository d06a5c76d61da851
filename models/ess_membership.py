import re
from datetime import datetime, time, timedelta

import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize

from .ess_phase_item import PHASES
from .res_partner import ORGANIZATION_KINDS, ORGANIZATION_SIZES

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

PUBLIC_FORM_LIMITS = {"short": 128, "long": 4000}
PHONE_RE = re.compile(r"^[0-9+().\s-]{6,32}$")
MARKUP_RE = re.compile(r"[<>{}]")


class EssMembership(models.Model):
    """The membership file of an organisation: from its adhesion request,
    through the integration steps of seed 000, to a member working through
    the appropriation and operational phases."""

    _name = "ess.membership"
    _description = "Membership file"
    _inherit = ["ess.organisation.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
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

    # organisation profile, stored for group-bys and reports (related fields
    # are read as superuser: the member reads its own organisation's profile)
    organization_kind = fields.Selection(
        related="partner_id.ess_organization_kind", store=True, string="Kind of organisation"
    )
    industry_id = fields.Many2one(
        related="partner_id.industry_id", store=True, string="Sector of activity"
    )
    employment_area_id = fields.Many2one(
        related="partner_id.ess_employment_area_id", store=True, string="Employment area"
    )

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
    integration_item_ids = fields.One2many(
        "ess.membership.item",
        "membership_id",
        "Integration checklist",
        domain=[("phase", "=", "integration")],
    )
    appropriation_item_ids = fields.One2many(
        "ess.membership.item",
        "membership_id",
        "Appropriation checklist",
        domain=[("phase", "=", "appropriation")],
    )
    operational_item_ids = fields.One2many(
        "ess.membership.item",
        "membership_id",
        "Operational checklist",
        domain=[("phase", "=", "operational")],
    )
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
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

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
    # public adhesion form
    # ------------------------------------------------------------------
    @api.model
    def _public_form_options(self):
        partner_fields = self.env["res.partner"]._fields
        return {
            "kinds": partner_fields["ess_organization_kind"]._description_selection(self.env),
            "sizes": partner_fields["ess_size"]._description_selection(self.env),
            "industries": self.env["res.partner.industry"].sudo().search([]),
            "areas": self.env["ess.employment.area"].sudo().search([]),
        }

    @api.model
    def _clean_public_form(self, post):
        """Check what a prospective organisation posted on the public form.

        Returns ``(values, errors)``: cleaned values, and a dict of the fields in
        error with a translated message each. Nothing is written.
        """
        errors, values = {}, {}
        short, long_ = PUBLIC_FORM_LIMITS["short"], PUBLIC_FORM_LIMITS["long"]

        def text(key, label, required=False, limit=short):
            raw = post.get(key) or ""
            if not isinstance(raw, str):
                errors[key] = self.env._("%s is not valid.", label)
                return ""
            value = raw.strip()
            if required and not value:
                errors[key] = self.env._("%s is required.", label)
            elif len(value) > limit:
                errors[key] = self.env._(
                    "%(label)s is too long (%(limit)s characters at most).",
                    label=label,
                    limit=limit,
                )
            elif limit == short and MARKUP_RE.search(value):
                errors[key] = self.env._(
                    "%s contains characters that are not allowed (< > { }).", label
                )
            return value

        values["name"] = text("name", self.env._("The name of the organisation"), required=True)
        values["street"] = text("street", self.env._("The address"))
        values["zip"] = text("zip", self.env._("The postcode"))
        values["city"] = text("city", self.env._("The city"), required=True)
        values["website"] = text("website", self.env._("The website"))
        values["contact_name"] = text("contact_name", self.env._("Your name"), required=True)
        values["function"] = text("function", self.env._("Your position"))
        values["motivation"] = text("motivation", self.env._("Your motivation"), limit=long_)
        values["phone"] = text("phone", self.env._("The phone number"))
        if values["phone"] and "phone" not in errors and not PHONE_RE.match(values["phone"]):
            errors["phone"] = self.env._("The phone number is not valid.")
        if values["zip"] and "zip" not in errors and not re.fullmatch(r"\d{5}", values["zip"]):
            errors["zip"] = self.env._("A French postcode has 5 digits.")
        email = text("email", self.env._("The e-mail address"), required=True)
        if email and "email" not in errors:
            values["email"] = email_normalize(email, strict=True)
            if not values["email"]:
                errors["email"] = self.env._("The e-mail address is not valid.")

        kind = post.get("kind")
        if kind not in dict(ORGANIZATION_KINDS):
            errors["kind"] = self.env._("Choose the kind of organisation in the list.")
        values["kind"] = kind
        size = post.get("size") or False
        if size and size not in dict(ORGANIZATION_SIZES):
            errors["size"] = self.env._("Choose the size of the organisation in the list.")
        values["size"] = size
        for key, model, label in (
            ("industry_id", "res.partner.industry", self.env._("sector of activity")),
            ("employment_area_id", "ess.employment.area", self.env._("employment area")),
        ):
            raw = post.get(key) or ""
            record = self.env[model]
            if raw:
                record = (
                    self.env[model].sudo().browse(int(raw)).exists()
                    if isinstance(raw, str) and raw.isdigit() and len(raw) < 10
                    else record
                )
                if not record or not record.active:
                    errors[key] = self.env._("Choose the %s in the list.", label)
            elif key == "employment_area_id":
                errors[key] = self.env._("Choose the %s in the list.", label)
            values[key] = record
        if post.get("accept") != "on":
            errors["accept"] = self.env._("Please accept that the network processes your request.")
        if post.get("company_fax"):  # honeypot: a hidden field only robots fill in
            errors["form"] = self.env._("Your request could not be accepted.")
        if not errors:
            duplicate = self._public_form_duplicate(values)
            if duplicate:
                errors["form"] = duplicate
        return values, errors

    @api.model
    def _public_form_duplicate(self, values):
        Partner = self.env["res.partner"].sudo()
        partners = Partner.search(
            [
                ("is_company", "=", True),
                "|",
                ("name", "=ilike", values["name"]),
                ("email", "=ilike", values["email"]),
            ]
        )
        if not partners:
            return ""
        if any(p.ess_member_state == "member" for p in partners):
            return self.env._("This organisation is already a member of the network.")
        if any(p.ess_member_state == "candidate" for p in partners):
            return self.env._(
                "An adhesion request is already in progress for this organisation: "
                "the network will contact you."
            )
        return ""

    @api.model
    def _create_from_public_form(self, post):
        """Create the organisation, its contact and the adhesion request.

        Raises ValidationError with every message when the post is not valid:
        then nothing is created.
        """
        values, errors = self._clean_public_form(post)
        if errors:
            raise ValidationError("\n".join(errors.values()))
        return self._create_adhesion(values)

    @api.model
    def _create_adhesion(self, values):
        """Create what a request needs from values checked by ``_clean_public_form``."""
        Partner = self.env["res.partner"].sudo()
        organisation = Partner.create(
            {
                "name": values["name"],
                "is_company": True,
                "street": values["street"],
                "zip": values["zip"],
                "city": values["city"],
                "country_id": self.env.ref("base.fr").id,
                "email": values["email"],
                "phone": values["phone"],
                "website": values["website"],
                "industry_id": values["industry_id"].id,
                "ess_organization_kind": values["kind"],
                "ess_size": values["size"],
                "ess_employment_area_id": values["employment_area_id"].id,
            }
        )
        contact = Partner.create(
            {
                "name": values["contact_name"],
                "parent_id": organisation.id,
                "type": "contact",
                "function": values["function"],
                "email": values["email"],
                "phone": values["phone"],
            }
        )
        # the network of the employment area chosen receives the request
        company = values["employment_area_id"].company_id or self.env.company
        # filed by OdooBot, not "Public user": the notices staff receive come from it
        membership = self.with_user(SUPERUSER_ID).create(
            {
                "partner_id": organisation.id,
                "company_id": company.id,
                "contact_id": contact.id,
                "origin": "public_form",
                "motivation": values["motivation"],
                "user_id": self._default_request_user(company).id,
            }
        )
        membership.message_post(
            body=self.env._("Adhesion request received through the public form."),
            message_type="notification",
        )
        return membership

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
