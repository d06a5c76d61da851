from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

EVALUATION_STATES = [
    ("planned", "Planned"),
    ("scheduled", "Visit scheduled"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]

# What a completed evaluation keeps as it was, but for network administrators.
LOCKED_FIELDS = {
    "partner_id",
    "evaluator_partner_id",
    "evaluator_ids",
    "year",
    "date_visit",
    "visit_duration",
    "summary",
    "conflict_declared",
    "conflict_note",
}
# What the calendar event of a scheduled visit follows.
VISIT_FIELDS = {"date_visit", "visit_duration", "evaluator_ids", "user_id", "partner_id"}
# From this gap (in points) between the peers' and the organisation's own
# score of a theme, the comparison highlights it.
GAP_NOTICEABLE = 15


class EssEvaluation(models.Model):
    """A cross-evaluation: a peer member organisation evaluates another on
    the grid of the guide, beside the evaluated organisation's own
    self-assessment, during a visit; it ends with a report of strong points
    and improvement points."""

    _name = "ess.evaluation"
    _description = "Cross-evaluation"
    _inherit = [
        "ess.organisation.year.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "year desc, date_visit desc, id desc"
    _rec_names_search = ["partner_id", "evaluator_partner_id"]

    # Not stored: it reads in the language of whoever looks at it.
    name = fields.Char(compute="_compute_name")
    partner_id = fields.Many2one(
        string="Evaluated organisation",
        domain="[('is_company', '=', True), ('ess_member_state', '=', 'member')]",
    )
    evaluator_partner_id = fields.Many2one(
        "res.partner",
        "Evaluator organisation",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain="[('is_company', '=', True), ('ess_member_state', '=', 'member'), "
        "('id', '!=', partner_id)]",
        help="The peer member organisation that evaluates.",
    )
    evaluator_ids = fields.Many2many(
        "res.partner",
        "ess_evaluation_evaluator_rel",
        "evaluation_id",
        "partner_id",
        "Evaluators",
        domain="[('parent_id', '=', evaluator_partner_id)]",
        help="The persons of the evaluator organisation who evaluate.",
        check_company=True,
    )
    year = fields.Integer("Period")
    state = fields.Selection(
        EVALUATION_STATES,
        "Status",
        required=True,
        default="planned",
        tracking=True,
        copy=False,
        index=True,
        group_expand="_read_group_expand_state",
    )
    user_id = fields.Many2one(
        string="Coordinated by",
        help="The network staff member who coordinates the evaluation.",
    )
    date_visit = fields.Datetime("Visit", tracking=True, copy=False)
    visit_duration = fields.Float("Visit duration (hours)", default=3.0)
    event_id = fields.Many2one(
        "calendar.event", "Visit event", readonly=True, copy=False, ondelete="set null"
    )
    date_completed = fields.Date("Completed on", readonly=True, copy=False, tracking=True)
    conflict_declared = fields.Boolean(
        "Conflict of interest declared",
        tracking=True,
        copy=False,
        help="An evaluator declared a conflict of interest with the evaluated organisation: "
        "the evaluation cannot go on with these evaluators.",
    )
    conflict_note = fields.Text("Conflict of interest declaration", copy=False)
    assessment_id = fields.Many2one(
        "ess.assessment",
        "Evaluation grid",
        readonly=True,
        copy=False,
        ondelete="restrict",
        check_company=True,
    )
    grid_completion = fields.Integer(
        related="assessment_id.completion", string="Grid completion (%)"
    )
    self_assessment_id = fields.Many2one(
        "ess.assessment", "Self-assessment", compute="_compute_self_assessment_id"
    )
    score = fields.Float(related="assessment_id.score", string="Score (%)")
    self_score = fields.Float("Self-assessment score (%)", compute="_compute_self_assessment_id")
    score_gap = fields.Float(
        "Gap (points)",
        compute="_compute_self_assessment_id",
        help="Peer score minus self-assessment score.",
    )
    comparison_html = fields.Html(
        "Comparison with the self-assessment", compute="_compute_comparison_html", sanitize=False
    )
    point_ids = fields.One2many("ess.evaluation.point", "evaluation_id", "Points")
    strong_point_ids = fields.One2many(
        "ess.evaluation.point",
        "evaluation_id",
        "Strong points",
        domain=[("kind", "=", "strong")],
        context={"default_kind": "strong"},
    )
    improvement_point_ids = fields.One2many(
        "ess.evaluation.point",
        "evaluation_id",
        "Improvement points",
        domain=[("kind", "=", "improvement")],
        context={"default_kind": "improvement"},
    )
    action_ids = fields.Many2many(
        "ess.action", compute="_compute_action_ids", string="Actions created"
    )
    action_count = fields.Integer(compute="_compute_action_ids", string="Actions")
    summary = fields.Html("Conclusion")

    # ------------------------------------------------------------------ computes
    @api.model
    def _read_group_expand_state(self, values, domain):
        return [key for key, _label in EVALUATION_STATES]

    @api.depends("partner_id.name", "evaluator_partner_id.name", "year")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = self.env._(
                "Evaluation %(year)s of %(evaluated)s by %(evaluator)s",
                year=evaluation.year,
                evaluated=evaluation.partner_id.name or "",
                evaluator=evaluation.evaluator_partner_id.name or "",
            )

    @api.depends("partner_id", "year", "assessment_id.score")
    def _compute_self_assessment_id(self):
        # Whoever reads the evaluation sees the evaluated organisation's
        # self-assessment beside it: the evaluators of a peer member too.
        assessments = (
            self.env["ess.assessment"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("year", "in", self.mapped("year")),
                    ("kind", "=", "self"),
                ]
            )
        )
        by_key = {(a.partner_id.id, a.year): a for a in assessments}
        for evaluation in self:
            assessment = by_key.get(
                (evaluation.partner_id.id, evaluation.year), self.env["ess.assessment"]
            )
            evaluation.self_assessment_id = assessment
            evaluation.self_score = assessment.score
            evaluation.score_gap = (
                evaluation.score - assessment.score
                if assessment.answered_count and evaluation.assessment_id.sudo().answered_count
                else 0.0
            )

    @api.depends("point_ids.action_id")
    def _compute_action_ids(self):
        for evaluation in self:
            evaluation.action_ids = evaluation.point_ids.action_id
            evaluation.action_count = len(evaluation.action_ids)

    @api.depends("assessment_id.theme_score_ids.score", "partner_id", "year")
    def _compute_comparison_html(self):
        for evaluation in self:
            evaluation.comparison_html = self.env["ir.qweb"]._render(
                "ess_network.evaluation_comparison_table",
                {"evaluation": evaluation, "comparison": evaluation._comparison()},
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for evaluation in self:
            evaluation.access_url = f"/my/evaluations/{evaluation.id}"

    def _comparison(self):
        """The peer score beside the self-assessment score, per theme of the
        guide and overall. A theme with no answered question on a side has no
        score on that side (``None``), and then no gap.

        :return: a dict with ``themes`` (a list of dicts: ``theme``, ``peer``,
            ``self``, ``gap``) and ``overall`` (a dict: ``peer``, ``self``,
            ``gap``); scores in %, gaps in points (peer minus self)
        """
        self.ensure_one()

        def scored(assessment):
            return {
                score.theme_id: score.score
                for score in assessment.theme_score_ids
                if score.answered_count
            }

        def gap(peer, own):
            return peer - own if peer is not None and own is not None else None

        grid = self.assessment_id.sudo()
        self_assessment = self.self_assessment_id.sudo()
        peer_scores, self_scores = scored(grid), scored(self_assessment)
        themes = []
        for theme in self.env["ess.guide.theme"]._network_search(self.company_id):
            peer, own = peer_scores.get(theme), self_scores.get(theme)
            themes.append({"theme": theme, "peer": peer, "self": own, "gap": gap(peer, own)})
        peer = grid.score if grid.answered_count else None
        own = self_assessment.score if self_assessment.answered_count else None
        return {
            "themes": themes,
            "overall": {"peer": peer, "self": own, "gap": gap(peer, own)},
        }

    @api.model
    def _format_score(self, value):
        """A score as shown in the comparison and the report: ``75 %``, or a
        dash when there is none. Halves round up, as people count."""
        if value is None:
            return "–"
        return f"{float_round(value, 0, rounding_method='HALF-UP'):.0f} %"

    @api.model
    def _format_gap(self, value):
        """A gap in points with its sign (``+12``, ``-8``), or a dash."""
        if value is None:
            return "–"
        rounded = int(float_round(value, 0, rounding_method="HALF-UP"))
        return f"{rounded:+d}" if rounded else "0"

    @api.model
    def _gap_class(self, value):
        """Peers scoring clearly lower than the organisation itself is what
        the report draws attention to."""
        if value is None or abs(value) < GAP_NOTICEABLE:
            return ""
        return "text-danger" if value < 0 else "text-success"

    # --------------------------------------------------------------- constraints
    def _conflict_reasons(self):
        """Why the evaluator organisation or persons cannot evaluate, if they
        cannot: same organisation, a person of the evaluated organisation, a
        person outside the evaluator organisation, a declared commercial
        relationship (either way), or an explicit declaration.

        :return: the reasons, as sentences to join; empty when all is right
        :rtype: list[str]
        """
        self.ensure_one()
        reasons = []
        evaluated, evaluator = self.partner_id, self.evaluator_partner_id
        if evaluated and evaluator and evaluated == evaluator:
            reasons.append(self.env._("an organisation cannot evaluate itself"))
        insiders = self.evaluator_ids.filtered(
            lambda p: evaluated and p.commercial_partner_id == evaluated
        )
        if insiders:
            reasons.append(
                self.env._(
                    "%(persons)s belong to the evaluated organisation",
                    persons=", ".join(insiders.mapped("name")),
                )
            )
        outsiders = self.evaluator_ids.filtered(
            lambda p: p.commercial_partner_id not in (evaluator | evaluated)
        )
        if outsiders:
            reasons.append(
                self.env._(
                    "%(persons)s do not belong to the evaluator organisation",
                    persons=", ".join(outsiders.mapped("name")),
                )
            )
        if (
            evaluated
            and evaluator
            and evaluated != evaluator
            and (
                evaluator in evaluated.ess_commercial_relation_ids
                or evaluated in evaluator.ess_commercial_relation_ids
            )
        ):
            reasons.append(
                self.env._(
                    "%(evaluator)s and %(evaluated)s declared a commercial relationship",
                    evaluator=evaluator.name,
                    evaluated=evaluated.name,
                )
            )
        if self.conflict_declared:
            reasons.append(
                self.env._(
                    "a conflict of interest was declared: %s",
                    self.conflict_note or self.env._("no details given"),
                )
            )
        return reasons

    @api.constrains(
        "partner_id", "evaluator_partner_id", "evaluator_ids", "conflict_declared", "state"
    )
    def _check_conflict_of_interest(self):
        for evaluation in self.filtered(lambda e: e.state != "cancelled"):
            reasons = evaluation._conflict_reasons()
            if reasons:
                raise ValidationError(
                    self.env._(
                        "%(evaluator)s cannot evaluate %(evaluated)s: %(reasons)s.",
                        evaluator=evaluation.evaluator_partner_id.name,
                        evaluated=evaluation.partner_id.name,
                        reasons="; ".join(reasons),
                    )
                )

    @api.constrains("visit_duration")
    def _check_visit_duration(self):
        for evaluation in self:
            if not 0 <= evaluation.visit_duration <= 24:
                raise ValidationError(
                    self.env._(
                        "A visit lasts from 0 to 24 hours, not %s.", evaluation.visit_duration
                    )
                )

    @api.onchange("evaluator_partner_id")
    def _onchange_evaluator_partner_id(self):
        self.evaluator_ids = self.evaluator_ids.filtered(
            lambda p: p.commercial_partner_id == self.evaluator_partner_id
        )

    # ---------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "planned") != "planned" and not self.env.su:
                raise UserError(self.env._("A cross-evaluation starts planned."))
        evaluations = super().create(vals_list)
        grids = (
            self.env["ess.assessment"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": evaluation.partner_id.id,
                        "company_id": evaluation.company_id.id,
                        "year": evaluation.year,
                        "kind": "peer",
                        "evaluation_id": evaluation.id,
                        "user_id": evaluation.user_id.id,
                    }
                    for evaluation in evaluations
                ]
            )
        )
        for evaluation, grid in zip(evaluations, grids, strict=True):
            evaluation.assessment_id = grid
        return evaluations

    def write(self, vals):
        if "state" in vals and not self.env.context.get("ess_evaluation_transition"):
            # A status changes through the actions only (buttons, kanban drag
            # and drop, RPC alike), which check what the new status needs.
            vals = dict(vals)
            state = vals.pop("state")
            if vals:
                self.write(vals)
            self.filtered(lambda e: e.state != state)._move_to(state)
            return True
        self._check_locked(vals)
        res = super().write(vals)
        if {"partner_id", "year"} & set(vals):
            for evaluation in self.filtered("assessment_id"):
                evaluation.assessment_id.sudo().write(
                    {"partner_id": evaluation.partner_id.id, "year": evaluation.year}
                )
        if VISIT_FIELDS & set(vals):
            self.filtered(lambda e: e.state == "scheduled" and e.event_id)._sync_visit_event()
        return res

    def _check_locked(self, vals):
        """A completed evaluation is the network's record: it keeps what it
        was completed with, but for network administrators."""
        if not LOCKED_FIELDS & set(vals):
            return
        if self.env.su or self.env.user.has_group("ess_network.group_ess_manager"):
            return
        completed = self.filtered(lambda e: e.state == "completed")
        if completed:
            raise UserError(
                self.env._("%s is completed: it can no longer be changed.", completed[0].name)
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("An evaluation is never deleted: cancel it to keep its history.")
        )

    # ---------------------------------------------------------------- transitions
    def _move_to(self, state):
        """Move to ``state`` the way its button does, with the same checks."""
        actions = {
            "planned": self.action_reset_to_planned,
            "scheduled": self.action_schedule_visit,
            "in_progress": self.action_start,
            "completed": self.action_complete,
            "cancelled": self.action_cancel,
        }
        if state not in actions:
            raise UserError(self.env._("%s is not a status of an evaluation.", state))
        return actions[state]()

    def _set_state(self, state, extra_vals=None):
        self.with_context(ess_evaluation_transition=True).write(
            {"state": state, **(extra_vals or {})}
        )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_evaluators(self):
        for evaluation in self:
            if not evaluation.evaluator_ids:
                raise UserError(
                    self.env._(
                        "Choose the persons of %s who evaluate first.",
                        evaluation.evaluator_partner_id.name,
                    )
                )

    # -------------------------------------------------------------------- actions
    def _visit_attendees(self):
        """The evaluators, the evaluated organisation's contacts and the
        coordinator."""
        self.ensure_one()
        contacts = self.partner_id.child_ids.filtered(lambda p: p.type == "contact" and p.active)
        return self.evaluator_ids | (contacts or self.partner_id) | self.user_id.partner_id

    def _visit_event_values(self):
        self.ensure_one()
        return {
            "name": self.env._("Cross-evaluation visit: %s", self.partner_id.name),
            "start": self.date_visit,
            "stop": self.date_visit + timedelta(hours=self.visit_duration or 1),
            "partner_ids": [fields.Command.set(self._visit_attendees().ids)],
            "user_id": (self.user_id or self.env.user).id,
            "location": self.partner_id._display_address(without_company=True).strip() or False,
            "description": self.env._(
                "Visit of %(evaluator)s at %(evaluated)s for the cross-evaluation %(year)s.",
                evaluator=self.evaluator_partner_id.name,
                evaluated=self.partner_id.name,
                year=self.year,
            ),
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "active": True,
        }

    def _sync_visit_event(self):
        """Create the calendar event of the visit, or move it."""
        for evaluation in self:
            if not evaluation.date_visit:
                raise UserError(
                    self.env._("The visit of %s needs its date.", evaluation.partner_id.name)
                )
            values = evaluation._visit_event_values()
            if evaluation.event_id:
                evaluation.event_id.write(values)
            else:
                evaluation.with_context(ess_evaluation_transition=True).event_id = self.env[
                    "calendar.event"
                ].create(values)

    def action_schedule_visit(self):
        """Create (or move) the calendar event of the visit, with the
        evaluators, the evaluated organisation's contacts and the coordinator."""
        for evaluation in self:
            if evaluation.state not in ("planned", "scheduled"):
                raise UserError(
                    self.env._(
                        "The visit of %(name)s can no longer be scheduled: it is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
            if not evaluation.date_visit:
                raise UserError(self.env._("Set the date of the visit first."))
        self._check_evaluators()
        self._sync_visit_event()
        self._set_state("scheduled")
        return True

    def action_start(self):
        for evaluation in self:
            if evaluation.state not in ("planned", "scheduled"):
                raise UserError(
                    self.env._(
                        "%(name)s cannot start: it is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
        self._check_evaluators()
        self._set_state("in_progress")
        return True

    def action_complete(self):
        for evaluation in self:
            if evaluation.state != "in_progress":
                raise UserError(
                    self.env._(
                        "Only an evaluation in progress can be completed; %(name)s is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
            if not evaluation.assessment_id.answered_count:
                raise UserError(
                    self.env._("Fill in the evaluation grid before completing %s.", evaluation.name)
                )
            if not evaluation.point_ids:
                raise UserError(
                    self.env._(
                        "Write the strong points and improvement points of %s before "
                        "completing it.",
                        evaluation.name,
                    )
                )
        today = fields.Date.context_today(self)
        self._set_state("completed", {"date_completed": today})
        self.assessment_id.sudo().filtered(lambda a: a.state != "done").write(
            {"state": "done", "date_done": today}
        )
        return True

    def action_cancel(self):
        for evaluation in self:
            if evaluation.state in ("completed", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(name)s cannot be cancelled: it is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
        self._set_state("cancelled")
        self.event_id.filtered("active").action_archive()
        return True

    def action_reset_to_planned(self):
        """Plan again a cancelled evaluation; the conflict of interest is
        checked again."""
        for evaluation in self:
            if evaluation.state != "cancelled":
                raise UserError(
                    self.env._(
                        "Only a cancelled evaluation is planned again; %(name)s is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
        self._set_state("planned")
        return True

    def action_open_grid(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Evaluation grid"),
            "res_model": "ess.assessment",
            "res_id": self.assessment_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visit"),
            "res_model": "calendar.event",
            "res_id": self.event_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_action_action")
        action.update(
            domain=[("evaluation_point_id.evaluation_id", "=", self.id)],
            context={"default_partner_id": self.partner_id.id, "default_origin": "evaluation"},
        )
        return action
