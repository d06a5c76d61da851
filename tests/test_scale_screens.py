"""The screens of the add-on cost as many queries on a network of a few
organisations as on one with more organisations and more years: every
back-end list, pivot and graph as the web client opens it, and every portal
page of a member (``tools/screens.py``), on networks built by
``tools/scale.py``. A count that grows with the network is a query per row
(or per group, per year) somewhere: an N+1 to fix, not a number to update.
"""

import re
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.ess_network.tools import scale, screens

# The network first built, then what is added to it: more organisations,
# each with more years (the years end with this year, the default filters'
# "last three years" see them). Small enough for a quick test, large enough
# for a query per row or per year to show; no list crosses its page of 80
# rows between the two sizes (the web client's count of the records beyond
# is one more query, on purpose).
ORGS, YEARS = 12, 2
MORE_ORGS, MORE_YEARS = 18, 4


def _grow(env):
    """Add MORE_ORGS organisations × MORE_YEARS years to the network of ORGS."""
    return scale.populate(env, MORE_ORGS, MORE_YEARS, first_number=ORGS + 1)


@tagged("post_install", "-at_install")
class TestScaleScreens(TransactionCase):
    """Each back-end list, pivot and graph of the add-on's window actions,
    opened by a network administrator, and Odoo's contact list beside them:
    the same number of queries after the network has grown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.net = scale.populate(cls.env, ORGS, YEARS)
        cls.staff = cls.env["res.users"].search([("login", "=", scale.STAFF_LOGIN)])
        cls.staff_env = cls.env(user=cls.staff)

    def _count(self, screen):
        """The queries of ``screen`` from an empty record cache, after one
        run that warms the caches of the registry (access rights, record
        rules, views), as on a running server; and its results."""
        screens.run(self.staff_env, screen)
        self.env.invalidate_all()
        self.env.flush_all()
        # no random clean-up on the way, as in assertQueryCount
        with patch("random.random", lambda: 1):
            start = self.cr.sql_log_count
            results = screens.run(self.staff_env, screen)
            return self.cr.sql_log_count - start, results

    def _check_shape(self, screen, results):
        """What each call returns is what the web client reads."""
        self.assertEqual(len(results), len(screen.calls))
        for call, result in zip(screen.calls, results, strict=True):
            if call.method == "web_search_read":
                self.assertIn("records", result)
                self.assertIn("length", result)
                self.assertLessEqual(len(result["records"]), screens.LIST_LIMIT)
            elif call.method == "web_read_group":
                self.assertIn("groups", result)
            elif call.method == "read_progress_bar":
                self.assertIsInstance(result, dict)
            else:
                self.assertEqual(call.method, "read_group")
                self.assertIsInstance(result, list)

    def test_staff(self):
        """The screens are opened by a network administrator, not by the
        superuser (whose record rules and access rights are not checked)."""
        self.assertTrue(self.staff.has_group("ess_network.group_ess_manager"))
        self.assertTrue(self.staff.has_group("base.group_user"))
        self.assertFalse(self.staff._is_superuser() or self.staff._is_admin())

    def test_screens_flat(self):
        all_screens = screens.backend_screens(self.staff_env)
        anchors = [
            screens.anchor_screen(self.staff_env),
            screens.anchor_screen(self.staff_env, "kanban"),
            screens.anchor_screen(self.staff_env, "kanban", groupby="industry_id"),
        ]
        keys = {(screen.name, screen.view_type) for screen in all_screens}
        self.assertEqual(len(keys), len(all_screens), "one screen per action and view type")
        # the reports named by the issue, and every list, pivot and graph of
        # the add-on's menus the administrator sees
        for view_type in ("list", "pivot", "graph"):
            self.assertIn(("ess_network.ess_guide_year_line_action_report", view_type), keys)
        self.assertIn(("ess_network.ess_network_figure_action_report", "pivot"), keys)
        menus = self.env["ir.ui.menu"].with_user(self.staff).search([])
        for menu in menus.filtered("action"):
            action = menu.action.sudo()
            if action._name != "ir.actions.act_window":
                continue
            xmlid = action.get_external_id()[action.id]
            if not xmlid.startswith(f"{screens.MODULE}.") or action.target in ("new", "inline"):
                continue
            if self.env[action.res_model]._transient:
                continue
            for view_type in set(action.view_mode.split(",")) & {
                "list",
                "kanban",
                "pivot",
                "graph",
            }:
                self.assertIn((xmlid, view_type), keys, menu.complete_name)

        small, small_results = {}, {}
        for screen in [*all_screens, *anchors]:
            key = (screen.name, screen.view_type)
            small[key], small_results[key] = self._count(screen)
            self._check_shape(screen, small_results[key])

        grown = _grow(self.env)
        organisations = self.env["res.partner"].browse(self.net.org_ids + grown.org_ids)
        self.assertEqual(len(set(organisations.mapped("name"))), ORGS + MORE_ORGS)
        for screen in [*all_screens, *anchors]:
            key = (screen.name, screen.view_type)
            with self.subTest(screen=screen.name, view=screen.view_type):
                screens.run(self.staff_env, screen)
                self.env.invalidate_all()
                with self.assertQueryCount(small[key]):
                    results = screens.run(self.staff_env, screen)
                self._check_shape(screen, results)

        # the grown network is seen: the objectives report's first page is
        # full, its pivot counts more lines, the network figures more members
        by_key = {(screen.name, screen.view_type): screen for screen in all_screens}
        report = "ess_network.ess_guide_year_line_action_report"
        page = screens.run(self.staff_env, by_key[report, "list"])[0]
        self.assertEqual(len(page["records"]), screens.LIST_LIMIT)
        for key in ((report, "pivot"), ("ess_network.ess_network_figure_action_report", "pivot")):
            total = screens.run(self.staff_env, by_key[key])[0][0]["__count"]
            self.assertGreater(total, small_results[key][0][0]["__count"], key)

    def test_network_report_flat(self):
        """The network's annual report (its figures, then its XLSX) costs
        as many queries with 2.5 times the organisations and 3 times the
        years, and its figures follow the network."""
        year = max(self.net.first, self.net.last - 1)
        company = self.env.company
        Report = self.env["ess.network.report"].with_user(self.staff)
        xlsx = self.env["report.ess_network.network_report_xlsx"].with_user(self.staff)
        wizard = (
            self.env["ess.network.report.print"]
            .with_user(self.staff)
            .create({"company_id": company.id, "year": year})
        )

        def count(func):
            func()
            self.env.invalidate_all()
            self.env.flush_all()
            with patch("random.random", lambda: 1):
                start = self.cr.sql_log_count
                result = func()
                return self.cr.sql_log_count - start, result

        def export():
            return xlsx.with_context(active_model=wizard._name).create_xlsx_report(wizard.ids, {})

        small, figures = count(lambda: Report._ess_figures(company, year))
        small_xlsx, _content = count(export)
        _grow(self.env)
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            grown = Report._ess_figures(company, year)
        self.assertGreater(grown["members"]["total"], figures["members"]["total"])
        self.assertGreater(
            grown["guides"]["objectives"]["lines"] or 0,
            figures["guides"]["objectives"]["lines"] or 0,
        )
        export()
        self.env.invalidate_all()
        with self.assertQueryCount(small_xlsx):
            export()


@tagged("post_install", "-at_install")
class TestScalePortal(HttpCase):
    """Each portal page of a member, and Odoo's own ``/my/account`` beside
    them: the same number of queries after the network, and the member's
    own history, have grown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.net = scale.populate(cls.env, ORGS, YEARS)
        cls.member = cls.env["res.users"].search([("login", "=", scale.MEMBER_LOGIN)])
        cls.organisation = cls.member.partner_id.commercial_partner_id
        # an action to carry out in the latest year: the list of actions (to
        # carry out, by default) shows one at both sizes
        guides = cls.env["ess.guide.year"].search([("partner_id", "=", cls.organisation.id)])
        # the latest year under way, whatever the generator made of it (the
        # ids of the run): the form of a new action offers its themes and
        # questions at both sizes, not none at first
        guides.sorted("year")[-1].state = "in_progress"
        cls.env["ess.action"].with_context(**scale.QUIET).create(
            {
                "name": "Action to carry out",
                "partner_id": cls.organisation.id,
                "guide_year_id": guides.sorted("year")[-1].id,
            }
        )

    @classmethod
    def _add_member_years(cls, count):
        """``count`` more years of the member's own, before its first:
        guide years (with their themes and question lines), an action to
        carry out and a self-assessment each."""
        env = cls.env(context=dict(cls.env.context, **scale.QUIET))
        guides = env["ess.guide.year"].search([("partner_id", "=", cls.organisation.id)])
        first = min(guides.mapped("year"))
        for year in range(first - count, first):
            guide = env["ess.guide.year"].create({"partner_id": cls.organisation.id, "year": year})
            guide.theme_line_ids.write({"decision": "retained"})
            env["ess.action"].create(
                {
                    "name": f"Action of {year}",
                    "partner_id": cls.organisation.id,
                    "guide_year_id": guide.id,
                }
            )
            env["ess.assessment"].create({"partner_id": cls.organisation.id, "year": year})
        env.flush_all()

    def _open(self, path):
        """Open the page ``path`` as the member's browser does, following
        its redirection if it has one (``/my/membership`` opens the
        member's only file): a page of the portal, not the login's."""
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertTrue(urlsplit(response.url).path.startswith("/my"), response.url)
        return response

    def _count(self, path):
        """The queries of the page ``path``, after one request that warms
        the server's caches."""
        self._open(path)
        # no random clean-up on the way, as in assertQueryCount
        with patch("random.random", lambda: 1):
            start = self.cr.sql_log_count
            self._open(path)
            return self.cr.sql_log_count - start

    def _count_counters(self, counters):
        """The queries of the home page's counters (``/my/counters``, which
        its script asks once the page is shown), after one call."""
        self.make_jsonrpc_request("/my/counters", {"counters": counters})
        with patch("random.random", lambda: 1):
            start = self.cr.sql_log_count
            values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
            return self.cr.sql_log_count - start, values

    def test_pages_flat(self):
        self.assertTrue(self.member, "the scale network has its member login")
        self.authenticate(scale.MEMBER_LOGIN, scale.MEMBER_LOGIN)
        member_env = self.env(user=self.member)
        paths = screens.portal_pages(member_env)
        # the member's records are in their pages (the richest member's)
        for page in ("/my/membership/", "/my/guide/", "/my/actions/", "/my/assessments/"):
            self.assertTrue(any(path.startswith(page) for path in paths), page)
        # the member's latest year, whose page shows the year before: the
        # years added below are older ones
        guides = member_env["ess.guide.year"].search([])
        self.assertIn(f"/my/guide/{guides.sorted('id')[-1].id}", paths)
        self.assertEqual(guides.sorted("id")[-1].year, max(guides.mapped("year")))
        paths.append(screens.PORTAL_ANCHOR)
        small = {path: self._count(path) for path in paths}
        # the counters of the home page, as its script finds them in it
        home = self._open("/my/home").text
        counters = sorted(set(re.findall(r'data-placeholder_count="(\w+)"', home)))
        self.assertIn("ess_action_count", counters)
        small_counters, values = self._count_counters(counters)
        self.assertEqual(set(values), set(counters))

        _grow(self.env)
        self._add_member_years(2)
        for path in paths:
            with self.subTest(path=path):
                self._open(path)
                with self.assertQueryCount(small[path]):
                    self._open(path)
        with self.subTest(path="/my/counters"):
            self.make_jsonrpc_request("/my/counters", {"counters": counters})
            with self.assertQueryCount(small_counters):
                grown = self.make_jsonrpc_request("/my/counters", {"counters": counters})
            self.assertGreater(grown["ess_action_count"], values["ess_action_count"])
