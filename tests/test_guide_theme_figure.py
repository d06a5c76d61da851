from odoo import fields
from odoo.tests import tagged

from ..models.ess_guide_year_line import REPORT_ORDER
from ..models.ess_guide_year_theme_figure import THEME_REPORT_ORDER
from .common import EssNetworkCase

# A leaf every row holds that the figures do not answer: the same read_group
# computed by the ORM from the rows.
FROM_ROWS = ("id", "!=", 0)


@tagged("post_install", "-at_install")
class TestGuideThemeFigure(EssNetworkCase):
    """The figures of the guide's themes (ess.guide.theme.figure) give the
    reports' pivots and graphs the results the rows give, and follow every
    change of the rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.this_year = fields.Date.today().year
        cls.Line = cls.env["ess.guide.year.line"]
        cls.Theme = cls.env["ess.guide.year.theme"]
        Guide = cls.env["ess.guide.year"].with_user(cls.admin)
        cls.guides = Guide.browse()
        for index, organisation in enumerate((cls.org, cls.other_org)):
            for year in (cls.this_year - 1, cls.this_year):
                guide = Guide.create({"partner_id": organisation.id, "year": year})
                themes = guide.theme_line_ids.sorted("theme_sequence")
                themes[index:].write({"decision": "retained"})
                if index:
                    themes[:index].write({"decision": "not_retained", "reason": "Pas cette année"})
                guide.line_ids.filtered(lambda line: line.kind == "quantitative").write(
                    {"baseline": 10, "objective_1y": 20, "value": 10 + year % 10, "has_value": True}
                )
                cls.guides |= guide
        cls.env.flush_all()

    def _both(self, Model, domain, aggregates, groupby):
        """The read_group of the report as staff, from the figures and from
        the rows."""
        Model = Model.with_user(self.staff)
        figures = Model.read_group(domain, aggregates, groupby, lazy=False)
        rows = Model.read_group([*domain, FROM_ROWS], aggregates, groupby, lazy=False)
        return figures, rows

    def assertSameGroups(self, figures, rows):
        self.assertEqual(len(figures), len(rows))
        for by_figures, by_rows in zip(figures, rows, strict=True):
            self.assertEqual(by_figures.keys() - {"__domain"}, by_rows.keys() - {"__domain"})
            for key, value in by_rows.items():
                if key == "__domain":
                    continue
                if isinstance(value, float):
                    self.assertAlmostEqual(by_figures[key], value, places=6, msg=key)
                else:
                    self.assertEqual(by_figures[key], value, key)

    def _objectives(self):
        domain = [("in_scope", "=", True), ("year", ">=", self.this_year - 2)]
        for groupby in ([], ["theme_id"], ["year"], ["theme_id", "year"]):
            self.assertSameGroups(
                *self._both(self.Line, domain, ["progress_1y:avg", "progress_3y:avg"], groupby)
            )

    def _themes(self):
        for groupby in ([], ["theme_id"], ["year"], ["theme_id", "year"]):
            self.assertSameGroups(
                *self._both(
                    self.Theme, [], ["retained_count:sum", "not_retained_count:sum"], groupby
                )
            )

    def test_reports_read_the_figures(self):
        self._objectives()
        self._themes()
        # the pivot's read_group reads the figures: a few rows, one query
        # to bring the noted ones up to date, one to read them
        Line = self.Line.with_user(self.staff)
        domain = [("in_scope", "=", True), ("year", ">=", self.this_year - 2)]
        Line.read_group(domain, ["progress_1y:avg"], ["theme_id", "year"], lazy=False)
        with self.assertQueryCount(2):
            Line.read_group(domain, ["progress_1y:avg"], ["year"], lazy=False)

    def test_figures_follow_the_rows(self):
        self._objectives()
        guide = self.guides[0]
        # a theme no longer retained: its lines are no longer worked on
        guide.theme_line_ids[:1].write({"decision": "not_retained", "reason": "Plus cette année"})
        lines = guide.line_ids.filtered(lambda line: line.kind == "quantitative" and line.in_scope)
        lines[:1].write({"value": 20})
        self._objectives()
        self._themes()
        # a new guide year, then deleted (a draft) with its themes and lines
        extra = (
            self.env["ess.guide.year"]
            .with_user(self.admin)
            .create({"partner_id": self.org.id, "year": self.this_year - 2})
        )
        extra.theme_line_ids.write({"decision": "retained"})
        self._objectives()
        self._themes()
        extra.unlink()
        self._objectives()
        self._themes()

    def test_portal_reads_its_rows(self):
        """A member's read_group counts their own lines (their record rule),
        not the network's figures."""
        Line = self.Line.with_user(self.portal_user)
        groups = Line.read_group([("in_scope", "=", True)], ["progress_1y:avg"], [], lazy=False)
        own = self.Line.search_count([("in_scope", "=", True), ("partner_id", "=", self.org.id)])
        self.assertEqual(groups[0]["__count"], own)

    def test_default_orders_have_their_index(self):
        """The lists' default orders and the reports' default filters are the
        ones the indexes match: the steering table without a guide year and
        the themes report (the latest year first, the guide's order), the
        open action plans (the model's order), the action plans' pivot."""
        steering = self.env.ref("ess_network.ess_guide_year_line_view_list_steering").arch
        self.assertIn(f'default_order="{REPORT_ORDER}"', steering)
        action = self.env.ref("ess_network.ess_guide_year_line_action_steering")
        self.assertIn("'search_default_last_years': not active_id", action.context)
        themes = self.env.ref("ess_network.ess_guide_year_theme_view_list").arch
        self.assertIn(f'default_order="{THEME_REPORT_ORDER}"', themes)
        self.assertEqual(self.env["ess.action"]._order, "priority desc, date_deadline, id desc")
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        indexes = {row[0] for row in self.env.cr.fetchall()}
        self.assertLessEqual(
            {
                "ess_guide_year_line_report_order_index",
                "ess_guide_year_theme_report_order_index",
                "ess_guide_year_theme_figure_index",
                "ess_assessment_score_figure_index",
                "ess_action_open_order_index",
                "ess_action_pivot_index",
            },
            indexes,
        )
