from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import create_index

from ..tools import formats

ACHIEVEMENTS = [
    ("not_met", "Not met"),
    ("partly_met", "Partly met"),
    ("met", "Met"),
]
ACHIEVEMENT_PROGRESS = {"not_met": 0, "partly_met": 50, "met": 100}

# The order of the report "Objectives of the guides" (its list view's
# default_order): the latest year first, then the guide's order. An index
# matches it, so the list's first page reads 80 entries of the index instead
# of sorting every line of every year.
REPORT_ORDER = "year desc, theme_sequence, domain_sequence, question_sequence, id"

# The figures of a line, by kind: quantitative indicators hold numbers (in
# their unit), qualitative questions hold text.
MEASURES = ("baseline", "objective_1y", "objective_3y", "value")


class EssGuideYearLine(models.Model):
    """A question or indicator in one organisation's guide year: retained or
    not, its baseline (état des lieux, year N0), its objectives at one and
    three years, and the value measured this year."""

    _name = "ess.guide.year.line"
    _inherit = ["ess.guide.year.base", "ess.guide.question.line.mixin"]
    _description = "Question or indicator of a guide year"
    _order = "year_id, theme_sequence, domain_sequence, question_sequence, id"

    kind = fields.Selection(related="question_id.kind")
    unit = fields.Char(related="question_id.unit")
    guidance = fields.Text(related="question_id.guidance")
    theme_line_id = fields.Many2one(
        "ess.guide.year.theme",
        "Theme of the year",
        compute="_compute_theme_line_id",
        store=True,
        index=True,
    )
    theme_decision = fields.Selection(related="theme_line_id.decision", string="Theme decision")
    retained = fields.Boolean(
        default=True, help="Untick the questions the organisation does not treat."
    )
    reason = fields.Text("Reason for not treating it")
    in_scope = fields.Boolean(
        "Worked on",
        compute="_compute_in_scope",
        store=True,
        help="The question is retained and so is its theme.",
    )
    baseline_year = fields.Integer("Baseline year (N0)", aggregator=False)
    baseline = fields.Float("Baseline (N0)")
    baseline_text = fields.Text("Baseline (N0) ")
    objective_1y = fields.Float("Objective at 1 year (N+1)")
    objective_1y_text = fields.Text("Objective at 1 year (N+1) ")
    objective_3y = fields.Float("Objective at 3 years (N+3)")
    objective_3y_text = fields.Text("Objective at 3 years (N+3) ")
    value = fields.Float("Measured value")
    value_text = fields.Text("Measured value ")
    has_value = fields.Boolean(
        "Value measured", help="Ticked once this year's value is measured (a value can be 0)."
    )
    previous_value = fields.Float("Last year's value", readonly=True)
    previous_value_text = fields.Text("Last year's value ", readonly=True)
    has_previous_value = fields.Boolean(readonly=True)
    achievement_1y = fields.Selection(ACHIEVEMENTS, "Objective at 1 year reached?")
    achievement_3y = fields.Selection(ACHIEVEMENTS, "Objective at 3 years reached?")
    progress_1y = fields.Float(
        "Progress to the 1-year objective (%)",
        compute="_compute_progress",
        store=True,
        aggregator="avg",
    )
    progress_3y = fields.Float(
        "Progress to the 3-year objective (%)",
        compute="_compute_progress",
        store=True,
        aggregator="avg",
    )
    has_data = fields.Boolean(compute="_compute_has_data")
    baseline_display = fields.Char("Baseline", compute="_compute_displays")
    objective_1y_display = fields.Char("Objective at 1 year", compute="_compute_displays")
    objective_3y_display = fields.Char("Objective at 3 years", compute="_compute_displays")
    value_display = fields.Char("Measured", compute="_compute_displays")
    previous_value_display = fields.Char("Last year", compute="_compute_displays")
    comment = fields.Text()

    _sql_constraints = [
        (
            "year_question_unique",
            "unique(year_id, question_id)",
            "A question appears once in a guide year.",
        ),
    ]

    def _auto_init(self):
        res = super()._auto_init()
        # The report's list order (REPORT_ORDER), and its pivot and graph:
        # the lines worked on, by year and theme, with the company of the
        # multi-company record rule and the measure they average, read from
        # the index alone (index-only scan) for the years the report shows.
        create_index(
            self.env.cr,
            "ess_guide_year_line_report_order_index",
            self._table,
            ["year DESC", "theme_sequence", "domain_sequence", "question_sequence", "id"],
        )
        create_index(
            self.env.cr,
            "ess_guide_year_line_report_pivot_index",
            self._table,
            ["year", "theme_id", "company_id", "progress_1y"],
            where="in_scope",
        )
        return res

    @api.depends("year_id.theme_line_ids.theme_id", "question_id.theme_id")
    def _compute_theme_line_id(self):
        for line in self:
            line.theme_line_id = line.year_id.theme_line_ids.filtered(
                lambda t, theme=line.question_id.theme_id: t.theme_id == theme
            )[:1]

    @api.depends("retained", "theme_line_id.decision")
    def _compute_in_scope(self):
        for line in self:
            line.in_scope = line.retained and line.theme_line_id.decision == "retained"

    @api.depends(
        "question_id.kind",
        "baseline",
        "objective_1y",
        "objective_3y",
        "value",
        "has_value",
        "achievement_1y",
        "achievement_3y",
    )
    def _compute_progress(self):
        for line in self:
            if line.question_id.kind == "quantitative":
                line.progress_1y = line._quantitative_progress(line.objective_1y)
                line.progress_3y = line._quantitative_progress(line.objective_3y)
            else:
                line.progress_1y = ACHIEVEMENT_PROGRESS.get(line.achievement_1y, 0)
                line.progress_3y = ACHIEVEMENT_PROGRESS.get(line.achievement_3y, 0)

    def _quantitative_progress(self, objective):
        """Share of the way from the baseline to the objective covered by the
        measured value, between 0 and 100, whichever the direction."""
        if not self.has_value:
            return 0.0
        gap = objective - self.baseline
        if not gap:
            return 100.0 if self.value == objective else 0.0
        return max(0.0, min(100.0, 100.0 * (self.value - self.baseline) / gap))

    @api.depends(
        "question_id.kind",
        "question_id.unit",
        "baseline",
        "baseline_text",
        "objective_1y",
        "objective_1y_text",
        "objective_3y",
        "objective_3y_text",
        "value",
        "value_text",
        "has_value",
        "previous_value",
        "previous_value_text",
        "has_previous_value",
    )
    @api.depends_context("lang")
    def _compute_displays(self):
        write_number = formats.number_formatter(self.env)
        for line in self:
            for measure in (*MEASURES, "previous_value"):
                line[f"{measure}_display"] = line._display_measure(measure, write_number)

    def _compute_has_data(self):
        for line in self:
            line.has_data = bool(
                line.has_value
                or line.baseline_text
                or line.objective_1y_text
                or line.objective_3y_text
                or line.value_text
                or line.baseline
                or line.objective_1y
                or line.objective_3y
                or line.reason
            )

    @api.model
    def _reason_missing(self, retained, reason, theme_decision):
        """The rule of seed 002: a question not treated says why, unless its
        whole theme is not retained (the theme says why). Checked by the
        constraint, the portal and the spreadsheet import alike."""
        return not retained and theme_decision != "not_retained" and not (reason or "").strip()

    @api.constrains("retained", "reason", "theme_line_id")
    def _check_reason(self):
        for line in self:
            if self._reason_missing(line.retained, line.reason, line.theme_line_id.decision):
                raise ValidationError(
                    self.env._(
                        "Say why the question “%s” is not treated (for example: “Question non "
                        "traitée car…”).",
                        line.question_id.display_name,
                    )
                )

    def _next_year_values(self):
        """Next year keeps the baseline and the objectives; this year's value
        becomes last year's value."""
        self.ensure_one()
        return {
            "question_id": self.question_id.id,
            "retained": self.retained,
            "reason": self.reason,
            "baseline_year": self.baseline_year or self.year,
            "baseline": self.baseline,
            "baseline_text": self.baseline_text,
            "objective_1y": self.objective_1y,
            "objective_1y_text": self.objective_1y_text,
            "objective_3y": self.objective_3y,
            "objective_3y_text": self.objective_3y_text,
            "previous_value": self.value if self.has_value else 0.0,
            "has_previous_value": self.has_value,
            "previous_value_text": self.value_text,
        }

    def _display_measure(self, measure, write_number=None):
        """A measure as a reader sees it: the number with its unit for an
        indicator, the text for a question.

        :param write_number: how to write the number (``formats.number_formatter``),
            to read the language once for many lines"""
        self.ensure_one()
        if self.kind == "quantitative":
            if measure == "value" and not self.has_value:
                return ""
            if not self.has_data and measure != "previous_value":
                return ""
            if measure == "previous_value" and not self.has_previous_value:
                return ""
            text = (write_number or self._format_number)(self[measure])
            return f"{text} {self.unit}" if self.unit else text
        return self[f"{measure}_text"] or ""

    @api.model
    def _format_number(self, number):
        return formats.format_number(self.env, number)
