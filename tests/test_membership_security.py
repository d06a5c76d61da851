from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestMembershipSecurity(EssNetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Membership = cls.env["ess.membership"]
        cls.membership = Membership.create({"partner_id": cls.org.id})
        cls.other_membership = Membership.create({"partner_id": cls.other_org.id})

    def test_network_user_follows_files_but_cannot_delete_or_configure(self):
        Membership = self.env["ess.membership"].with_user(self.staff)
        self.assertEqual(
            Membership.search([("id", "in", (self.membership | self.other_membership).ids)]),
            self.membership | self.other_membership,
        )
        self.membership.with_user(self.staff).motivation = "Mise à jour"
        with self.assertRaises(AccessError):
            self.membership.with_user(self.staff).unlink()
        with self.assertRaises(AccessError):
            self.env["ess.phase.item"].with_user(self.staff).create(
                {"name": "Nouvel objectif", "phase": "appropriation"}
            )
        with self.assertRaises(AccessError):
            self.area_nantes.with_user(self.staff).name = "Renamed"
        with self.assertRaises(AccessError):
            self.env["res.partner.industry"].with_user(self.staff).create({"name": "ESS"})

    def test_pole_manager_is_a_network_user(self):
        self.assertTrue(self.pole_manager.has_group("ess_network.group_ess_user"))
        self.membership.with_user(self.pole_manager).read(["state"])

    def test_administrator_configures_the_network(self):
        self.assertTrue(self.admin.has_group("ess_network.group_ess_sponsorship_manager"))
        item = (
            self.env["ess.phase.item"]
            .with_user(self.admin)
            .create({"name": "Visite d'un membre", "phase": "appropriation"})
        )
        item.active = False
        self.area_nantes.with_user(self.admin).name = "Nantes Métropole"
        self.env["res.partner.industry"].with_user(self.admin).create({"name": "Insertion"})

    def test_withdraw_button_is_for_administrators(self):
        view = self.env.ref("ess_network.ess_membership_view_form")
        self.assertIn('name="action_open_withdraw"', view.arch)
        arch = self.env["ess.membership"].with_user(self.staff).get_views([(view.id, "form")])
        self.assertNotIn("action_open_withdraw", arch["views"]["form"]["arch"])
        arch = self.env["ess.membership"].with_user(self.admin).get_views([(view.id, "form")])
        self.assertIn("action_open_withdraw", arch["views"]["form"]["arch"])

    def test_plain_employee_sees_no_membership(self):
        with self.assertRaises(AccessError):
            self.env["ess.membership"].with_user(self.internal).search([])

    def test_portal_user_sees_only_its_organisation(self):
        Membership = self.env["ess.membership"].with_user(self.portal_user)
        self.assertEqual(Membership.search([]), self.membership)
        self.assertEqual(
            self.env["ess.membership.item"].with_user(self.portal_user).search([]),
            self.membership.item_ids,
        )
        with self.assertRaises(AccessError):
            self.other_membership.with_user(self.portal_user).read(["state"])
        with self.assertRaises(AccessError):
            self.other_membership.item_ids[:1].with_user(self.portal_user).read(["name"])

    def test_portal_user_cannot_change_its_file(self):
        with self.assertRaises(AccessError):
            self.membership.with_user(self.portal_user).write({"state": "presentation"})
        with self.assertRaises(AccessError):
            self.membership.item_ids[:1].with_user(self.portal_user).write({"done": True})
        with self.assertRaises(AccessError):
            self.env["ess.membership"].with_user(self.portal_user).create(
                {"partner_id": self.portal_user.partner_id.commercial_partner_id.id}
            )
        self.assertEqual(self.membership.state, "request")
