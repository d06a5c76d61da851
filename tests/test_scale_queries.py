from odoo import fields
from odoo.tests import tagged

from ..models.ess_guide_year_line import REPORT_ORDER
from .common import EssNetworkCase

# The fields of the report's list view (ess_guide_year_line_view_list), as the
# web client asks them.
LIST_SPEC = {
    "year": {},
    "partner_id": {"fields": {"display_name": {}}},
    "theme_id": {"fields": {"display_name": {}}},
    "domain_id": {"fields": {"display_name": {}}},
    "question_id": {"fields": {"display_name": {}}},
    "kind": {},
    "in_scope": {},
    "baseline_display": {},
    "objective_1y_display": {},
    "objective_3y_display": {},
    "value_display": {},
    "progress_1y": {},
    "progress_3y": {},
}


@tagged("post_install", "-at_install")
class TestGuideReportScale(EssNetworkCase):
    """The report "Objectives of the guides" (ess_guide_year_line_action_report)
    costs as many queries with 3 times the organisations and years: its
    list's first page (80 rows, the default order and filters of the action)
    and the read_group calls of its pivot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.this_year = fields.Date.today().year
        cls.Line = cls.env["ess.guide.year.line"]
        cls.organisations = cls.env["res.partner"]

    @classmethod
    def _add_guides(cls, count, years):
        """count more organisations, each with a guide year for each of years,
        every theme retained and a value measured on each indicator."""
        Guide = cls.env["ess.guide.year"].with_user(cls.admin)
        start = len(cls.organisations)
        for index in range(start, start + count):
            organisation = cls._create_org(f"Organisation échelle {index}")
            cls.organisations |= organisation
            for year in years:
                guide = Guide.create({"partner_id": organisation.id, "year": year})
                guide.theme_line_ids.write({"decision": "retained"})
                guide.line_ids.filtered(lambda line: line.kind == "quantitative").write(
                    {"baseline": 10, "objective_1y": 20, "value": 15, "has_value": True}
                )
        cls.env.flush_all()

    def _action_domain(self):
        """The default filters of the report's action: worked on, and the
        last three years (search_default_in_scope, search_default_last_years)."""
        return [("in_scope", "=", True), ("year", ">=", self.this_year - 2)]

    def _list_first_page(self):
        return self.Line.with_user(self.staff).web_search_read(
            self._action_domain(), LIST_SPEC, limit=80, order=REPORT_ORDER
        )

    def _pivot(self):
        """The read_group calls of the pivot (theme in rows, year in columns,
        average progress): the total, each header, and the cells."""
        Line = self.Line.with_user(self.staff)
        return [
            Line.read_group(self._action_domain(), ["progress_1y:avg"], groupby, lazy=False)
            for groupby in ([], ["theme_id"], ["year"], ["theme_id", "year"])
        ]

    def _counts(self):
        """The queries of the list's first page and of the pivot, each read
        once first so that the caches of the registry (access rights, record
        rules) are warm, as on a running server, then from an empty cache."""
        self._list_first_page()
        self.env.invalidate_all()
        with self.assertQueryCount(self.LIST_QUERIES):
            page = self._list_first_page()
        self._pivot()
        self.env.invalidate_all()
        with self.assertQueryCount(self.PIVOT_QUERIES):
            groups = self._pivot()
        return page, groups

    # the page: the lines, then one query per model of their many2one names
    LIST_QUERIES = 10
    # per read_group, two queries on the figures of the guide's themes
    # (ess.guide.theme.figure: the noted ones brought up to date, then read),
    # and the names of the themes
    PIVOT_QUERIES = 9

    def test_report_counts_flat(self):
        self._add_guides(2, [self.this_year - 1, self.this_year])
        page, groups = self._counts()
        self.assertEqual(len(page["records"]), 80)
        years = [record["year"] for record in page["records"]]
        self.assertEqual(years[0], self.this_year)
        self.assertEqual(years, sorted(years, reverse=True))
        self.assertGreater(page["length"], 80)
        total = groups[0][0]["__count"]
        # three times the organisations, and years beyond the three the report shows
        self._add_guides(4, range(self.this_year - 4, self.this_year + 1))
        page, groups = self._counts()
        self.assertEqual(len(page["records"]), 80)
        self.assertGreater(groups[0][0]["__count"], 2 * total)
        self.assertEqual(
            {group["year"] for group in groups[2]},
            set(range(self.this_year - 2, self.this_year + 1)),
        )

    def test_report_action_defaults(self):
        """The action's default filters and the list's default order are the
        ones the indexes match (and the test above reads)."""
        action = self.env.ref("ess_network.ess_guide_year_line_action_report")
        self.assertIn("'search_default_last_years': 1", action.context)
        self.assertIn("'search_default_in_scope': 1", action.context)
        arch = self.env.ref("ess_network.ess_guide_year_line_view_list").arch
        self.assertIn(f'default_order="{REPORT_ORDER}"', arch)
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'ess_guide_year_line'"
        )
        indexes = {row[0] for row in self.env.cr.fetchall()}
        self.assertLessEqual(
            {"ess_guide_year_line_report_order_index", "ess_guide_year_line_report_pivot_index"},
            indexes,
        )
