from odoo import http
from odoo.tests import HttpCase, tagged


class AdhesionFormCase(HttpCase):
    """Posts the public adhesion form as an anonymous visitor would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.area = cls.env["ess.employment.area"].create({"name": "Laval (test)"})
        cls.industry = cls.env.ref("base.res_partner_industry_Q")

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)  # an anonymous visitor's session

    def _csrf(self):
        return http.Request.csrf_token(self)

    def _post(self, **values):
        data = {
            "csrf_token": self._csrf(),
            "name": "Association Les Petits Débrouillards Test",
            "kind": "association",
            "industry_id": str(self.industry.id),
            "employment_area_id": str(self.area.id),
            "size": "10_49",
            "street": "4 rue de la Paix",
            "zip": "53000",
            "city": "Laval",
            "contact_name": "Jeanne Dupont",
            "function": "Directrice",
            "email": "jeanne.dupont@debrouillards.example",
            "phone": "+33 2 43 00 00 00",
            "motivation": "Nous voulons partager nos pratiques.",
            "accept": "on",
        }
        data.update(values)
        return self.url_open("/adhesion", data={k: v for k, v in data.items() if v is not None})

    def _counts(self):
        return (
            self.env["res.partner"].search_count([]),
            self.env["ess.membership"].search_count([]),
        )

    def assertRefused(self, response, message, before):
        self.assertEqual(response.status_code, 400)
        self.assertIn(message, response.text)
        self.assertEqual(self._counts(), before)


@tagged("post_install", "-at_install")
class TestAdhesionForm(AdhesionFormCase):
    def test_form_page_is_public(self):
        response = self.url_open("/adhesion")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="employment_area_id"', response.text)
        self.assertIn("Laval (test)", response.text)

    def test_good_request_creates_organisation_contact_and_file(self):
        before = self._counts()
        response = self._post()
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertIn("Thank you", response.text)
        self.assertEqual(self._counts(), (before[0] + 2, before[1] + 1))
        membership = self.env["ess.membership"].search([], order="id desc", limit=1)
        org = membership.partner_id
        self.assertEqual(org.name, "Association Les Petits Débrouillards Test")
        self.assertTrue(org.is_company)
        self.assertEqual(org.ess_organization_kind, "association")
        self.assertEqual(org.ess_employment_area_id, self.area)
        self.assertEqual(org.industry_id, self.industry)
        self.assertEqual(org.country_id, self.env.ref("base.fr"))
        self.assertEqual(membership.contact_id.parent_id, org)
        self.assertEqual(membership.contact_id.email, "jeanne.dupont@debrouillards.example")
        self.assertEqual(membership.origin, "public_form")
        self.assertEqual(membership.state, "request")
        self.assertEqual(membership.motivation, "Nous voulons partager nos pratiques.")
        self.assertTrue(membership.activity_ids, "staff has an activity for the next step")
        self.assertEqual(org.ess_member_state, "candidate")

    def test_responsible_from_settings_receives_the_request(self):
        staff = self.env["res.users"].create(
            {
                "name": "Responsable adhésions",
                "login": "resp_adhesion",
                "groups_id": [(6, 0, [self.env.ref("ess_network.group_ess_user").id])],
            }
        )
        settings = self.env["res.config.settings"].create({"ess_request_user_id": staff.id})
        settings.execute()
        self._post()
        membership = self.env["ess.membership"].search([], order="id desc", limit=1)
        self.assertEqual(membership.user_id, staff)
        self.assertEqual(membership.activity_ids.user_id, staff)

    def test_bad_input_is_refused_and_creates_nothing(self):
        before = self._counts()
        cases = [
            ({"name": ""}, "The name of the organisation is required."),
            ({"email": "not-an-email"}, "The e-mail address is not valid."),
            ({"email": "a@b.example\nBcc: x@y.example"}, "The e-mail address is not valid."),
            ({"kind": "multinational"}, "Choose the kind of organisation in the list."),
            ({"size": "huge"}, "Choose the size of the organisation in the list."),
            ({"employment_area_id": "999999"}, "Choose the employment area in the list."),
            ({"employment_area_id": "1 OR 1=1"}, "Choose the employment area in the list."),
            ({"employment_area_id": None}, "Choose the employment area in the list."),
            ({"industry_id": "-4"}, "Choose the sector of activity in the list."),
            ({"zip": "ABCDE"}, "A French postcode has 5 digits."),
            ({"phone": "call me"}, "The phone number is not valid."),
            ({"name": "<script>alert(1)</script>"}, "contains characters that are not allowed"),
            ({"name": "x" * 300}, "is too long"),
            ({"motivation": "m" * 5000}, "is too long"),
            ({"accept": None}, "Please accept"),
            ({"company_fax": "0102030405"}, "Your request could not be accepted."),
        ]
        for values, message in cases:
            with self.subTest(values=list(values)):
                self.assertRefused(self._post(**values), message, before)

    def test_refused_form_keeps_the_values_escaped(self):
        response = self._post(email="wrong", contact_name='Jean "<b>" Dupont')
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("<b>", response.text.split("Contact person")[1].split("</form>")[0])
        self.assertIn("Association Les Petits Débrouillards Test", response.text)

    def test_area_archived_is_refused(self):
        self.area.active = False
        before = self._counts()
        self.assertRefused(self._post(), "Choose the employment area in the list.", before)

    def test_post_without_csrf_token_is_rejected(self):
        before = self._counts()
        response = self._post(csrf_token=None)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._counts(), before)

    def test_duplicate_request_is_refused(self):
        self.assertEqual(self._post().status_code, 200)
        before = self._counts()
        self.assertRefused(
            self._post(name="ASSOCIATION LES PETITS DÉBROUILLARDS TEST"),
            "already in progress",
            before,
        )

    def test_member_cannot_ask_again(self):
        org = self.env["res.partner"].create(
            {
                "name": "Scop Déjà Membre",
                "is_company": True,
                "email": "contact@deja.example",
            }
        )
        # loaded as superuser, like imported history: a member since last year
        self.env["ess.membership"].create({"partner_id": org.id, "state": "member"})
        self.assertEqual(org.ess_member_state, "member")
        before = self._counts()
        self.assertRefused(
            self._post(name="Autre nom", email="CONTACT@deja.example"), "already a member", before
        )
