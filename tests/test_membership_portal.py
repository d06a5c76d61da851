from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException


@tagged("post_install", "-at_install")
class TestMembershipPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.org = Partner.create({"name": "Scop Portail Test", "is_company": True})
        cls.other_org = Partner.create({"name": "Mutuelle Voisine Secrète", "is_company": True})
        cls.membership = cls.env["ess.membership"].create({"partner_id": cls.org.id})
        cls.other_membership = cls.env["ess.membership"].create({"partner_id": cls.other_org.id})
        cls.portal_user = new_test_user(
            cls.env,
            "portal_scop",
            password="portal_scop_pw",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.org
        cls.lonely_user = new_test_user(
            cls.env,
            "portal_lonely",
            password="portal_lonely_pw",
            groups="base.group_portal",
        )

    def test_member_sees_its_membership(self):
        self.authenticate("portal_scop", "portal_scop_pw")
        response = self.url_open("/my/membership")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"/my/membership/{self.membership.id}"))
        self.assertIn("Scop Portail Test", response.text)
        self.assertIn(self.membership.name, response.text)
        self.assertIn("Present the approach and the tools", response.text)
        self.assertNotIn("Mutuelle Voisine Secrète", response.text)

    def test_member_cannot_open_another_membership(self):
        self.authenticate("portal_scop", "portal_scop_pw")
        response = self.url_open(f"/my/membership/{self.other_membership.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Mutuelle Voisine Secrète", response.text)
        response = self.url_open("/my/membership/99999999")
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_member_cannot_read_another_membership_by_rpc(self):
        self.authenticate("portal_scop", "portal_scop_pw")
        response = self.make_jsonrpc_request(
            "/web/dataset/call_kw/ess.membership/search_read",
            {
                "model": "ess.membership",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["name", "partner_id"]},
            },
        )
        self.assertEqual([r["id"] for r in response], [self.membership.id])
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/ess.membership/read",
                {
                    "model": "ess.membership",
                    "method": "read",
                    "args": [[self.other_membership.id], ["partner_id"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(error.exception))

    def test_portal_home_counts_the_file(self):
        self.authenticate("portal_scop", "portal_scop_pw")
        response = self.make_jsonrpc_request("/my/counters", {"counters": ["ess_membership_count"]})
        self.assertEqual(response["ess_membership_count"], 1)
        self.authenticate("portal_lonely", "portal_lonely_pw")
        response = self.make_jsonrpc_request("/my/counters", {"counters": ["ess_membership_count"]})
        self.assertEqual(response["ess_membership_count"], 0)

    def test_user_without_organisation_file(self):
        self.authenticate("portal_lonely", "portal_lonely_pw")
        response = self.url_open("/my/membership")
        self.assertEqual(response.status_code, 200)
        self.assertIn("no membership file yet", response.text)

    def test_anonymous_is_sent_to_login(self):
        response = self.url_open(f"/my/membership/{self.membership.id}")
        self.assertIn("/web/login", response.url)
