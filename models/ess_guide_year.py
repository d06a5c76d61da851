from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.sql import create_index

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
    _inherit = ["ess.organisation.year.mixin", "ess.organisation.profile.mixin"]
    # the latest year first, then the organisations by name: the name
    # ("Guide <year> – <organisation>") sorts as the organisation within a
    # year, without joining the contacts to sort by theirs
    _order = "year desc, name, id desc"
    _rec_names_search = ["name", "partner_id"]

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    state = fields.Selection(
        GUIDE_STATES, "Status", required=True, default="draft", tracking=True, copy=False
    )
    user_id = fields.Many2one(help="Network staff member who follows this organisation's guide.")
    pilot_ids = fields.Many2many(
        "res.partner",
        "ess_guide_year_pilot_rel",
        "year_id",
        "partner_id",
        "Pilots",
        domain="[('parent_id', '=', partner_id)]",
        help="Who steers the guide, e.g. an employee and elected officer pair.",
        check_company=True,
    )
    working_group_ids = fields.Many2many(
        "res.partner",
        "ess_guide_year_working_group_rel",
        "year_id",
        "partner_id",
        "Working group",
        help="Stakeholders who cross their views on the guide: employees, volunteers, users…",
        check_company=True,
    )
    method = fields.Html(help="How the organisation worked on its guide this year.")
    step_ids = fields.One2many("ess.guide.year.step", "year_id", "Steps")
    theme_line_ids = fields.One2many("ess.guide.year.theme", "year_id", "Themes")
    line_ids = fields.One2many("ess.guide.year.line", "year_id", "Questions and indicators")
    action_ids = fields.One2many("ess.action", "guide_year_id", "Action plan")
    previous_year_id = fields.Many2one(
        "ess.guide.year",
        "Previous year",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
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

    def _auto_init(self):
        res = super()._auto_init()
        # the default list (filter "Not closed", the model's order) and its
        # pivot read the open years alone, a few thousand of the tens of
        # thousands kept over the years
        create_index(
            self.env.cr,
            "ess_guide_year_open_order_index",
            self._table,
            ["year DESC", "name", "id DESC"],
            where="state IN ('draft', 'in_progress')",
        )
        return res

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
    def _invalid_year_message(self, year):
        return self.env._(
            "%s is not a valid guide year: the guide exists since the law of 31 July 2014.",
            year,
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

    def _check_unlocked(self, vals=None):
        """A closed year is read-only, but for network administrators."""
        if vals is not None and all(name.startswith(UNLOCKED_PREFIXES) for name in vals):
            return
        closed = self._locked_for_user(lambda g: g.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "%s is closed: only a network administrator can change it.", closed[0].name
                )
            )

    def _fill_from_reference(self):
        """Give every guide its twelve steps, a line per active theme and a
        line per active question of its network's reference (the shared one
        and the network's own), keeping what exists."""
        reference = {
            company: (
                self.env["ess.guide.step"]._network_search(company),
                self.env["ess.guide.theme"]._network_search(company),
                self.env["ess.guide.question"]._network_search(
                    company, [("domain_id.active", "=", True)]
                ),
            )
            for company in self.company_id
        }
        step_vals, theme_vals = [], []
        for guide in self:
            steps, themes, _questions = reference[guide.company_id]
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
            questions = reference[guide.company_id][2]
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
        return self._action_plan_window([("guide_year_id", "=", self.id)], guide_year_id=self.id)

    def action_view_previous_year(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.previous_year_id.id,
            "view_mode": "form",
        }

    # --------------------------------------------------------------------- portal
    def _portal_sections(self):
        """The guide as its portal page shows it: each theme of the year with
        its domains of action and their questions, in the reference order,
        as ``[(theme_line, [(domain, [lines])])]``.

        Reads everything in batch (the lines, then their questions, domains
        and themes once each): the number of queries does not grow with the
        number of questions."""
        self.ensure_one()
        by_theme = {}
        for line in self.line_ids:
            domains = by_theme.setdefault(line.theme_line_id, {})
            domains.setdefault(line.question_id.domain_id, []).append(line)
        return [
            (
                theme_line,
                sorted(
                    by_theme.get(theme_line, {}).items(),
                    key=lambda item: (item[0].sequence, item[0].code or "", item[0].id),
                ),
            )
            for theme_line in self.theme_line_ids
        ]

    def _portal_is_open(self):
        return self.state != "closed"

    def _portal_closed_message(self):
        return self.env._("This guide is closed: it can no longer be changed.")

    def _portal_save(self, changes, user):
        """Save what ``user``, a member, changed from the portal page of this
        guide, and tell the guide's chatter.

        ``self`` is the guide read with sudo by the portal controller after
        its access check; this checks again that it belongs to the user's
        organisation (else AccessError) and is not closed, applies the rules
        of the guide (a theme not retained, a question not treated needs its
        reason) and writes nothing at all when anything is wrong.

        :param dict changes: typed values to write by record, the records
            being theme lines and question lines of this guide
        :return: the errors, by ``(record, field name)`` or ``form``; empty
            when saved
        :rtype: dict
        """
        errors = self._portal_check_open(user)
        if errors:
            return errors
        Theme, Line = self.env["ess.guide.year.theme"], self.env["ess.guide.year.line"]
        themes = {r: dict(v) for r, v in changes.items() if r._name == Theme._name}
        lines = {r: dict(v) for r, v in changes.items() if r._name == Line._name}
        if not set(themes) <= set(self.theme_line_ids) or not set(lines) <= set(self.line_ids):
            raise AccessError(self.env._("This record belongs to another organisation."))
        errors = {}

        def decision_of(theme_line):
            return themes.get(theme_line, {}).get("decision", theme_line.decision)

        for theme_line, vals in themes.items():
            if decision_of(theme_line) != "not_retained":
                vals["reason"] = False
            elif Theme._reason_missing("not_retained", vals.get("reason", theme_line.reason)):
                errors[theme_line, "reason"] = self.env._("Say why this theme is not retained.")
        # A question that is not treated needs its reason, unless its whole
        # theme is not retained; checked on every line, as a theme decision
        # changed alone can require it.
        for line in self.line_ids:
            vals = lines.get(line, {})
            retained = vals.get("retained", line.retained)
            if retained:
                if line in lines:
                    vals["reason"] = False
            elif Line._reason_missing(
                retained, vals.get("reason", line.reason), decision_of(line.theme_line_id)
            ):
                errors[line, "reason"] = self.env._("Say why this question is not treated.")
        if errors:
            return errors
        themes = {r: d for r, v in themes.items() if (d := self._portal_differences(r, v))}
        lines = {r: d for r, v in lines.items() if (d := self._portal_differences(r, v))}
        return self._portal_write_updates(
            user, {**themes, **lines}, self._portal_change_items(themes, lines)
        )

    def _portal_change_items(self, themes, lines):
        """The lines of the chatter message: how many themes and questions
        changed, and their numbers."""
        items = (
            self._portal_count_item(self.env._("Themes"), [t.theme_id.code for t in themes]),
            self._portal_count_item(
                self.env._("Questions and indicators"), [line.question_id.code for line in lines]
            ),
        )
        return [item for item in items if item]
