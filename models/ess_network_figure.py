from odoo import fields, models, tools

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
            "theme_retained_count",
        ],
        "ess.guide.year.theme": ["year_id", "decision"],
        "ess.guide.year.line": ["year_id", "in_scope", "achievement_1y", "progress_1y"],
        "ess.assessment": ["partner_id", "company_id", "year", "kind", "state", "score"],
        "ess.evaluation": ["partner_id", "company_id", "year", "state"],
        "res.partner": ["ess_organization_kind", "industry_id", "ess_employment_area_id"],
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
                           p.ess_organization_kind AS organization_kind,
                           p.industry_id,
                           p.ess_employment_area_id AS employment_area_id,
                           1 AS guide_count,
                           CASE WHEN g.state = 'closed' THEN 1 ELSE 0 END AS closed_count,
                           CASE WHEN g.general_assembly_date IS NOT NULL THEN 1 ELSE 0 END
                               AS presented_count,
                           COALESCE(g.theme_retained_count, 0) AS theme_retained_count,
                           COALESCE(t.not_retained, 0) AS theme_not_retained_count,
                           COALESCE(l.lines, 0) AS line_count,
                           COALESCE(l.met, 0) AS objective_met_count,
                           l.progress AS progress_1y,
                           a.score AS self_score,
                           COALESCE(e.completed, 0) AS evaluation_count
                      FROM ess_guide_year g
                      JOIN res_partner p ON p.id = g.partner_id
                      LEFT JOIN (
                            SELECT year_id, COUNT(*) AS not_retained
                              FROM ess_guide_year_theme
                             WHERE decision = 'not_retained'
                             GROUP BY year_id
                      ) t ON t.year_id = g.id
                      LEFT JOIN (
                            SELECT year_id,
                                   COUNT(*) AS lines,
                                   COUNT(*) FILTER (WHERE achievement_1y = 'met') AS met,
                                   AVG(progress_1y) AS progress
                              FROM ess_guide_year_line
                             WHERE in_scope
                             GROUP BY year_id
                      ) l ON l.year_id = g.id
                      LEFT JOIN (
                            SELECT partner_id, company_id, year, AVG(score) AS score
                              FROM ess_assessment
                             WHERE kind = 'self' AND state = 'done'
                             GROUP BY partner_id, company_id, year
                      ) a ON a.partner_id = g.partner_id AND a.company_id = g.company_id
                         AND a.year = g.year
                      LEFT JOIN (
                            SELECT partner_id, company_id, year, COUNT(*) AS completed
                              FROM ess_evaluation
                             WHERE state = 'completed'
                             GROUP BY partner_id, company_id, year
                      ) e ON e.partner_id = g.partner_id AND e.company_id = g.company_id
                         AND e.year = g.year
                )
                """,
                view=tools.SQL.identifier(self._table),
            )
        )
