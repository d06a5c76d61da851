from lxml import etree

from odoo.tests import tagged

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestBackendViews(EssNetworkCase):
    """What a staff member (not an administrator) reads in the back end:
    the themes report, the stakeholder map and its legend, the action
    list, the menus."""

    def _arch(self, model, view_type, view=None):
        view_id = self.env.ref(view).id if view else False
        arch = (
            self.env[model]
            .with_user(self.staff)
            .get_views([(view_id, view_type)])["views"][view_type]["arch"]
        )
        return etree.fromstring(arch)

    def test_themes_report_counts_retained_themes_in_one_colour(self):
        graph = self._arch("ess.guide.year.theme", "graph")
        self.assertEqual(
            [(f.get("name"), f.get("type")) for f in graph.iter("field")],
            [("theme_id", None), ("retained_count", "measure")],
            "one measure, one colour: no split by decision (blue, red, green)",
        )
        guide = (
            self.env["ess.guide.year"]
            .with_user(self.staff)
            .create({"partner_id": self.org.id, "year": 2025})
        )
        first, second = guide.theme_line_ids[:2]
        first.decision = "retained"
        second.write({"decision": "not_retained", "reason": "Question non traitée car…"})
        self.assertEqual((first.retained_count, first.not_retained_count), (1, 0))
        self.assertEqual((second.retained_count, second.not_retained_count), (0, 1))
        badge = self._arch("ess.guide.year.theme", "list").find(".//field[@name='decision']")
        self.assertEqual(badge.get("decoration-success"), "decision == 'retained'")
        self.assertEqual(badge.get("decoration-muted"), "decision == 'not_retained'")

    def test_stakeholder_map_has_its_legend(self):
        Stakeholder = self.env["ess.stakeholder"].with_user(self.staff)
        Stakeholder.create(
            [
                {
                    "partner_id": self.org.id,
                    "name": "Conseil départemental de Loire-Atlantique, direction de l'insertion",
                    "influence": 5,
                    "importance": 4,
                },
                {
                    "partner_id": self.org.id,
                    "name": "Salariés en insertion",
                    "scope": "internal",
                    "influence": 2,
                    "importance": 5,
                },
            ]
        )
        html = str(self.org.with_user(self.staff).ess_stakeholder_matrix)
        root = etree.fromstring(f"<div>{html}</div>")
        svg = root.find(".//{http://www.w3.org/2000/svg}svg")
        self.assertIn("Stakeholder map of Association Test Solidaire", svg.get("aria-label"))
        legend = root.find(".//ol")
        self.assertEqual(svg.get("aria-describedby"), legend.getparent().find("h3").get("id"))
        items = [" ".join("".join(li.itertext()).split()) for li in legend.iter("li")]
        self.assertEqual(len(items), 2)
        self.assertTrue(
            items[0].startswith(
                "1 Conseil départemental de Loire-Atlantique, direction de l'insertion"
            ),
            "the full name, not cut",
        )
        self.assertIn("Influence 5/5, importance 4/5", items[0])
        self.assertIn("Key players", items[0])
        self.assertIn("2 Salariés en insertion", items[1])
        form = self._arch("res.partner", "form")
        page = form.find(".//page[@name='ess_stakeholders']")
        self.assertIsNone(page.find(".//div[@class='col-lg-6']"), "map and list at full width")

    def test_action_names_read_in_full(self):
        arch = self._arch("ess.action", "list")
        fields = {f.get("name"): f for f in arch.iter("field")}
        self.assertIn("o_ess_wrap", fields["name"].get("class"))
        self.assertEqual(fields["theme_id"].get("width"), "160px")
        self.assertEqual(fields["theme_id"].get("optional"), "show")

    def test_two_checklist_menus_have_two_names(self):
        items = self.env.ref("ess_network.ess_membership_item_menu")
        templates = self.env.ref("ess_network.ess_phase_item_menu")
        self.assertNotEqual(items.name, templates.name)
        self.assertEqual(items.name, "Checklists of the members' files")
        self.assertEqual(templates.name, "Checklist templates")
        self.assertEqual(items.action.name, items.name)
        self.assertEqual(templates.action.name, templates.name)
