from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

ASSESSMENT_STATES = [
    ("draft", "To fill in"),
    ("done", "Grid completed"),
]

ASSESSMENT_KINDS = [
    ("self", "Self-assessment"),
    ("peer", "Peer evaluation"),
]

# Below this number of organisations, the network's figures of a theme are
# not shown: they would let an organisation recognise another one.
BENCHMARK_MIN_ORGANISATIONS = 5
# A domain scoring below this share is a progress area.
PROGRESS_AREA_THRESHOLD = 50.0
PROGRESS_AREA_COUNT = 3

# The bar chart of the score per theme (see ``_scores_chart``): where the
# bars start, their full width, the height of a row.
CHART_BAR_LEFT, CHART_BAR_WIDTH, CHART_ROW_HEIGHT = 230, 360, 30
CHART_LABEL_LENGTH = 34


def _scores(scope, string):
    """The scores of an assessment for one scope: per theme or per domain."""
    return fields.One2many(
        "ess.assessment.score", "assessment_id", string, domain=[("scope", "=", scope)]
    )


class EssAssessment(models.Model):
    """The self-assessment grid of a member organisation for a period (a
    year), or the grid a peer fills in during a cross-evaluation: one answer
    per question of the guide, scores per domain, theme and overall."""

    _name = "ess.assessment"
    _description = "Self-assessment"
    _inherit = ["ess.organisation.year.mixin"]
    _rec_names_search = ["partner_id"]

    # Not stored: it reads in the language of whoever looks at it.
    name = fields.Char(compute="_compute_name")
    year = fields.Integer("Period")
    kind = fields.Selection(ASSESSMENT_KINDS, required=True, default="self", readonly=True)
    evaluation_id = fields.Many2one(
        "ess.evaluation",
        "Cross-evaluation",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    state = fields.Selection(
        ASSESSMENT_STATES, "Status", default="draft", required=True, tracking=True
    )
    date_done = fields.Date("Completed on", readonly=True, copy=False)
    answer_ids = fields.One2many("ess.assessment.answer", "assessment_id", "Answers")
    score_ids = fields.One2many("ess.assessment.score", "assessment_id", "Scores")
    theme_score_ids = _scores("theme", "Scores per theme")
    domain_score_ids = _scores("domain", "Scores per domain")
    score = fields.Float("Overall score (%)", readonly=True, aggregator="avg")
    question_count = fields.Integer("Questions", readonly=True)
    answered_count = fields.Integer("Answered", readonly=True)
    completion = fields.Integer("Completion (%)", compute="_compute_completion")
    progress_area_ids = fields.Many2many(
        "ess.assessment.score",
        compute="_compute_progress_areas",
        string="Progress areas",
        help="The 3 weakest domains of action among those scoring below 50 %. Weakest first: "
        "the lowest score; at equal scores, the domain with the most questions answered (its "
        "score rests on more answers); then the order of the guide.",
    )
    weak_domain_count = fields.Integer(
        "Domains below 50 %",
        compute="_compute_progress_areas",
        help="How many domains of action with answers score below 50 %.",
    )
    progress_area_caption = fields.Char(
        "What the progress areas show",
        compute="_compute_progress_area_caption",
        help="What the list of progress areas shows, in a sentence.",
    )
    action_ids = fields.One2many("ess.action", "assessment_id", "Actions")
    scores_chart = fields.Html(compute="_compute_scores_chart", sanitize=False)
    benchmark_table = fields.Html("Benchmark", compute="_compute_benchmark_table", sanitize=False)

    _sql_constraints = [
        (
            "question_counts",
            "check(answered_count <= question_count)",
            "An assessment cannot have more answers than questions.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id.name", "year", "kind", "evaluation_id")
    def _compute_name(self):
        for assessment in self:
            if assessment.kind == "peer":
                assessment.name = self.env._(
                    "Peer evaluation %(year)s – %(organisation)s",
                    year=assessment.year,
                    organisation=assessment.partner_id.name or "",
                )
            else:
                assessment.name = self.env._(
                    "Self-assessment %(year)s – %(organisation)s",
                    year=assessment.year,
                    organisation=assessment.partner_id.name or "",
                )

    @api.depends("question_count", "answered_count")
    def _compute_completion(self):
        for assessment in self:
            assessment.completion = (
                round(100 * assessment.answered_count / assessment.question_count)
                if assessment.question_count
                else 0
            )

    @api.depends(
        "domain_score_ids.score",
        "domain_score_ids.answered_count",
        "domain_score_ids.theme_sequence",
        "domain_score_ids.domain_sequence",
    )
    def _compute_progress_areas(self):
        for assessment in self:
            weak = assessment.domain_score_ids.filtered(
                lambda s: s.answered_count and s.score < PROGRESS_AREA_THRESHOLD
            )
            assessment.weak_domain_count = len(weak)
            assessment.progress_area_ids = weak.sorted(self._progress_area_key)[
                :PROGRESS_AREA_COUNT
            ]

    @api.depends("weak_domain_count")
    @api.depends_context("lang")
    def _compute_progress_area_caption(self):
        for assessment in self:
            count = assessment.weak_domain_count
            if count > PROGRESS_AREA_COUNT:
                caption = self.env._(
                    "The %(shown)s weakest of the %(count)s domains of action scoring below 50 %%.",
                    shown=PROGRESS_AREA_COUNT,
                    count=count,
                )
            elif count > 1:
                caption = self.env._(
                    "The %(count)s domains of action scoring below 50 %%, weakest first.",
                    count=count,
                )
            elif count == 1:
                caption = self.env._("The only domain of action scoring below 50 %.")
            else:
                caption = ""
            assessment.progress_area_caption = caption

    @staticmethod
    def _progress_area_key(score):
        """Weakest first, the same way every time: the lowest score; at equal
        scores the domain with the most questions answered (its weakness rests
        on more answers); then the order of the guide (theme, then domain)."""
        return (
            round(score.score, 6),
            -score.answered_count,
            score.theme_sequence,
            score.theme_id.id,
            score.domain_sequence,
            score.domain_id.id,
        )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for assessment in self:
            assessment.access_url = f"/my/assessments/{assessment.id}"

    @api.depends("theme_score_ids.score")
    def _compute_scores_chart(self):
        for assessment in self:
            assessment.scores_chart = assessment._scores_svg()

    def _compute_benchmark_table(self):
        for assessment in self:
            assessment.benchmark_table = assessment._benchmark_html()

    # --------------------------------------------------------------- constraints
    @api.constrains("partner_id", "year", "kind")
    def _check_unique_self_assessment(self):
        for assessment in self.filtered(lambda a: a.kind == "self"):
            if self.search_count(
                [
                    ("partner_id", "=", assessment.partner_id.id),
                    ("year", "=", assessment.year),
                    ("kind", "=", "self"),
                    ("id", "!=", assessment.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(organisation)s already has a self-assessment for %(year)s.",
                        organisation=assessment.partner_id.name,
                        year=assessment.year,
                    )
                )

    # ---------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        assessments = super().create(vals_list)
        questions = {
            company: self.env["ess.guide.question"]._network_search(
                company, [("domain_id.active", "=", True)]
            )
            for company in assessments.company_id
        }
        self.env["ess.assessment.answer"].create(
            [
                {"assessment_id": assessment.id, "question_id": question.id}
                for assessment in assessments
                for question in questions[assessment.company_id] - assessment.answer_ids.question_id
            ]
        )
        assessments._update_scores()
        return assessments

    def _check_editable(self):
        """A completed grid is read-only, but for network administrators."""
        done = self._locked_for_user(lambda a: a.state == "done")
        if done:
            raise UserError(
                self.env._("%s is completed: reopen it to change its answers.", done[0].name)
            )

    # -------------------------------------------------------------------- scores
    def _update_scores(self):
        """Recompute the stored scores per domain and theme and the overall
        score from the answers. A question not applicable leaves the
        denominators; a question not answered yet does not count either."""
        Score = self.env["ess.assessment.score"].sudo()
        answers = (
            self.env["ess.assessment.answer"]
            .sudo()
            .search_read(
                [("assessment_id", "in", self.ids)],
                [
                    "assessment_id",
                    "theme_id",
                    "domain_id",
                    "score",
                    "is_answered",
                    "not_applicable",
                ],
                load=None,
            )
        )
        totals = defaultdict(lambda: [0.0, 0, 0])  # sum of scores, scored, applicable
        for answer in answers:
            keys = [
                (answer["assessment_id"], "overall", False),
                (answer["assessment_id"], "theme", answer["theme_id"]),
                (answer["assessment_id"], "domain", answer["domain_id"]),
            ]
            for key in keys:
                total = totals[key]
                if not answer["not_applicable"]:
                    total[2] += 1
                    if answer["is_answered"]:
                        total[0] += answer["score"]
                        total[1] += 1
        existing = {
            (
                score.assessment_id.id,
                score.scope,
                (score.theme_id if score.scope == "theme" else score.domain_id).id,
            ): score
            for score in Score.search([("assessment_id", "in", self.ids)])
        }
        to_create = []
        for (assessment_id, scope, target), (total, scored, applicable) in totals.items():
            if scope == "overall":
                continue
            vals = {
                "score": total / scored if scored else 0.0,
                "answered_count": scored,
                "applicable_count": applicable,
            }
            score = existing.pop((assessment_id, scope, target), None)
            if score:
                if any(score[name] != value for name, value in vals.items()):
                    score.write(vals)
            else:
                to_create.append(
                    {
                        "assessment_id": assessment_id,
                        "scope": scope,
                        "theme_id" if scope == "theme" else "domain_id": target,
                        **vals,
                    }
                )
        Score.create(to_create)
        if existing:
            Score.browse([score.id for score in existing.values()]).unlink()
        counts = defaultdict(lambda: [0, 0])
        for answer in answers:
            counts[answer["assessment_id"]][0] += 1
            counts[answer["assessment_id"]][1] += answer["is_answered"]
        for assessment in self:
            total, scored, _applicable = totals.get((assessment.id, "overall", False), (0, 0, 0))
            question_count, answered_count = counts.get(assessment.id, (0, 0))
            assessment.sudo().write(
                {
                    "score": total / scored if scored else 0.0,
                    "question_count": question_count,
                    "answered_count": answered_count,
                }
            )

    # ------------------------------------------------------------------ actions
    def action_done(self):
        for assessment in self:
            if assessment.state == "done":
                raise UserError(self.env._("%s is already completed.", assessment.name))
            if not assessment.answered_count:
                raise UserError(
                    self.env._(
                        "Answer at least one question before completing %s.", assessment.name
                    )
                )
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})

    def action_reopen(self):
        self.write({"state": "draft", "date_done": False})

    def action_view_actions(self):
        return self._action_plan_window(
            [("assessment_id", "=", self.id)], assessment_id=self.id, origin="self_assessment"
        )

    # ----------------------------------------------------------------- benchmark
    def _benchmark(self):
        """The organisation's score per theme beside the network's average,
        standard deviation, lowest and highest for the same period, from the
        completed self-assessments of the other organisations of its network
        too (never those of another network of the federation). A theme
        scored by fewer than ``BENCHMARK_MIN_ORGANISATIONS`` organisations
        shows no network figure at all, so that nobody can be recognised.

        :return: a list of dicts, one per theme of the reference
        """
        self.ensure_one()
        Score = self.env["ess.assessment.score"]
        Score.flush_model(
            ["scope", "company_id", "year", "kind", "state", "answered_count", "theme_id"]
        )
        Score.flush_model(["score", "partner_id"])
        # one row per theme, whatever the number of organisations: the
        # aggregates in PostgreSQL, from the covering index of the benchmark
        # (ess_assessment_score_benchmark_index); one self-assessment per
        # organisation and year (_check_unique_self_assessment)
        self.env.cr.execute(
            SQL(
                """
                SELECT theme_id, count(DISTINCT partner_id), avg(score),
                       stddev_pop(score), min(score), max(score)
                  FROM ess_assessment_score
                 WHERE scope = 'theme' AND kind = 'self' AND state = 'done'
                   AND company_id = %s AND year = %s AND answered_count > 0
                 GROUP BY theme_id
                """,
                self.company_id.id,
                self.year,
            )
        )
        by_theme = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        own = {score.theme_id.id: score for score in self.theme_score_ids}
        result = []
        for theme in self.env["ess.guide.theme"]._network_search(self.company_id):
            count, average, stdev, minimum, maximum = by_theme.get(theme.id, (0,) * 5)
            shown = count >= BENCHMARK_MIN_ORGANISATIONS
            own_score = own.get(theme.id)
            result.append(
                {
                    "theme": theme,
                    "score": own_score.score if own_score and own_score.answered_count else None,
                    "count": count if shown else 0,
                    "average": average if shown else None,
                    "stdev": stdev if shown else None,
                    "minimum": minimum if shown else None,
                    "maximum": maximum if shown else None,
                }
            )
        return result

    def _benchmark_html(self):
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "ess_network.assessment_benchmark_table",
            {"rows": self._benchmark(), "assessment": self},
        )

    # -------------------------------------------------------------------- charts
    def _scores_chart(self):
        """The bar chart of the score per theme, as numbers and texts: its
        size, the ticks of the scale, a row per theme of the reference with
        its bar (none when the theme is not assessed). The picture itself is
        the QWeb template ``ess_network.assessment_scores_chart``."""
        self.ensure_one()
        scores = {score.theme_id: score for score in self.theme_score_ids}
        themes = self.env["ess.guide.theme"]._network_search(self.company_id)
        left, width, row_height = CHART_BAR_LEFT, CHART_BAR_WIDTH, CHART_ROW_HEIGHT
        height = row_height * len(themes) + 30
        rows = []
        for index, theme in enumerate(themes):
            y = index * row_height + 4
            score = scores.get(theme)
            value = score.score if score and score.answered_count else None
            bar = width * value / 100 if value is not None else None
            rows.append(
                {
                    "label": f"{theme.code}. {theme.short_name or theme.name}"[:CHART_LABEL_LENGTH],
                    "text_y": y + 16,
                    "bar_y": y + 2,
                    "bar_width": None if bar is None else round(bar, 1),
                    "value_x": None if bar is None else round(left + bar + 6, 1),
                    "value": None if value is None else f"{value:.0f} %",
                    "color": None
                    if value is None
                    else "#dc3545"
                    if value < 34
                    else "#fd7e14"
                    if value < 67
                    else "#198754",
                }
            )
        return {
            "width": left + width + 60,
            "height": height,
            "bar_left": left,
            "label_x": left - 8,
            "empty_x": left + 4,
            "ticks": [
                {"x": left + width * tick / 100, "label": f"{tick} %"}
                for tick in (0, 25, 50, 75, 100)
            ],
            "tick_bottom": height - 22,
            "tick_text_y": height - 6,
            "rows": rows,
        }

    def _scores_svg(self):
        """The bar chart of the score per theme, as an SVG picture shown in
        the back end and the portal alike."""
        self.ensure_one()
        return (
            self.env["ir.qweb"]
            ._render("ess_network.assessment_scores_chart", {"chart": self._scores_chart()})
            .strip()
        )
