from odoo import api, fields, models, tools

from .ess_guide_year import GUIDE_STATES
from .res_partner import ORGANIZATION_KINDS


class EssNetworkFigure(models.Model):
    """The figures of the network's annual report per organisation and year,
    for the staff's pivot and graph views: one line per guide year, with the
    organisation's kind, sector and employment area, the themes it retained
    or not, its objectives at one year, its self-assessment score and the
    cross-evaluations it completed that year.

    Read-only: a PostgreSQL view (the multi-company record rule keeps each
    staff to its networks). Staff see every member of their network: the
    anonymity threshold applies to the printed report, not to this view."""

    _name = "ess.network.figure"
    _description = "Network annual figures"
    _auto = False
    _order = "year desc, partner_id"
    _rec_name = "partner_id"
    _depends = {
        "ess.guide.year": [
            "partner_id",
            "company_id",
            "year",
            "state",
            "general_assembly_date",
            "organization_kind",
            "industry_id",
            "employment_area_id",
            "theme_retained_count",
            "theme_not_retained_count",
            "line_retained_count",
            "objective_met_count",
            "progress_1y",
            "self_assessment_count",
            "self_score",
            "evaluation_count",
        ],
    }

    guide_year_id = fields.Many2one("ess.guide.year", "Guide year", readonly=True)
    partner_id = fields.Many2one("res.partner", "Organisation", readonly=True)
    company_id = fields.Many2one("res.company", "Network", readonly=True)
    year = fields.Integer(readonly=True, aggregator=False)
    state = fields.Selection(GUIDE_STATES, "Guide status", readonly=True)
    organization_kind = fields.Selection(ORGANIZATION_KINDS, "Kind of organisation", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", "Sector of activity", readonly=True)
    employment_area_id = fields.Many2one("ess.employment.area", "Employment area", readonly=True)
    guide_count = fields.Integer("Guide years", readonly=True)
    closed_count = fields.Integer("Guide years closed", readonly=True)
    presented_count = fields.Integer("Presented to the general assembly", readonly=True)
    theme_retained_count = fields.Integer("Themes retained", readonly=True)
    theme_not_retained_count = fields.Integer("Themes not retained", readonly=True)
    line_count = fields.Integer("Questions worked on", readonly=True)
    objective_met_count = fields.Integer("1-year objectives met", readonly=True)
    progress_1y = fields.Float(
        "Progress to the 1-year objectives (%)", readonly=True, aggregator="avg"
    )
    self_score = fields.Float(
        "Self-assessment score (%)",
        readonly=True,
        aggregator="avg",
        help="The overall score of the organisation's completed self-assessment of the year; "
        "organisations without one are left out of the average.",
    )
    evaluation_count = fields.Integer("Cross-evaluations completed", readonly=True)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """The pivot and the graph by year, sector and network read the
        totals of the guide years by year, sector and network
        (``ess.network.figure.total``): a few hundred rows whatever the
        number of organisations. Any other domain, grouping or measure reads
        the guide years."""
        result = self.env["ess.network.figure.total"]._read_group_figures(
            domain, groupby, aggregates, having, order, offset=offset, limit=limit
        )
        if result is not None:
            return result
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            tools.SQL(
                """
                CREATE OR REPLACE VIEW %(view)s AS (
                    SELECT g.id AS id,
                           g.id AS guide_year_id,
                           g.partner_id,
                           g.company_id,
                           g.year,
                           g.state,
                           g.organization_kind,
                           g.industry_id,
                           g.employment_area_id,
                           1 AS guide_count,
                           CASE WHEN g.state = 'closed' THEN 1 ELSE 0 END AS closed_count,
                           CASE WHEN g.general_assembly_date IS NOT NULL THEN 1 ELSE 0 END
                               AS presented_count,
                           COALESCE(g.theme_retained_count, 0) AS theme_retained_count,
                           COALESCE(g.theme_not_retained_count, 0) AS theme_not_retained_count,
                           COALESCE(g.line_retained_count, 0) AS line_count,
                           COALESCE(g.objective_met_count, 0) AS objective_met_count,
                           -- the figures stored on the guide year: averages left
                           -- out (NULL) when there is nothing to average
                           CASE WHEN g.line_retained_count > 0 THEN g.progress_1y END
                               AS progress_1y,
                           CASE WHEN g.self_assessment_count > 0 THEN g.self_score END
                               AS self_score,
                           COALESCE(g.evaluation_count, 0) AS evaluation_count
                      FROM ess_guide_year g
                )
                """,
                view=tools.SQL.identifier(self._table),
            )
        )


# The keys of the totals, and the groupings of the annual figures they give.
