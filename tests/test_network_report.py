import io
import os
from datetime import date

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.ess_network.models.ess_network_report import (
    HIDDEN_COUNT,
    HIDDEN_FIGURE,
    pool_small_groups,
)

from .common import new_portal_user, pdf_text
from .network_report_fixture import YEAR, NetworkReportFixture


@tagged("post_install", "-at_install")
class TestNetworkReport(NetworkReportFixture, TransactionCase):
    """The figures of the network's annual report: right, anonymised below
    5 organisations, for the network's own staff only, and a fixed number
    of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def _figures(self, user=None):
        Report = self.env["ess.network.report"].with_user(user or self.staff)
        return Report._ess_figures(self.company, YEAR)

    def test_pool_small_groups(self):
        """Groups of 1 to 4 are pooled; a pool still under 5 takes the
        smallest group shown, so that no small group can be deduced from the
        total minus the rows shown."""
        self.assertEqual(pool_small_groups([("A", 6), ("B", 3)]), ([], 9))
        self.assertEqual(pool_small_groups([("A", 6), ("B", 7), ("C", 3)]), ([("B", 7)], 9))
        self.assertEqual(pool_small_groups([("A", 6), ("B", 3), ("C", 2)]), ([("A", 6)], 5))
        self.assertEqual(pool_small_groups([("A", 5), ("B", 5)]), ([("A", 5), ("B", 5)], None))
        self.assertEqual(pool_small_groups([("A", 3)]), ([], False))
        self.assertEqual(pool_small_groups([("A", 0), ("B", 8)]), ([("B", 8)], None))

    def test_figures(self):
        figures = self._figures()
        members = figures["members"]
        self.assertEqual(members["total"], 9)
        self.assertIsNone(members["new"], "3 new members: '< 5'")
        by = {b["column"]: b["by"] for b in members["breakdowns"]}
        # 6 + 3 in two sectors: the 3 pooled, and the 6 with them (a pool of
        # 3 would be the total minus the 6)
        self.assertEqual(by["Sector of activity"], ([], 9))
        self.assertEqual(by["Kind of organisation"], ([], 9))
        self.assertEqual(by["Employment area"], ([("Bassin Rapport", 9)], None))
        guides = figures["guides"]
        self.assertEqual(guides["total"], 9)
        self.assertEqual(guides["objectives"]["organisations"], 9)
        met = guides["objectives"]["achievements"][0]
        self.assertEqual(met["count"], 9)
        themes = {row["theme"]: row for row in figures["themes"]}
        theme_1 = themes[self.question_1.theme_id.display_name]
        theme_2 = themes[self.question_2.theme_id.display_name]
        self.assertEqual(theme_1["retained"], 9)
        self.assertIsNone(theme_2["not_retained"], "3 organisations: '< 5'")
        scores = {row["theme"]: row for row in figures["scores"]["themes"]}
        self.assertEqual(scores[theme_1["theme"]]["organisations"], 9)
        self.assertIsNotNone(scores[theme_1["theme"]]["average"])
        self.assertIsNone(scores[theme_2["theme"]]["average"], "3 organisations: hidden")
        self.assertIsNone(scores[theme_2["theme"]]["organisations"])
        evaluations = figures["evaluations"]
        self.assertEqual((evaluations["completed"], evaluations["evaluated"]), (6, 6))
        self.assertIsNone(evaluations["evaluators"], "3 evaluators: '< 5'")
        self.assertIsNone(figures["sponsorships"], "no sponsorship in the network")

    def test_sponsorships(self):
        """With sponsorships in the network, their figures; a cohort of
        fewer than 5 new members shows no average."""
        self.env["ess.sponsorship"].create(
            [
                {
                    "partner_id": org.id,
                    "state": "ended",
                    "request_date": f"{YEAR}-02-01",
                    "end_date": f"{YEAR}-09-01",
                }
                for org in self.big[:5]
            ]
        )
        sponsorships = self._figures()["sponsorships"]
        self.assertEqual((sponsorships["requested"], sponsorships["ended"]), (5, 5))
        cohorts = {row["cohort"]: row for row in sponsorships["cohorts"]}
        self.assertIsNone(cohorts["Not sponsored"]["members"], "3 new members: '< 5'")
        self.assertIsNone(cohorts["Not sponsored"]["days"])
        titles = [s["title"] for s in self.env["ess.network.report"]._ess_sections(self._figures())]
        self.assertIn("Sponsorships", titles)

    def test_reporting_views(self):
        """The staff's pivot and graph: the figures per guide year, and their
        views load."""
        Figure = self.env["ess.network.figure"].with_user(self.staff)
        groups = Figure._read_group(
            [("year", "=", YEAR)],
            ["industry_id"],
            [
                "guide_count:sum",
                "objective_met_count:sum",
                "theme_not_retained_count:sum",
                "self_score:avg",
                "evaluation_count:sum",
            ],
        )
        by_sector = {industry.name: values for industry, *values in groups}
        self.assertEqual(by_sector["Secteur Grand Groupe"], [6, 6, 0, 75.0, 6])
        self.assertEqual(by_sector["Secteur Minuscule"], [3, 3, 3, 75.0, 0])
        for action, model in (
            ("ess_network.ess_network_figure_action_report", "ess.network.figure"),
            ("ess_network.ess_membership_action_network_report", "ess.membership"),
        ):
            views = self.env.ref(action).views
            result = self.env[model].with_user(self.staff).get_views(views)
            self.assertEqual(set(result["views"]), {mode for _id, mode in views})
        members = (
            self.env["ess.membership"]
            .with_user(self.staff)
            ._read_group([("state", "=", "member")], ["industry_id"], ["__count"])
        )
        self.assertEqual(sorted(count for _industry, count in members), [3, 6])

    def test_no_small_group_named(self):
        """Nothing in the report's tables names an organisation, nor the
        sector or kind of fewer than 5 organisations."""
        sections = self.env["ess.network.report"]._ess_sections(self._figures())
        text = repr(sections)
        for name in ("Secteur Minuscule", "Secteur Grand Groupe", "Scop", "Asso Grande"):
            self.assertNotIn(name, text)
        self.assertIn(HIDDEN_COUNT, text)
        self.assertIn(HIDDEN_FIGURE, text)
        industry = next(s for s in sections if s["title"] == "Members by sector of activity")
        self.assertEqual(industry["rows"], [["Other (groups of fewer than 5 pooled)", 9]])

    def test_other_network_staff(self):
        """The staff of network B neither print nor read network A's
        figures; their own report counts none of A's members."""
        company_b = self.env["res.company"].create({"name": "Réseau B Rapport"})
        staff_b = new_test_user(
            self.env,
            "ess_netreport_staff_b",
            groups="base.group_user,ess_network.group_ess_user",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        with self.assertRaises(AccessError):
            self._figures(staff_b)
        wizard = (
            self.env["ess.network.report.print"]
            .with_user(staff_b)
            .create({"company_id": self.company.id, "year": YEAR})
        )
        with self.assertRaises(AccessError):
            wizard.action_print()
        own = self.env["ess.network.report"].with_user(staff_b)._ess_figures(company_b, YEAR)
        self.assertEqual(own["members"]["total"], 0)
        self.assertEqual(own["guides"]["total"], 0)
        figures = self.env["ess.network.figure"].with_user(staff_b).search([])
        self.assertFalse(figures, "the pivot view shows none of network A's guide years")

    def test_portal_user_refused(self):
        portal = new_portal_user(self.env, "ess_netreport_portal", "Paula Portail", self.big[0])
        with self.assertRaises(AccessError):
            self._figures(portal)
        with self.assertRaises(AccessError):
            self.env["ess.network.report.print"].with_user(portal).create({"year": YEAR})
        with self.assertRaises(AccessError):
            self.env["ess.network.figure"].with_user(portal).search([])

    def _figure_groups(self, domain, groupby, lines=False):
        """The annual figures' groups as the pivot reads them: from the
        totals by year, sector and network, or (``lines``) from the guide
        years (a having the totals do not answer)."""
        aggregates = [
            "__count",
            "guide_count:sum",
            "closed_count:sum",
            "presented_count:sum",
            "theme_retained_count:sum",
            "theme_not_retained_count:sum",
            "line_count:sum",
            "objective_met_count:sum",
            "progress_1y:avg",
            "self_score:avg",
            "evaluation_count:sum",
        ]
        Figure = self.env["ess.network.figure"].with_user(self.staff)
        having = [("__count", ">", 0)] if lines else ()
        groups = Figure._read_group(
            domain, groupby, aggregates, having=having, order=",".join(groupby) or None
        )
        return [
            tuple(round(v, 6) if isinstance(v, float) else v for v in group) for group in groups
        ]

    def test_totals_give_the_figures_of_the_guide_years(self):
        """The pivot by year, sector and network reads the stored totals:
        the same groups and numbers as the guide years, kept up to date by
        the guide years' writes."""

        def check():
            for domain, groupby in [
                ([], ["industry_id"]),
                ([], ["industry_id", "year"]),
                ([("year", "=", YEAR)], ["year", "company_id"]),
                ([("year", "=", 1900)], ["industry_id"]),
            ]:
                with self.subTest(domain=domain, groupby=groupby):
                    self.assertEqual(
                        self._figure_groups(domain, groupby),
                        self._figure_groups(domain, groupby, lines=True),
                    )

        check()
        guides = self.env["ess.guide.year"].search([("partner_id", "in", self.big.ids)])
        self.assertTrue(guides)
        guides[:2].write({"general_assembly_date": date(YEAR, 6, 1)})
        guides[2:3].write({"state": "closed"})
        self.big[3].industry_id = self.small_sector
        guides[4:5].unlink()
        check()
        by_sector = {group[0]: group[1] for group in self._figure_groups([], ["industry_id"])}
        self.assertEqual(by_sector[self.small_sector], len(self.small) + 1)
        # one query for the totals when nothing was written
        Figure = self.env["ess.network.figure"].with_user(self.staff)
        Figure._read_group([], ["industry_id"], ["__count"])
        with self.assertQueryCount(2):  # the noted keys, the totals
            Figure._read_group([], ["industry_id", "year"], ["__count", "self_score:avg"])

    def test_query_count_does_not_grow(self):
        """The report runs the same number of queries for 9 organisations as
        for 33 (grouped queries only)."""
        self._figures()  # warm up
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._figures()
        count = self.env.cr.sql_log_count - before
        more = self._members(
            24, self.big_sector, "association", "Asso Extra", self.big[0].ess_member_since
        )
        self._guides(more, not_retained=more[:4])
        self._figures()
        self.env.invalidate_all()
        with self.assertQueryCount(count):
            figures = self._figures()
        self.assertEqual(figures["members"]["total"], 33)

    def test_print_wizard(self):
        wizard = (
            self.env["ess.network.report.print"]
            .with_user(self.staff)
            .create({"year": YEAR, "output": "xlsx"})
        )
        self.assertEqual(
            wizard._ess_report_filename(), f"Network annual report {YEAR} - {self.company.name}"
        )
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "ess_network.network_report_xlsx")
        wizard.output = "pdf"
        self.assertEqual(wizard.action_print()["report_name"], "ess_network.report_network_annual")

    def test_xlsx(self):
        wizard = self.env["ess.network.report.print"].with_user(self.staff).create({"year": YEAR})
        report = (
            self.env["report.ess_network.network_report_xlsx"]
            .with_user(self.staff)
            .with_context(active_model=wizard._name)
        )
        content, kind = report.create_xlsx_report(wizard.ids, {})
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [
            [cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)
        ]
        self.assertIn(["Members at the end of the year", 9], rows)
        self.assertIn(["New members of the year", HIDDEN_COUNT], rows)
        self.assertIn(["Other (groups of fewer than 5 pooled)", 9], rows)
        text = repr(rows)
        for name in ("Secteur Minuscule", "Scop Petite", "Asso Grande"):
            self.assertNotIn(name, text)


