from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestStaffRights(HttpCase):
    """Network staff do their whole job with the network group alone: an
    organisation that phones in is registered with its contact person, then
    its adhesion request, from the form views and over JSON-RPC. A member
    organisation's portal user still cannot create contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the network group: what it implies is what staff can do
        cls.staff = new_test_user(
            cls.env, "ess_rights_staff", groups="ess_network.group_ess_user", name="Claire Droits"
        )
        cls.area = cls.env["ess.employment.area"].create({"name": "Cholet (droits)"})
        cls.industry = cls.env.ref("base.res_partner_industry_Q")
        member = cls.env["res.partner"].create(
            {"name": "Association Déjà Membre", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env, "ess_rights_portal", groups="base.group_portal", name="Marc Portail"
        )
        cls.portal_user.partner_id.parent_id = member

    def test_staff_registers_an_organisation_from_the_forms(self):
        Partner = self.env["res.partner"].with_user(self.staff)
        with Form(Partner) as organisation:
            organisation.company_type = "company"
            organisation.name = "Ressourcerie des Mauges"
            organisation.ess_organization_kind = "association"
            organisation.industry_id = self.industry
            organisation.ess_employment_area_id = self.area
            organisation.city = "Cholet"
            organisation.phone = "02 41 00 00 00"
        organisation = organisation.record
        with Form(Partner) as contact:
            contact.name = "Lucie Bénard"
            contact.parent_id = organisation
            contact.function = "Directrice"
        contact = contact.record
        with Form(organisation) as organisation_form:
            organisation_form.email = "contact@ressourcerie-mauges.example"
        with Form(self.env["ess.membership"].with_user(self.staff)) as request:
            request.partner_id = organisation
            request.contact_id = contact
        self.assertEqual(request.record.partner_id.child_ids, contact)
        self.assertEqual(request.record.user_id, self.staff)
        self.assertEqual(organisation.ess_member_state, "candidate")

    def test_staff_registers_an_organisation_over_json_rpc(self):
        self.authenticate(self.staff.login, self.staff.login)

        def call(model, method, *args, **kwargs):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            )

        saved = call(
            "res.partner",
            "web_save",
            [],
            {
                "is_company": True,
                "name": "Épicerie Solidaire du Layon",
                "ess_organization_kind": "association",
                "ess_employment_area_id": self.area.id,
                "phone": "02 41 11 11 11",
            },
            specification={"display_name": {}},
        )
        organisation_id = saved[0]["id"]
        contact_id, _name = call(
            "res.partner",
            "name_create",
            "Yann Le Goff",
            context={"default_parent_id": organisation_id},
        )
        call("res.partner", "write", [organisation_id], {"email": "contact@epicerie.example"})
        membership_id = call("ess.membership", "create", [{"partner_id": organisation_id}])[0]
        membership = self.env["ess.membership"].browse(membership_id)
        self.assertEqual(membership.partner_id.name, "Épicerie Solidaire du Layon")
        self.assertEqual(self.env["res.partner"].browse(contact_id).parent_id.id, organisation_id)
        self.assertEqual(membership.create_uid, self.staff)

    @mute_logger("odoo.http")
    def test_portal_user_still_cannot_create_contacts(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        with self.assertRaises(JsonRpcException) as raised:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.partner/create",
                {
                    "model": "res.partner",
                    "method": "create",
                    "args": [{"name": "Organisation Pirate", "is_company": True}],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(raised.exception))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Organisation Pirate")]))
