from odoo import api, fields, models, tools

TOTAL_KEYS = ("year", "industry_id", "company_id")
# The totals stored per network, year and sector.
TOTAL_FIGURES = (
    "guide_count",
    "closed_count",
    "presented_count",
    "theme_retained_count",
    "theme_not_retained_count",
    "line_count",
    "objective_met_count",
    "progress_1y_sum",
    "progress_1y_count",
    "self_score_sum",
    "self_score_count",
    "evaluation_count",
)
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
        sources = tools.SQL(
            """
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
            """
        )
        return self._write_figures_sql(
            keys,
            sources,
            {
                "company_id": tools.SQL("NULLIF(k.company_key, 0)"),
                "industry_id": tools.SQL("NULLIF(k.industry_key, 0)"),
                **{
                    column: tools.SQL("COALESCE(%s, 0)", tools.SQL.identifier("guides", column))
                    for column in TOTAL_FIGURES
                },
            },
            tools.SQL("LEFT JOIN guides USING (company_key, year, industry_key)"),
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
