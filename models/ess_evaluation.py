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


def _points(kind, string):
    """The points of one kind of an evaluation; a point added there is of
    that kind."""
    return fields.One2many(
        "ess.evaluation.point",
        "evaluation_id",
        string,
        domain=[("kind", "=", kind)],
        context={"default_kind": kind},
    )


class EssEvaluation(models.Model):
    """A cross-evaluation: a peer member organisation evaluates another on
    the grid of the guide, beside the evaluated organisation's own
    self-assessment, during a visit; it ends with a report of strong points
    and improvement points.

    The portal users of both organisations read the evaluation (record
    rules), over JSON-RPC too, so every related and computed field tells
    either organisation only what the evaluation page shows it: the
    organisations, evaluators, visit, status; then what the evaluators wrote
    (``_results_shown_to``: to the evaluator organisation always, to the
    evaluated one once completed): the peer scores (``score``,
    ``grid_completion``: computed from the peer grid, which neither reads
    itself), the evaluated organisation's self-assessment scores beside them
    (``self_assessment_id``'s name, ``self_score``, ``score_gap``,
    ``comparison_html``: computed as superuser on purpose, the comparison
    being the point of the exercise; never its answers or comments), the
    points (record rules). The conclusion (``summary``) is read on the page
    only. The actions the evaluated organisation made of the points belong to
    its action plan: ``action_ids`` and ``action_count`` are for the
    network's staff only, as is the declaration of a conflict of interest
    (``conflict_note``).

    Its course (statuses, visit, buttons) is in ``ess_evaluation_workflow.py``;
    what its evaluators fill in from the portal in ``ess_evaluation_portal.py``."""

    _name = "ess.evaluation"
    _description = "Cross-evaluation"
    _inherit = ["ess.organisation.year.mixin"]
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
    # what an evaluator declared about its ties with the evaluated
    # organisation: the network's record, shown on neither portal page
    conflict_note = fields.Text(
        "Conflict of interest declaration", copy=False, groups="ess_network.group_ess_user"
    )
    assessment_id = fields.Many2one(
        "ess.assessment",
        "Evaluation grid",
        readonly=True,
        copy=False,
        ondelete="restrict",
        check_company=True,
    )
    # the peer grid's figures: computed as superuser for whoever may read
    # them (see ``_results_shown_to``), nothing for the evaluated
    # organisation's users before completion
    grid_completion = fields.Integer("Grid completion (%)", compute="_compute_peer_results")
    self_assessment_id = fields.Many2one(
        "ess.assessment", "Self-assessment", compute="_compute_self_assessment_id"
    )
    score = fields.Float("Score (%)", compute="_compute_peer_results")
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
    strong_point_ids = _points("strong", "Strong points")
    improvement_point_ids = _points("improvement", "Improvement points")
    # the evaluated organisation's action plan: not for the evaluator (see
    # the class docstring)
    action_ids = fields.Many2many(
        "ess.action",
        compute="_compute_action_ids",
        string="Actions created",
        groups="ess_network.group_ess_user",
    )
    action_count = fields.Integer(
        compute="_compute_action_ids", string="Actions", groups="ess_network.group_ess_user"
    )
    # written by the evaluators from the portal page, which reads it as
    # superuser for whoever may see it: not over RPC for members (the
    # evaluated organisation must not read it before completion)
    summary = fields.Html("Conclusion", groups="ess_network.group_ess_user")

    # ------------------------------------------------------------------ computes
    @api.model
    def _read_group_expand_state(self, values, domain):
        return [key for key, _label in EVALUATION_STATES]

    @api.depends("partner_id.name", "evaluator_partner_id.name", "year")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = self.env._(
                "Evaluation %(year)s – %(evaluated)s (evaluator: %(evaluator)s)",
                year=evaluation.year,
                evaluated=evaluation.partner_id.name or "",
                evaluator=evaluation.evaluator_partner_id.name or "",
            )

    def _results_shown_to(self, user):
        """Whether ``user`` reads what the evaluators wrote (the peer grid
        and its scores, the points, the conclusion): the network's staff and
        the evaluator organisation's users always, the evaluated
        organisation's users once the evaluation is completed — before, they
        read its organisations, evaluators, visit and status only."""
        self.ensure_one()
        return (
            not user.share
            or self.state == "completed"
            or user.commercial_partner_id == self.evaluator_partner_id
        )

    def _results_shown(self):
        """``_results_shown_to`` the current user (always as superuser)."""
        self.ensure_one()
        return self.env.su or self._results_shown_to(self.env.user)

    @api.depends("assessment_id.score", "assessment_id.completion", "state")
    @api.depends_context("uid")
    def _compute_peer_results(self):
        for evaluation in self:
            grid = evaluation.assessment_id.sudo()
            shown = evaluation._results_shown()
            evaluation.score = grid.score if shown else 0.0
            evaluation.grid_completion = grid.completion if shown else 0

    @api.depends("partner_id", "year", "assessment_id.score", "state")
    @api.depends_context("uid")
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
                if assessment.answered_count
                and evaluation.assessment_id.sudo().answered_count
                and evaluation._results_shown()
                else 0.0
            )

    @api.depends("point_ids.action_id")
    def _compute_action_ids(self):
        for evaluation in self:
            evaluation.action_ids = evaluation.point_ids.action_id
            evaluation.action_count = len(evaluation.action_ids)

    @api.depends("assessment_id.theme_score_ids.score", "partner_id", "year", "state")
    @api.depends_context("uid")
    def _compute_comparison_html(self):
        for evaluation in self:
            if not evaluation._results_shown():
                evaluation.comparison_html = False
                continue
            evaluation.comparison_html = self.env["ir.qweb"]._render(
                "ess_network.evaluation_comparison_table",
                {"evaluation": evaluation, "comparison": evaluation._comparison()},
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for evaluation in self:
            evaluation.access_url = f"/my/evaluations/{evaluation.id}"

    def _get_report_base_filename(self):
        """The name of the report's PDF downloaded from the portal."""
        self.ensure_one()
        return self.name

    def _report_shows_actions(self):
        """Whether the report shows the actions made of the improvement
        points: to the network's staff and to the evaluated organisation, not
        to the evaluator organisation, which prints the report from the
        portal too (the actions are the evaluated organisation's action plan)."""
        self.ensure_one()
        user = self.env.user
        return not user.share or user.commercial_partner_id == self.partner_id

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
            persons = ", ".join(insiders.mapped("name"))
            reasons.append(
                self.env._("%(person)s belongs to the evaluated organisation", person=persons)
                if len(insiders) == 1
                else self.env._("%(persons)s belong to the evaluated organisation", persons=persons)
            )
        outsiders = self.evaluator_ids.filtered(
            lambda p: p.commercial_partner_id not in (evaluator | evaluated)
        )
        if outsiders:
            persons = ", ".join(outsiders.mapped("name"))
            reasons.append(
                self.env._(
                    "%(person)s does not belong to the evaluator organisation", person=persons
                )
                if len(outsiders) == 1
                else self.env._(
                    "%(persons)s do not belong to the evaluator organisation", persons=persons
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
        completed = self._locked_for_user(lambda e: e.state == "completed")
        if completed:
            raise UserError(
                self.env._("%s is completed: it can no longer be changed.", completed[0].name)
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("An evaluation is never deleted: cancel it to keep its history.")
        )