@tagged("post_install", "-at_install")
class TestNetworkReportPdf(NetworkReportFixture, HttpCase):
    """The annual report rendered to a real PDF by wkhtmltopdf (an HttpCase:
    it fetches the assets from the test server), read back with pdftotext;
    a portal user cannot run it over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_network()

    def test_pdf(self):
        wizard = self.env["ess.network.report.print"].with_user(self.staff).create({"year": YEAR})
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("ess_network.report_network_annual", wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        shots = os.environ.get("ESS_NETREPORT_PDF")
        if shots:
            with open(shots, "wb") as file:
                file.write(pdf)
        text = pdf_text(pdf)
        pages = text.count("\f")
        # pdftotext reads "< 5" as "<5"
        text = " ".join(text.split()).replace("<5", "< 5")
        for expected in (
            f"Network annual report {YEAR}",
            "Members at the end of the year 9",
            "Members by sector of activity",
            "Other (groups of fewer than 5 pooled) 9",
            "New members of the year < 5",
            "Cross-evaluations completed in the year 6",
            self.question_1.theme_id.display_name,
        ):
            self.assertIn(expected, text)
        for name in ("Secteur Minuscule", "Secteur Grand Groupe", "Scop Petite", "Asso Grande"):
            self.assertNotIn(name, text)
        self.assertGreaterEqual(pages, 3, "a page per part")

    def test_portal_rpc_refused(self):
        portal = new_portal_user(self.env, "ess_netreport_rpc", "Pierre Portail", self.big[0])
        self.authenticate(portal.login, portal.login)
        for model, method, args in (
            ("ess.network.report.print", "create", [{"year": YEAR}]),
            ("ess.network.figure", "search_read", [[]]),
            ("ess.network.report", "_ess_figures", [self.company.id, YEAR]),
        ):
            with self.subTest(model=model, method=method):
                with self.assertRaises(Exception) as error, mute_logger("odoo.http"):
                    self.make_jsonrpc_request(
                        f"/web/dataset/call_kw/{model}/{method}",
                        {"model": model, "method": method, "args": args, "kwargs": {}},
                    )
                self.assertRegex(str(error.exception), "AccessError|private methods")
