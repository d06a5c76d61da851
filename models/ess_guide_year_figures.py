from odoo import api, fields, models, tools
from odoo.tools.sql import column_exists, create_column, create_index, table_exists

# The annual figures stored on a guide year (ess.guide.year._write_figures).
FIGURES = [
    "organization_kind",
    "industry_id",
    "employment_area_id",
    "theme_not_retained_count",
    "objective_met_count",
    "progress_1y",
    "self_assessment_count",
    "self_score",
    "evaluation_count",
]


class EssGuideYear(models.Model):
    """The figures of a guide year for the network's annual figures, stored
    on it: the view reads them from the guide year alone instead of joining
    the organisation and aggregating the year's question lines and themes,
    and the organisation's self-assessments and evaluations, at every read."""

    _inherit = "ess.guide.year"

    theme_not_retained_count = fields.Integer(
        "Themes not retained", compute="_compute_theme_not_retained_count", store=True
    )
    objective_met_count = fields.Integer(
        "1-year objectives met",
        compute="_compute_objective_figures",
        store=True,
        help="The questions worked on whose objective at one year is met.",
    )
    progress_1y = fields.Float(
        "Progress to the 1-year objectives (%)",
        compute="_compute_objective_figures",
        store=True,
        aggregator="avg",
        help="The average progress of the questions worked on (0 without any).",
    )
    self_assessment_count = fields.Integer(
        "Self-assessments done",
        compute="_compute_peer_figures",
        store=True,
        help="The organisation's completed self-assessments of the year in this network.",
    )
    self_score = fields.Float(
        "Self-assessment score (%)",
        compute="_compute_peer_figures",
        store=True,
        aggregator="avg",
        help="The average overall score of those self-assessments (0 without any).",
    )
    evaluation_count = fields.Integer(
        "Cross-evaluations completed",
        compute="_compute_peer_figures",
        store=True,
        help="The organisation's cross-evaluations of the year in this network, completed.",
    )

    def _auto_init(self):
        self._init_figures()
        res = super()._auto_init()
        # The annual figures: their list by year (the latest first), their
        # pivot and graph by year and sector with the company of the
        # multi-company record rule and the measures they show by default,
        # read from the index alone (index-only scan).
        create_index(
            self.env.cr,
            "ess_guide_year_figure_index",
            self._table,
            [
                "year",
                "industry_id",
                "company_id",
                "state",
                "objective_met_count",
                "self_assessment_count",
                "self_score",
            ],
        )
        return res

    def _init_figures(self):
        """On a database made before these figures, fill them by SQL with
        the values their computes give: the ORM would read every question
        line of every guide year (minutes at network scale)."""
        cr = self.env.cr
        if not table_exists(cr, self._table) or any(
            column_exists(cr, self._table, name) for name in FIGURES
        ):
            return
        for name in FIGURES:
            create_column(cr, self._table, name, self._fields[name].column_type[1])
        self._write_figures()

    @api.model
    def _write_figures(self, partner_ids=None):
        """Write the annual figures (``FIGURES``) of the guide years of the
        organisations ``partner_ids`` (default: all) by SQL, with the values
        their computes give: for a database upgraded to them, and for the
        network at scale built by SQL (``tools/scale.py``). What they are
        computed from must be in the database already."""

        def mine(alias):
            if partner_ids is None:
                return tools.SQL("TRUE")
            return tools.SQL(
                "%s = ANY(%s)", tools.SQL.identifier(alias, "partner_id"), list(partner_ids)
            )

        self.env.cr.execute(
            tools.SQL(
                """
                UPDATE ess_guide_year g
                   SET organization_kind = p.ess_organization_kind,
                       industry_id = p.industry_id,
                       employment_area_id = p.ess_employment_area_id,
                       theme_not_retained_count = COALESCE(t.not_retained, 0),
                       objective_met_count = COALESCE(l.met, 0),
                       progress_1y = COALESCE(l.progress, 0),
                       self_assessment_count = COALESCE(a.done, 0),
                       self_score = COALESCE(a.score, 0),
                       evaluation_count = COALESCE(e.completed, 0)
                  FROM ess_guide_year g2
                  LEFT JOIN res_partner p ON p.id = g2.partner_id
                  LEFT JOIN (SELECT year_id, COUNT(*) AS not_retained
                               FROM ess_guide_year_theme
                              WHERE %(mine_t)s AND decision = 'not_retained'
                              GROUP BY year_id) t ON t.year_id = g2.id
                  LEFT JOIN (SELECT year_id,
                                    COUNT(*) FILTER (WHERE achievement_1y = 'met') AS met,
                                    AVG(progress_1y) AS progress
                               FROM ess_guide_year_line
                              WHERE %(mine_l)s AND in_scope
                              GROUP BY year_id) l ON l.year_id = g2.id
                  LEFT JOIN (SELECT partner_id, company_id, year, COUNT(*) AS done,
                                    AVG(score) AS score
                               FROM ess_assessment
                              WHERE %(mine_a)s AND kind = 'self' AND state = 'done'
                              GROUP BY partner_id, company_id, year) a
                    ON a.partner_id = g2.partner_id AND a.year = g2.year
                   AND a.company_id IS NOT DISTINCT FROM g2.company_id
                  LEFT JOIN (SELECT partner_id, company_id, year, COUNT(*) AS completed
                               FROM ess_evaluation
                              WHERE %(mine_e)s AND state = 'completed'
                              GROUP BY partner_id, company_id, year) e
                    ON e.partner_id = g2.partner_id AND e.year = g2.year
                   AND e.company_id IS NOT DISTINCT FROM g2.company_id
                 WHERE g2.id = g.id AND %(mine_g)s
                """,
                mine_t=mine("ess_guide_year_theme"),
                mine_l=mine("ess_guide_year_line"),
                mine_a=mine("ess_assessment"),
                mine_e=mine("ess_evaluation"),
                mine_g=mine("g2"),
            )
        )
        self.invalidate_model(FIGURES)
        # the totals of the annual figures over those guide years (once they
        # are there: a new table is filled from every guide year)
        if not table_exists(self.env.cr, "ess_network_figure_total_change"):
            return
        if partner_ids is None:
            self.env["ess.network.figure.total"]._note_changes(tools.SQL("TRUE"))
        else:
            self.env["ess.network.figure.total"]._note_changes(
                tools.SQL("g.partner_id = ANY(%s)", list(partner_ids))
            )

    @api.depends("theme_line_ids.decision")
    def _compute_theme_not_retained_count(self):
        for guide in self:
            guide.theme_not_retained_count = len(
                guide.theme_line_ids.filtered(lambda t: t.decision == "not_retained")
            )

    @api.depends("line_ids.in_scope", "line_ids.achievement_1y", "line_ids.progress_1y")
    def _compute_objective_figures(self):
        for guide in self:
            lines = guide.line_ids.filtered("in_scope")
            guide.objective_met_count = len(
                lines.filtered(lambda line: line.achievement_1y == "met")
            )
            guide.progress_1y = sum(lines.mapped("progress_1y")) / len(lines) if lines else 0.0

    @api.depends(
        "partner_id",
        "company_id",
        "year",
        "partner_id.ess_assessment_ids.company_id",
        "partner_id.ess_assessment_ids.year",
        "partner_id.ess_assessment_ids.kind",
        "partner_id.ess_assessment_ids.state",
        "partner_id.ess_assessment_ids.score",
        "partner_id.ess_evaluation_ids.company_id",
        "partner_id.ess_evaluation_ids.year",
        "partner_id.ess_evaluation_ids.state",
    )
    def _compute_peer_figures(self):
        # (the records being created, not yet in the database, come back
        # once they are)
        for guide in self:
            partner = guide.partner_id
            scores = [
                assessment.score
                for assessment in partner.ess_assessment_ids
                if assessment.id
                and assessment.kind == "self"
                and assessment.state == "done"
                and assessment.year == guide.year
                and assessment.company_id == guide.company_id
            ]
            guide.self_assessment_count = len(scores)
            guide.self_score = sum(scores) / len(scores) if scores else 0.0
            guide.evaluation_count = len(
                partner.ess_evaluation_ids.filtered(
                    lambda e, guide=guide: e.id
                    and e.state == "completed"
                    and e.year == guide.year
                    and e.company_id == guide.company_id
                )
            )
