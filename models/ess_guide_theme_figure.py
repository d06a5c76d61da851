from odoo import api, fields, models
from odoo.tools import SQL, sql

# The keys of a figure, and the fields a report may group its rows by.
KEYS = ("year", "theme_id", "company_id")


class EssGuideThemeFigure(models.Model):
    """The figures of one theme of the guide for one year in one network,
    over every organisation: how many guide years retain the theme, how
    many of their questions and indicators are worked on and their progress
    towards the objectives, how many completed self-assessments score the
    theme and their scores (sums, so that an average over several figures
    is the average of the rows).

    The reports "Themes retained", "Objectives of the guides" and
    "Self-assessment scores" read them instead of the 175,000 themes, 1.5
    million lines and 175,000 scores of a network of 5,000 organisations
    over five years (see ``_read_group_from_figures``): their pivots and
    graphs read a few dozen rows whatever the number of organisations.

    Kept up to date without slowing down the writes: a write of a counted
    row only notes its key (``ess_guide_theme_figure_change``, a plain
    insert that never waits for another transaction); the next report
    recomputes the noted figures from their rows, in one query, before
    reading them."""

    _name = "ess.guide.theme.figure"
    _inherit = "ess.stored.figure"
    _change_table = "ess_guide_theme_figure_change"
    _change_columns = ("company_id", "year", "theme_id")
    _description = "Figures of a theme of the guide, by year and network"
    _order = "year desc, theme_id"

    company_id = fields.Many2one("res.company", "Network", required=True, readonly=True)
    year = fields.Integer(required=True, readonly=True, aggregator=False)
    theme_id = fields.Many2one("ess.guide.theme", required=True, readonly=True)
    theme_count = fields.Integer("Guide years", readonly=True)
    retained_count = fields.Integer("Organisations retaining it", readonly=True)
    not_retained_count = fields.Integer("Organisations not retaining it", readonly=True)
    line_count = fields.Integer("Questions and indicators worked on", readonly=True)
    partner_count = fields.Integer("Organisations working on it", readonly=True)
    met_count = fields.Integer("1-year objectives met", readonly=True)
    partly_met_count = fields.Integer("1-year objectives partly met", readonly=True)
    not_met_count = fields.Integer("1-year objectives not met", readonly=True)
    progress_1y_sum = fields.Float("Progress to the 1-year objectives (sum)", readonly=True)
    progress_3y_sum = fields.Float("Progress to the 3-year objectives (sum)", readonly=True)
    score_count = fields.Integer("Self-assessments completed", readonly=True)
    score_sum = fields.Float("Self-assessment scores (sum)", readonly=True)

    _sql_constraints = [
        (
            "key_unique",
            "unique(company_id, year, theme_id)",
            "One figure per network, year and theme.",
        ),
    ]

    def _init_figure_indexes(self):
        cr = self.env.cr
        # the recomputation of a figure reads its rows from these indexes
        # alone: the themes with their decision, the completed
        # self-assessments' theme scores (the lines have theirs:
        # ess_guide_year_line_report_pivot_index)
        sql.create_index(
            cr,
            "ess_guide_year_theme_figure_index",
            "ess_guide_year_theme",
            ["year", "theme_id", "company_id", "decision"],
        )
        sql.create_index(
            cr,
            "ess_assessment_score_figure_index",
            "ess_assessment_score",
            ["year", "theme_id", "company_id", "score"],
            where="scope = 'theme' AND kind = 'self' AND state = 'done'",
        )

    # ------------------------------------------------------------ up to date
    @api.model
    def _note_changes(self, table, ids):
        """Note the keys (network, year, theme) of the rows ``ids`` of
        ``table``, as stored in the database: their figures are recomputed
        before the next report. A key noted already is not noted again (but
        for a concurrent transaction's note, which the next report reads
        alike): the table holds at most the keys of the network."""
        if not ids:
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO ess_guide_theme_figure_change (company_id, year, theme_id)
                SELECT DISTINCT company_id, year, theme_id FROM %s row
                 WHERE id IN %s AND company_id IS NOT NULL AND year IS NOT NULL
                   AND theme_id IS NOT NULL
                   AND NOT EXISTS (
                       SELECT 1 FROM ess_guide_theme_figure_change noted
                        WHERE (noted.company_id, noted.year, noted.theme_id)
                            = (row.company_id, row.year, row.theme_id))
                """,
                SQL.identifier(table),
                tuple(ids),
            )
        )

    @api.model
    def _note_children(self, model, parent_field, parent_ids):
        """Note the keys of the rows of ``model`` whose ``parent_field`` is
        in ``parent_ids``: the database deletes them with their parent
        (ondelete cascade), not their ``unlink``."""
        children = self.env[model].sudo().search([(parent_field, "in", parent_ids)])
        children.flush_recordset()
        self._note_changes(children._table, children.ids)

    @api.model
    def _read_figures(self, domain, groupby, aggregates):
        """``_read_group`` of the figures as they are now: the changes of
        their rows written and noted, the figures noted recomputed."""
        for model in ("ess.guide.year.theme", "ess.guide.year.line", "ess.assessment.score"):
            self.env[model].flush_model()
        self._refresh()
        return self._read_group(domain, groupby, aggregates)

    @api.model
    def _refresh_all(self):
        """Recompute every figure from its rows (installation, upgrade, the
        scale database's SQL steps)."""
        self.env.cr.execute("DELETE FROM ess_guide_theme_figure_change")
        self.env.cr.execute(
            self._refresh_sql(
                SQL(
                    """
                    keys AS MATERIALIZED (
                        SELECT company_id, year, theme_id FROM ess_guide_year_theme
                         WHERE company_id IS NOT NULL AND year IS NOT NULL
                         UNION
                        SELECT company_id, year, theme_id FROM ess_guide_year_line
                         WHERE in_scope AND company_id IS NOT NULL AND year IS NOT NULL
                           AND theme_id IS NOT NULL
                         UNION
                        SELECT company_id, year, theme_id FROM ess_assessment_score
                         WHERE scope = 'theme' AND kind = 'self' AND state = 'done'
                           AND company_id IS NOT NULL AND year IS NOT NULL
                           AND theme_id IS NOT NULL
                    )
                    """
                )
            )
        )

    def _refresh_sql(self, keys):
        """The figures of the keys (network, year, theme) of the common
        table ``keys`` that ``keys`` defines, computed from their rows,
        written over the ones stored."""
        sources = SQL(
            """
            themes AS (
                SELECT t.company_id, t.year, t.theme_id,
                       COUNT(*) AS theme_count,
                       COUNT(*) FILTER (WHERE t.decision = 'retained') AS retained_count,
                       COUNT(*) FILTER (WHERE t.decision = 'not_retained') AS not_retained_count
                  FROM ess_guide_year_theme t
                  JOIN keys k
                    ON (k.company_id, k.year, k.theme_id) = (t.company_id, t.year, t.theme_id)
                 GROUP BY t.company_id, t.year, t.theme_id
            ),
            lines AS (
                SELECT l.company_id, l.year, l.theme_id,
                       COUNT(*) AS line_count,
                       COUNT(DISTINCT l.partner_id) AS partner_count,
                       COUNT(*) FILTER (WHERE l.achievement_1y = 'met') AS met_count,
                       COUNT(*) FILTER (WHERE l.achievement_1y = 'partly_met')
                           AS partly_met_count,
                       COUNT(*) FILTER (WHERE l.achievement_1y = 'not_met') AS not_met_count,
                       SUM(l.progress_1y) AS progress_1y_sum,
                       SUM(l.progress_3y) AS progress_3y_sum
                  FROM ess_guide_year_line l
                  JOIN keys k
                    ON (k.company_id, k.year, k.theme_id) = (l.company_id, l.year, l.theme_id)
                 WHERE l.in_scope
                 GROUP BY l.company_id, l.year, l.theme_id
            ),
            scores AS (
                SELECT s.company_id, s.year, s.theme_id,
                       COUNT(*) AS score_count, SUM(s.score) AS score_sum
                  FROM ess_assessment_score s
                  JOIN keys k
                    ON (k.company_id, k.year, k.theme_id) = (s.company_id, s.year, s.theme_id)
                 WHERE s.scope = 'theme' AND s.kind = 'self' AND s.state = 'done'
                 GROUP BY s.company_id, s.year, s.theme_id
            )
            """
        )
        figures = {
            "themes": ("theme_count", "retained_count", "not_retained_count"),
            "lines": (
                "line_count",
                "partner_count",
                "met_count",
                "partly_met_count",
                "not_met_count",
                "progress_1y_sum",
                "progress_3y_sum",
            ),
            "scores": ("score_count", "score_sum"),
        }
        return self._write_figures_sql(
            keys,
            sources,
            {
                column: SQL("COALESCE(%s, 0)", SQL.identifier(source, column))
                for source, columns in figures.items()
                for column in columns
            },
            SQL(
                """
                LEFT JOIN themes USING (company_id, year, theme_id)
                LEFT JOIN lines USING (company_id, year, theme_id)
                LEFT JOIN scores USING (company_id, year, theme_id)
                """
            ),
        )

    # -------------------------------------------------------------- reports
    @api.model
    def _read_group_from_figures(self, Model, domain, groupby, aggregates, having, order, **kw):
        """The result of ``Model._read_group(domain, groupby, aggregates,
        having, order=order, **kw)`` computed from the figures, or None when
        they cannot give it exactly.

        ``Model`` (the themes or lines of guide years, the assessment
        scores) says by ``_figure_aggregates`` which of its aggregates the
        figures hold (the sum of a figure, or the ratio of two sums for an
        average) and by ``_figure_scope`` the conditions of the rows they
        count. The figures answer a domain of those conditions and of
        conditions on the keys (year, theme, network), grouped by the keys,
        as an internal user reads them: the multi-company rule of the
        figures is the one of the rows; a portal user has rules of their
        own, the rows answer."""
        figure_domain = self._stored_domain(
            domain,
            groupby,
            aggregates,
            having,
            order,
            KEYS,
            Model._figure_aggregates(),
            scope=Model._figure_scope(),
        )
        if figure_domain is None:
            return None
        # the rows as the ORM holds them: their changes noted, then counted
        Model.flush_model()
        self._refresh()
        return self._read_group_sums(
            figure_domain, groupby, aggregates, Model._figure_aggregates(), order=order, **kw
        )


class EssGuideThemeFigureSource(models.AbstractModel):
    """The rows the figures of the guide's themes count (themes and lines
    of guide years, assessment scores): their writes note the keys of the
    figures to recompute, and their ``_read_group`` reads the figures when
    they give the same result."""

    _name = "ess.guide.theme.figure.source"
    _description = "Rows counted by the figures of the guide's themes"

    # the stored fields that change a figure: its keys and what it counts
    _figure_keys = ("company_id", "year", "theme_id")
    _figure_fields = ()

    @api.model
    def _figure_aggregates(self):
        """``{aggregate of _read_group: figure fields}``: one field, its sum;
        two fields, the ratio of their sums (an average); ``__count``, the
        number of rows counted."""
        return {}

    @api.model
    def _figure_scope(self):
        """The conditions ``(field, value)`` of the rows the figures count,
        which a domain must hold (as ``(field, "=", value)``)."""
        return []

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        result = self.env["ess.guide.theme.figure"]._read_group_from_figures(
            self, domain, groupby, aggregates, having, order, offset=offset, limit=limit
        )
        if result is not None:
            return result
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    def _note_figure_changes(self):
        self.env["ess.guide.theme.figure"]._note_changes(self._table, self.ids)

    @api.model
    def _create(self, data_list):
        records = super()._create(data_list)
        records._note_figure_changes()
        return records

    def _write_multi(self, vals_list):  # pylint: disable=missing-return
        # the flush writes the stored fields here, the computed ones included
        names = {name for vals in vals_list for name in vals}
        if not names & {*self._figure_keys, *self._figure_fields}:
            super()._write_multi(vals_list)
            return
        # the figures of the keys before and after the write
        self._note_figure_changes()
        super()._write_multi(vals_list)
        if names & set(self._figure_keys):
            self._note_figure_changes()

    def unlink(self):
        self.flush_recordset(list(self._figure_keys))
        self._note_figure_changes()
        return super().unlink()
