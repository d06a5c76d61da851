from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

GUIDE_STATES = [
    ("draft", "In preparation"),
    ("in_progress", "In progress"),
    ("closed", "Closed"),
]

# Fields a closed guide year still lets anybody write: mail and activity
# bookkeeping, portal token.
UNLOCKED_PREFIXES = ("message_", "activity_", "access_token", "website_message")


class EssGuideYear(models.Model):
    """The steering record ("outil de pilotage", seed 002) of one member
    organisation's guide of good practices for one year: pilots and working
    group, the twelve steps, the themes retained or not, baselines and
    objectives of every retained question, and the presentations to the
    employees and the general assembly."""

    _name = "ess.guide.year"
    _description = "Good-practice guide year"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, partner_id, id desc"
    _rec_names_search = ["name", "partner_id"]

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    partner_id = fields.Many2one(
        "res.partner",
        "Organisation",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    year = fields.Integer(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).year,
        aggregator=False,
    )
    state = fields.Selection(
        GUIDE_STATES, "Status", required=True, default="draft", tracking=True, copy=False
    )
    user_id = fields.Many2one(
        "res.users",
        "Followed by",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Network staff member who follows this organisation's guide.",
    )
    pilot_ids = fields.Many2many(
        "res.partner",
        "ess_guide_year_pilot_rel",
        "year_id",
        "partner_id",
        "Pilots",
        domain="[('parent_id', '=', partner_id)]",
        help="Who steers the guide, e.g. an employee and elected officer pair (seed 002, 2.2).",
    )
    working_group_ids = fields.Many2many(
        "res.partner",
        "ess_guide_year_working_group_rel",
        "year_id",
        "partner_id",
        "Working group",
        help="Stakeholders who cross their views on the guide: employees, volunteers, users…",
    )
    method = fields.Html(help="How the organisation worked on its guide this year.")
    step_ids = fields.One2many("ess.guide.year.step", "year_id", "Steps")
    theme_line_ids = fields.One2many("ess.guide.year.theme", "year_id", "Themes")
    line_ids = fields.One2many("ess.guide.year.line", "year_id", "Questions and indicators")
    action_ids = fields.One2many("ess.action", "guide_year_id", "Action plan")
    previous_year_id = fields.Many2one(
        "ess.guide.year", "Previous year", readonly=True, copy=False, index="btree_not_null"
    )
    employees_presentation_date = fields.Date("Presented to the employees on", tracking=True)
    general_assembly_date = fields.Date("Presented to the general assembly on", tracking=True)
    general_assembly_minutes = fields.Binary(
        "General assembly minutes", attachment=True, copy=False
    )
    general_assembly_minutes_name = fields.Char("Minutes file name", copy=False)
    general_assembly_debate = fields.Text(
        "Debate at the general assembly",
        help="What the general assembly said of the results and progress objectives "
        "(law of 31 July 2014, art. 3 II).",
    )
    step_progress = fields.Integer("Steps done (%)", compute="_compute_counts", store=True)
    theme_retained_count = fields.Integer("Themes retained", compute="_compute_counts", store=True)
    theme_pending_count = fields.Integer("Themes to decide", compute="_compute_counts", store=True)
    line_retained_count = fields.Integer(
        "Questions retained", compute="_compute_counts", store=True
    )
    action_count = fields.Integer(compute="_compute_action_count", string="Actions")

    _sql_constraints = [
        (
            "partner_year_unique",
            "unique(partner_id, year)",
            "An organisation has one guide per year.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id.name", "year")
    def _compute_name(self):
        for guide in self:
            guide.name = self.env._(
                "Guide %(year)s – %(organisation)s",
                year=guide.year,
                organisation=guide.partner_id.name or "",
            )

    @api.depends(
        "step_ids.done",
        "theme_line_ids.decision",
        "line_ids.retained",
        "line_ids.theme_line_id.decision",
    )
    def _compute_counts(self):
        for guide in self:
            steps = guide.step_ids
            guide.step_progress = (
                round(100 * len(steps.filtered("done")) / len(steps)) if steps else 0
            )
            guide.theme_retained_count = len(
                guide.theme_line_ids.filtered(lambda t: t.decision == "retained")
            )
            guide.theme_pending_count = len(
                guide.theme_line_ids.filtered(lambda t: t.decision == "pending")
            )
            guide.line_retained_count = len(guide.line_ids.filtered("in_scope"))

    def _compute_action_count(self):
        counts = dict(
            self.env["ess.action"]._read_group(
                [("guide_year_id", "in", self.ids)], ["guide_year_id"], ["__count"]
            )
        )
        for guide in self:
            guide.action_count = counts.get(guide, 0)

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for guide in self:
            guide.access_url = f"/my/guide/{guide.id}"

    # --------------------------------------------------------------- constraints
    @api.constrains("year")
    def _check_year(self):
        for guide in self:
            if not 2014 <= guide.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "%s is not a valid guide year: the guide exists since the law of "
                        "31 July 2014.",
                        guide.year,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_is_organisation(self):
        for guide in self:
            if not guide.partner_id.is_company:
                raise ValidationError(
                    self.env._("A guide belongs to an organisation, not to a person.")
                )

    # ----------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        guides = super().create(vals_list)
        guides._fill_from_reference()
        return guides

    def write(self, vals):
        self._check_unlocked(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_empty_drafts(self):
        for guide in self:
            if guide.state != "draft" or guide.line_ids.filtered("has_data"):
                raise UserError(
                    self.env._(
                        "%s holds the organisation's work and cannot be deleted; close it instead.",
                        guide.name,
                    )
                )

    def _is_locked_for_user(self):
        """A closed year is read-only, but for network administrators."""
        return (
            any(guide.state == "closed" for guide in self)
            and not self.env.su
            and not self.env.user.has_group("ess_network.group_ess_manager")
        )

    def _check_unlocked(self, vals=None):
        if vals is not None and all(name.startswith(UNLOCKED_PREFIXES) for name in vals):
            return
        if self._is_locked_for_user():
            closed = self.filtered(lambda g: g.state == "closed")[:1]
            raise UserError(
                self.env._("%s is closed: only a network administrator can change it.", closed.name)
            )

    def _fill_from_reference(self):
        """Give every guide its twelve steps, a line per active theme and a
        line per active question of the reference, keeping what exists."""
        steps = self.env["ess.guide.step"].search([])
        themes = self.env["ess.guide.theme"].search([])
        questions = self.env["ess.guide.question"].search([("domain_id.active", "=", True)])
        step_vals, theme_vals = [], []
        for guide in self:
            have_steps = set(guide.step_ids.step_id.ids)
            step_vals += [
                {"year_id": guide.id, "step_id": step.id, "sequence": step.sequence}
                for step in steps
                if step.id not in have_steps
            ]
            have_themes = set(guide.theme_line_ids.theme_id.ids)
            theme_vals += [
                {"year_id": guide.id, "theme_id": theme.id}
                for theme in themes
                if theme.id not in have_themes
            ]
        self.env["ess.guide.year.step"].create(step_vals)
        self.env["ess.guide.year.theme"].create(theme_vals)
        line_vals = []
        for guide in self:
            guide_themes = set(guide.theme_line_ids.theme_id.ids)
            have_questions = set(guide.line_ids.question_id.ids)
            line_vals += [
                {"year_id": guide.id, "question_id": question.id, "baseline_year": guide.year}
                for question in questions
                if question.id not in have_questions and question.theme_id.id in guide_themes
            ]
        self.env["ess.guide.year.line"].create(line_vals)

    # -------------------------------------------------------------------- actions
    def action_start(self):
        for guide in self:
            if guide.state != "draft":
                raise UserError(self.env._("%s is already started.", guide.name))
        self.state = "in_progress"

    def action_close(self):
        for guide in self:
            if guide.state != "in_progress":
                raise UserError(self.env._("Only a guide in progress can be closed."))
            pending = guide.theme_line_ids.filtered(lambda t: t.decision == "pending")
            if pending:
                raise UserError(
                    self.env._(
                        "Decide whether each theme is retained before closing %(guide)s. "
                        "Still to decide: %(themes)s.",
                        guide=guide.name,
                        themes=", ".join(pending.theme_id.mapped("display_name")),
                    )
                )
        self.state = "closed"

    def action_reopen(self):
        if not self.env.user.has_group("ess_network.group_ess_manager"):
            raise UserError(self.env._("Only a network administrator can reopen a closed guide."))
        for guide in self:
            if guide.state != "closed":
                raise UserError(self.env._("%s is not closed.", guide.name))
        self.state = "in_progress"

    def action_prepare_next_year(self):
        """Start next year's guide from this one (seed 002, 2.6: keep the same
        tools year after year)."""
        self.ensure_one()
        next_year = self.year + 1
        existing = self.search([("partner_id", "=", self.partner_id.id), ("year", "=", next_year)])
        if existing:
            raise UserError(
                self.env._(
                    "%(organisation)s already has a guide for %(year)s.",
                    organisation=self.partner_id.name,
                    year=next_year,
                )
            )
        new = self.create(self._next_year_values())
        new.message_post(
            body=self.env._("Prepared from the guide of %s.", self.year),
            message_type="notification",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def _next_year_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "year": self.year + 1,
            "user_id": self.user_id.id,
            "previous_year_id": self.id,
            "method": self.method,
            "pilot_ids": [Command.set(self.pilot_ids.ids)],
            "working_group_ids": [Command.set(self.working_group_ids.ids)],
            "theme_line_ids": [
                Command.create(line._next_year_values())
                for line in self.theme_line_ids.filtered("theme_id.active")
            ],
            "line_ids": [
                Command.create(line._next_year_values())
                for line in self.line_ids.filtered("question_id.active")
            ],
        }

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_action_action")
        action.update(
            domain=[("guide_year_id", "=", self.id)],
            context={
                "default_guide_year_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        )
        return action

    def action_view_previous_year(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.previous_year_id.id,
            "view_mode": "form",
        }
