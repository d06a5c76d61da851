from odoo import api, fields, models, tools
from odoo.tools.sql import column_exists, create_column, create_index, table_exists

from .ess_guide_year import GUIDE_STATES
from .res_partner import ORGANIZATION_KINDS

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

    organization_kind = fields.Selection(
        related="partner_id.ess_organization_kind", store=True, string="Kind of organisation"
    )
    industry_id = fields.Many2one(
        related="partner_id.industry_id", store=True, string="Sector of activity"
    )
    employment_area_id = fields.Many2one(
        related="partner_id.ess_employment_area_id", store=True, string="Employment area"
    )
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
TOTAL_KEYS = ("year", "industry_id", "company_id")
# The fields of a guide year the totals count.
TOTAL_SOURCES = (
    "company_id",
    "year",
    "industry_id",
    "state",
    "general_assembly_date",
    "theme_retained_count",
    "theme_not_retained_count",
    "line_retained_count",
    "objective_met_count",
    "progress_1y",
    "self_assessment_count",
    "self_score",
    "evaluation_count",
)


class EssNetworkFigureTotal(models.Model):
    """The annual figures of the guide years of one year, one sector of
    activity and one network, summed over their organisations: the pivot
    and the graph of the network's annual figures read them (see
    ``EssNetworkFigure._read_group``) instead of the 25,000 guide years of
    a network of 5,000 organisations over five years.

    Kept up to date as the figures of the guide's themes are
    (``ess.guide.theme.figure``): a write of a guide year's counted fields
    only notes its key (``ess_network_figure_total_change``); the next
    report recomputes the noted totals from their guide years, in one query,
    before reading them. A guide year without network or sector counts
    under the key 0 (``company_key``, ``industry_key``)."""

    _name = "ess.network.figure.total"
    _inherit = "ess.stored.figure"
    _change_table = "ess_network_figure_total_change"
    _change_columns = ("company_key", "year", "industry_key")
    _description = "Network annual figures by year, sector and network"
    _order = "year desc, industry_id"

    company_key = fields.Integer(
        "Network (0: none)", required=True, readonly=True, aggregator=False
    )
    industry_key = fields.Integer(
        "Sector of activity (0: none)", required=True, readonly=True, aggregator=False
    )
    company_id = fields.Many2one("res.company", "Network", readonly=True)
    year = fields.Integer(required=True, readonly=True, aggregator=False)
    industry_id = fields.Many2one("res.partner.industry", "Sector of activity", readonly=True)
    guide_count = fields.Integer("Guide years", readonly=True)
    closed_count = fields.Integer("Guide years closed", readonly=True)
    presented_count = fields.Integer("Presented to the general assembly", readonly=True)
    theme_retained_count = fields.Integer("Themes retained", readonly=True)
    theme_not_retained_count = fields.Integer("Themes not retained", readonly=True)
    line_count = fields.Integer("Questions worked on", readonly=True)
    objective_met_count = fields.Integer("1-year objectives met", readonly=True)
    progress_1y_sum = fields.Float("Progress to the 1-year objectives (sum)", readonly=True)
    progress_1y_count = fields.Integer("Guide years with questions worked on", readonly=True)
    self_score_sum = fields.Float("Self-assessment scores (sum)", readonly=True)
    self_score_count = fields.Integer("Guide years with a self-assessment", readonly=True)
    evaluation_count = fields.Integer("Cross-evaluations completed", readonly=True)

    _sql_constraints = [
        (
            "key_unique",
            "unique(company_key, year, industry_key)",
            "One total per network, year and sector.",
        ),
    ]

    # ------------------------------------------------------------ up to date
    @api.model
    def _note_changes(self, where):
        """Note the keys of the guide years ``where`` (SQL over ``g``, as
        stored in the database): their totals are recomputed before the
        next report. A key noted already is not noted again."""
        self.env.cr.execute(
            tools.SQL(
                """
                INSERT INTO ess_network_figure_total_change (company_key, year, industry_key)
                SELECT DISTINCT COALESCE(g.company_id, 0), g.year, COALESCE(g.industry_id, 0)
                  FROM ess_guide_year g
                 WHERE %s AND g.year IS NOT NULL
                   AND NOT EXISTS (
                       SELECT 1 FROM ess_network_figure_total_change noted
                        WHERE (noted.company_key, noted.year, noted.industry_key)
                            = (COALESCE(g.company_id, 0), g.year, COALESCE(g.industry_id, 0)))
                """,
                where,
            )
        )

    @api.model
    def _refresh_all(self):
        """Recompute every total from the guide years (installation,
        upgrade, the scale database's SQL steps)."""
        self.env.cr.execute("DELETE FROM ess_network_figure_total_change")
        self.env.cr.execute(
            self._refresh_sql(
                tools.SQL(
                    """
                    keys AS MATERIALIZED (
                        SELECT DISTINCT COALESCE(company_id, 0) AS company_key, year,
                               COALESCE(industry_id, 0) AS industry_key
                          FROM ess_guide_year
                         WHERE year IS NOT NULL
                    )
                    """
                )
            )
        )

    def _refresh_sql(self, keys):
        """The totals of the keys of the common table ``keys``, computed
        from their guide years as the view ess_network_figure gives their
        figures, written over the ones stored."""
        return tools.SQL(
            """
            WITH %(keys)s,
            guides AS (
                SELECT COALESCE(g.company_id, 0) AS company_key, g.year,
                       COALESCE(g.industry_id, 0) AS industry_key,
                       COUNT(*) AS guide_count,
                       COUNT(*) FILTER (WHERE g.state = 'closed') AS closed_count,
                       COUNT(g.general_assembly_date) AS presented_count,
                       SUM(COALESCE(g.theme_retained_count, 0)) AS theme_retained_count,
                       SUM(COALESCE(g.theme_not_retained_count, 0)) AS theme_not_retained_count,
                       SUM(COALESCE(g.line_retained_count, 0)) AS line_count,
                       SUM(COALESCE(g.objective_met_count, 0)) AS objective_met_count,
                       SUM(g.progress_1y) FILTER (WHERE g.line_retained_count > 0)
                           AS progress_1y_sum,
                       COUNT(g.progress_1y) FILTER (WHERE g.line_retained_count > 0)
                           AS progress_1y_count,
                       SUM(g.self_score) FILTER (WHERE g.self_assessment_count > 0)
                           AS self_score_sum,
                       COUNT(g.self_score) FILTER (WHERE g.self_assessment_count > 0)
                           AS self_score_count,
                       SUM(COALESCE(g.evaluation_count, 0)) AS evaluation_count
                  FROM ess_guide_year g
                  JOIN keys k
                    ON (k.company_key, k.year, k.industry_key)
                     = (COALESCE(g.company_id, 0), g.year, COALESCE(g.industry_id, 0))
                 GROUP BY 1, 2, 3
            )
            INSERT INTO ess_network_figure_total AS t (
                company_key, year, industry_key, company_id, industry_id,
                guide_count, closed_count, presented_count, theme_retained_count,
                theme_not_retained_count, line_count, objective_met_count,
                progress_1y_sum, progress_1y_count, self_score_sum, self_score_count,
                evaluation_count, create_uid, create_date, write_uid, write_date)
            SELECT k.company_key, k.year, k.industry_key,
                   NULLIF(k.company_key, 0), NULLIF(k.industry_key, 0),
                   COALESCE(guides.guide_count, 0), COALESCE(guides.closed_count, 0),
                   COALESCE(guides.presented_count, 0),
                   COALESCE(guides.theme_retained_count, 0),
                   COALESCE(guides.theme_not_retained_count, 0),
                   COALESCE(guides.line_count, 0), COALESCE(guides.objective_met_count, 0),
                   COALESCE(guides.progress_1y_sum, 0), COALESCE(guides.progress_1y_count, 0),
                   COALESCE(guides.self_score_sum, 0), COALESCE(guides.self_score_count, 0),
                   COALESCE(guides.evaluation_count, 0),
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM keys k
              LEFT JOIN guides USING (company_key, year, industry_key)
            ON CONFLICT (company_key, year, industry_key) DO UPDATE SET
                guide_count = EXCLUDED.guide_count,
                closed_count = EXCLUDED.closed_count,
                presented_count = EXCLUDED.presented_count,
                theme_retained_count = EXCLUDED.theme_retained_count,
                theme_not_retained_count = EXCLUDED.theme_not_retained_count,
                line_count = EXCLUDED.line_count,
                objective_met_count = EXCLUDED.objective_met_count,
                progress_1y_sum = EXCLUDED.progress_1y_sum,
                progress_1y_count = EXCLUDED.progress_1y_count,
                self_score_sum = EXCLUDED.self_score_sum,
                self_score_count = EXCLUDED.self_score_count,
                evaluation_count = EXCLUDED.evaluation_count,
                write_uid = EXCLUDED.write_uid,
                write_date = EXCLUDED.write_date
            """,
            keys=keys,
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )

    # -------------------------------------------------------------- reports
    @api.model
    def _total_aggregates(self):
        """``{aggregate of the annual figures: totals}``: one total, its
        sum; two, the ratio of their sums (an average)."""
        return {
            "__count": ("guide_count",),
            "guide_count:sum": ("guide_count",),
            "closed_count:sum": ("closed_count",),
            "presented_count:sum": ("presented_count",),
            "theme_retained_count:sum": ("theme_retained_count",),
            "theme_not_retained_count:sum": ("theme_not_retained_count",),
            "line_count:sum": ("line_count",),
            "objective_met_count:sum": ("objective_met_count",),
            "evaluation_count:sum": ("evaluation_count",),
            "progress_1y:avg": ("progress_1y_sum", "progress_1y_count"),
            "self_score:avg": ("self_score_sum", "self_score_count"),
        }

    @api.model
    def _read_group_figures(self, domain, groupby, aggregates, having, order, **kw):
        """The result of the annual figures' ``_read_group(domain, groupby,
        aggregates, having, order=order, **kw)`` computed from the totals,
        or None when they cannot give it exactly: a domain on the keys
        (year, sector, network), grouped by the keys, as an internal user
        reads them (the totals' multi-company rule is the figures')."""
        measures = self._total_aggregates()
        total_domain = self._stored_domain(
            domain, groupby, aggregates, having, order, TOTAL_KEYS, measures
        )
        if total_domain is None:
            return None
        # the guide years as the ORM holds them: their changes noted, then
        # counted
        self.env["ess.guide.year"].flush_model(TOTAL_SOURCES)
        self._refresh()
        # (an average of nothing as the ORM gives it)
        return self._read_group_sums(
            total_domain, groupby, aggregates, measures, empty=False, order=order, **kw
        )


class EssGuideYearTotals(models.Model):
    """The guide years counted by the totals of the annual figures: their
    writes note the keys of the totals to recompute."""

    _inherit = "ess.guide.year"

    def _note_total_changes(self):
        if self.ids:
            self.env["ess.network.figure.total"]._note_changes(
                tools.SQL("g.id IN %s", tuple(self.ids))
            )

    @api.model
    def _create(self, data_list):
        records = super()._create(data_list)
        records._note_total_changes()
        return records

    def _write_multi(self, vals_list):  # pylint: disable=missing-return
        names = {name for vals in vals_list for name in vals}
        if not names & set(TOTAL_SOURCES):
            super()._write_multi(vals_list)
            return
        # the totals of the keys before and after the write
        self._note_total_changes()
        super()._write_multi(vals_list)
        if names & set(TOTAL_KEYS):
            self._note_total_changes()

    def unlink(self):
        self.flush_recordset(["company_id", "year", "industry_id"])
        self._note_total_changes()
        return super().unlink()
