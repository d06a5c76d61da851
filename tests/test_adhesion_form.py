from lxml import html as lxml_html

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import html2plaintext

from .test_french import english_words


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


@tagged("post_install", "-at_install")
class TestAdhesionFollowUp(AdhesionFormCase):
    """What follows a request: the applicant's acknowledgement, the staff
    member who receives it, and where visitors find the form."""

    ORGANISATION = "Association Les Petits Débrouillards Test"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        french = cls.env.ref("base.lang_fr")
        if not french.active:
            french.active = True
        # a French network: its contact speaks French
        cls.env.company.partner_id.lang = "fr_FR"

    def _last_membership(self):
        return self.env["ess.membership"].search([], order="id desc", limit=1)

    def test_applicant_receives_a_french_acknowledgement(self):
        staff = new_test_user(
            self.env,
            "ess_ack_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Accueil",
            email="claire.accueil@reseau.example.org",
        )
        self.env.company.ess_request_user_id = staff
        # a visitor whose browser speaks English
        response = self.url_open(
            "/adhesion",
            data={
                "csrf_token": self._csrf(),
                "name": self.ORGANISATION,
                "kind": "association",
                "industry_id": str(self.industry.id),
                "employment_area_id": str(self.area.id),
                "city": "Laval",
                "zip": "53000",
                "contact_name": "Jeanne Dupont",
                "email": "jeanne.dupont@debrouillards.example",
                "motivation": "Nous voulons partager nos pratiques.",
                "accept": "on",
            },
            headers={"Accept-Language": "en-US"},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        membership = self._last_membership()
        contact = membership.contact_id
        # the organisation and its people speak the network's language
        self.assertEqual(membership.partner_id.lang, "fr_FR")
        self.assertEqual(contact.lang, "fr_FR")
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "ess.membership"),
                ("res_id", "=", membership.id),
                ("recipient_ids", "in", contact.ids),
            ]
        )
        self.assertEqual(len(mails), 1, "one acknowledgement, to the applicant")
        self.assertEqual(contact.email, "jeanne.dupont@debrouillards.example")
        self.assertEqual(
            mails.subject, f"Nous avons bien reçu la demande d'adhésion de {self.ORGANISATION}"
        )
        self.assertIn("claire.accueil@reseau.example.org", mails.email_from)
        body = " ".join(html2plaintext(mails.body_html).split())
        for text in (
            "Bonjour Jeanne Dupont,",
            f"Merci de l'intérêt que *{self.ORGANISATION}* porte au réseau",
            membership.name,
            "Bassin d'emploi : Laval (test)",
            "Nous voulons partager nos pratiques.",
            "Et maintenant ?",
            "Claire Accueil suit votre demande",
            "en général dans les quinze jours",
            "Première rencontre d'intégration",
            "Signature de la Convention et de la Charte",
            "phase d'appropriation",
        ):
            self.assertIn(text, body)
        self.assertFalse(english_words(body), body)

    def test_request_goes_to_the_first_network_administrator(self):
        self.env.company.ess_request_user_id = False
        first = new_test_user(
            self.env,
            "ess_first_admin",
            groups="base.group_user,ess_network.group_ess_manager",
            name="Aaron Abadie",
        )
        managers = self.env.ref("ess_network.group_ess_manager").users.filtered(
            lambda u: u.id != 1 and not u.share
        )
        self.assertEqual(managers[:1], first, "the group's first member, by name")
        self.assertEqual(self._post().status_code, 200)
        membership = self._last_membership()
        public = self.env.ref("base.public_user")
        self.assertEqual(membership.user_id, first)
        self.assertNotEqual(membership.activity_ids.user_id, public)
        self.assertEqual(membership.activity_ids.user_id, first)
        # what staff are told names the organisation
        self.assertIn(self.ORGANISATION, membership.display_name)
        self.assertIn(self.ORGANISATION, membership.activity_ids.res_name)
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "ess.membership"),
                ("res_id", "=", membership.id),
                ("partner_ids", "in", first.partner_id.ids),
            ]
        )
        self.assertTrue(notices, "the network administrator is told of the request")
        for notice in notices:
            self.assertNotEqual(notice.author_id, public.partner_id)
            self.assertIn(self.ORGANISATION, html2plaintext(notice.body))

    def test_archived_responsible_is_replaced_by_an_administrator(self):
        staff = new_test_user(
            self.env, "ess_gone", groups="base.group_user,ess_network.group_ess_user"
        )
        self.env.company.ess_request_user_id = staff
        staff.active = False
        responsible = self.env["ess.membership"]._default_request_user()
        self.assertTrue(responsible)
        self.assertNotEqual(responsible, staff)
        self.assertTrue(responsible.has_group("ess_network.group_ess_manager"))
        self.assertFalse(responsible.share)

    def test_login_page_links_to_the_form(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        page = lxml_html.fromstring(response.content)
        links = page.xpath("//p[hasclass('o_ess_adhesion_link')]/a[@href='/adhesion']")
        self.assertEqual(len(links), 1)
        self.assertEqual(links[0].text_content().strip(), "Request to join")
        # outside the login form, which the account switcher may hide
        self.assertFalse(page.xpath("//form//a[@href='/adhesion']"))

    def test_portal_header_links_visitors_to_the_form(self):
        page = lxml_html.fromstring(self.url_open("/adhesion").content)
        self.assertTrue(
            page.xpath("//header//li[hasclass('o_ess_adhesion_link')]/a[@href='/adhesion']")
        )
        # not for a person logged in
        member = new_test_user(self.env, "ess_header_member", groups="base.group_portal")
        self.authenticate(member.login, member.login)
        page = lxml_html.fromstring(self.url_open("/my").content)
        self.assertFalse(page.xpath("//header//a[@href='/adhesion']"))

    def test_portal_home_invites_a_non_member_to_join(self):
        Partner = self.env["res.partner"]
        outsider_org = Partner.create({"name": "Scop Pas Encore Membre", "is_company": True})
        outsider = new_test_user(self.env, "ess_outsider", groups="base.group_portal")
        outsider.partner_id.parent_id = outsider_org
        self.authenticate(outsider.login, outsider.login)
        page = lxml_html.fromstring(self.url_open("/my").content)
        cards = page.xpath("//a[@href='/adhesion' and contains(@class, 'o_ess_adhesion_link')]")
        self.assertEqual(len(cards), 1)
        self.assertIn("Request to join", cards[0].text_content())
        self.assertNotIn("d-none", cards[0].getparent().get("class"))
        # a member is not invited
        member_org = Partner.create({"name": "Scop Déjà Membre", "is_company": True})
        self.env["ess.membership"].create({"partner_id": member_org.id, "state": "member"})
        member = new_test_user(self.env, "ess_member_home", groups="base.group_portal")
        member.partner_id.parent_id = member_org
        self.authenticate(member.login, member.login)
        page = lxml_html.fromstring(self.url_open("/my").content)
        self.assertFalse(page.xpath("//a[@href='/adhesion']"))
        # nor is the network's staff
        self.authenticate("admin", "admin")
        page = lxml_html.fromstring(self.url_open("/my").content)
        self.assertFalse(page.xpath("//a[@href='/adhesion']"))
