from odoo.tests import tagged

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestEmploymentArea(EssNetworkCase):
    def test_nearness_is_symmetric(self):
        self.assertIn(self.area_angers, self.area_nantes.neighbour_ids)
        self.assertTrue(self.area_nantes.is_near(self.area_angers))
        self.assertTrue(self.area_nantes.is_near(self.area_nantes))

    def test_removing_a_neighbour_removes_it_on_both_sides(self):
        self.area_angers.neighbour_ids = [(3, self.area_nantes.id)]
        self.assertNotIn(self.area_angers, self.area_nantes.neighbour_ids)
        self.assertFalse(self.area_nantes.is_near(self.area_angers))

    def test_an_area_is_not_its_own_neighbour(self):
        self.area_nantes.neighbour_ids = [(4, self.area_nantes.id)]
        self.assertNotIn(self.area_nantes, self.area_nantes.neighbour_ids)

    def test_partner_count(self):
        self.assertEqual(self.area_nantes.partner_count, 2)
        action = self.area_nantes.action_view_partners()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.org | self.other_org
        )
