import unicodedata

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_adhesion_form import AdhesionFormCase

# Every text field of the public form: the label its messages use, its
# longest accepted length, and whether it may hold several lines.
TEXT_FIELDS = {
    "name": ("The name of the organisation", 128, False),
    "street": ("The address", 128, False),
    "zip": ("The postcode", 5, False),
    "city": ("The city", 128, False),
    "website": ("The website", 128, False),
    "contact_name": ("Your name", 128, False),
    "function": ("Your position", 128, False),
    "email": ("The e-mail address", 128, False),
    "phone": ("The phone number", 32, False),
    "motivation": ("Your motivation", 4000, True),
}
REQUIRED = ("name", "city", "contact_name", "email")
CONTROLS = ("\x00", "\x07", "\x1b[31m", "\x7f", "\x9b")
LINE_BREAKS = ("\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")
INVISIBLE_ONLY = (
    "\u200b",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u3164",
    "\u2800",
    "\u115f\u1160",
    "\u00a0 \u00a0",
    "\u202e\u00ad",
)
DUPLICATE_ANSWERS = ("already a member", "already in progress")


def with_inside(value, text):
    """``value`` with ``text`` put in its middle."""
    middle = len(value) // 2
    return value[:middle] + text + value[middle:]


@tagged("post_install", "-at_install")
class TestAdhesionInput(AdhesionFormCase):
    """Whatever an anonymous visitor types, the answer is a page that says
    what is wrong (400), never a server error, and nothing is created."""

    def _valid(self, key):
        # what _post sends, as a base for the hostile values
        return {
            "name": "Association Les Petits Débrouillards Test",
            "street": "4 rue de la Paix",
            "zip": "53000",
            "city": "Laval",
            "website": "www.debrouillards.example",
            "contact_name": "Jeanne Dupont",
            "function": "Directrice",
            "email": "jeanne.dupont@debrouillards.example",
            "phone": "+33 2 43 00 00 00",
            "motivation": "Nous voulons partager nos pratiques.",
        }[key]

    def _control_message(self, key):
        label, _limit, multiline = TEXT_FIELDS[key]
        if key == "email":
            return "The e-mail address is not valid."
        if multiline:
            return f"{label} holds control characters, which are not allowed."
        return f"{label} must be a single line, without control characters."

    def _post_refused(self, message, **values):
        before = self._counts()
        # an ERROR in the log (a server error) fails the test
        with self.assertNoLogs("odoo", "ERROR"):
            response = self._post(**values)
        self.assertRefused(response, message, before)
        return response

    def test_nul_byte_in_every_text_field_is_refused(self):
        for key in TEXT_FIELDS:
            with self.subTest(field=key):
                self._post_refused(
                    self._control_message(key), **{key: with_inside(self._valid(key), "\x00")}
                )

    def test_control_characters_in_every_text_field_are_refused(self):
        for key in TEXT_FIELDS:
            for control in CONTROLS[1:]:
                with self.subTest(field=key, control=repr(control)):
                    self._post_refused(
                        self._control_message(key),
                        **{key: with_inside(self._valid(key), control)},
                    )

    def test_line_break_in_every_one_line_field_is_refused(self):
        for key, (_label, _limit, multiline) in TEXT_FIELDS.items():
            if multiline:
                continue
            for line_break in LINE_BREAKS:
                with self.subTest(field=key, line_break=repr(line_break)):
                    self._post_refused(
                        self._control_message(key),
                        **{key: with_inside(self._valid(key), line_break)},
                    )

    def test_name_with_a_header_line_is_refused(self):
        self._post_refused(
            "The name of the organisation must be a single line",
            name="Scop Test\r\nBcc: everybody@example.org",
        )

    def test_motivation_keeps_its_line_breaks(self):
        response = self._post(motivation="Premier point\r\n\r\nSecond point\u2028fin")
        self.assertEqual(response.status_code, 200, response.text[:500])
        membership = self.env["ess.membership"].search([], order="id desc", limit=1)
        self.assertEqual(membership.motivation, "Premier point\n\nSecond point\nfin")

    def test_invisible_only_text_in_a_required_field_is_refused(self):
        for key in REQUIRED:
            label = TEXT_FIELDS[key][0]
            for text in INVISIBLE_ONLY:
                with self.subTest(field=key, text=repr(text)):
                    self._post_refused(f"{label} is required.", **{key: text})

    def test_invisible_only_text_in_an_optional_field_is_empty(self):
        optional = [key for key in TEXT_FIELDS if key not in REQUIRED]
        response = self._post(
            **{key: INVISIBLE_ONLY[i % len(INVISIBLE_ONLY)] for i, key in enumerate(optional)}
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        membership = self.env["ess.membership"].search([], order="id desc", limit=1)
        org, contact = membership.partner_id, membership.contact_id
        self.assertEqual(org.name, "Association Les Petits Débrouillards Test")
        for value in (
            org.street,
            org.zip,
            org.website,
            org.phone,
            contact.function,
            contact.phone,
            membership.motivation,
        ):
            self.assertFalse(value)

    def test_invisible_characters_are_dropped_from_the_name(self):
        response = self._post(name="\u200bScop\u00a0 La\u2060 Fabrique\ufeff  Test ")
        self.assertEqual(response.status_code, 200, response.text[:500])
        membership = self.env["ess.membership"].search([], order="id desc", limit=1)
        self.assertEqual(membership.partner_id.name, "Scop La Fabrique Test")

    def test_over_long_text_in_every_field_is_refused(self):
        for key, (label, limit, _multiline) in TEXT_FIELDS.items():
            value = self._valid(key)
            if key == "email":
                value = "j" * (limit + 1 - len(value)) + value
            elif key == "website":
                value = "www." + "w" * (limit + 1 - len(value)) + value[4:]
            elif key == "zip":
                value = "530000"
            elif key == "phone":
                value = "0" * (limit + 1)
            else:
                value = "x" * (limit + 1)
            self.assertEqual(len(value), limit + 1)
            with self.subTest(field=key):
                self._post_refused(
                    f"{label} is too long ({limit} characters at most).", **{key: value}
                )

    def test_markup_characters_are_refused_in_one_line_fields(self):
        for key in ("name", "street", "city", "website", "contact_name", "function"):
            with self.subTest(field=key):
                self._post_refused(
                    "contains characters that are not allowed (&lt; &gt; { })",
                    **{key: "{{ object.name }}"},
                )

    def test_postcode_phone_and_website_have_their_shape(self):
        cases = [
            ({"zip": "5300"}, "A French postcode has 5 digits."),
            ({"zip": "٥٣٠٠٠"}, "A French postcode has 5 digits."),  # Arabic-Indic digits
            ({"phone": "+33 ２ 43"}, "The phone number is not valid."),
            ({"website": "javascript:alert(1)"}, "The website is not valid"),
            ({"website": "www example org"}, "The website is not valid"),
            ({"website": "ftp://files.example.org"}, "The website is not valid"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                self._post_refused(message, **values)

    def test_website_is_an_http_address_only(self):
        refused = (
            # other schemes, whatever their case
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)//x.example.org",
            "javascript://example.org/%0aalert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "data:,example.org",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "mailto:contact@example.org",
            "ftp://files.example.org",
            # a scheme and nothing else, or a broken one
            "http://",
            "https://",
            "http:///example.org",
            "//example.org",
            "https:/example.org",
            "https//example.org",
            "http:example.org",
            # look-alike schemes
            "hxxp://example.org",
            "https\uff1a//example.org",  # full-width colon
            "\uff48\uff54\uff54\uff50\uff53://example.org",  # full-width letters
            "https\u2215\u2215example.org",  # division slashes
            # spaces, a user name, no domain, an impossible port
            "https://exa mple.org",
            "https://example.org/a b",
            "example.org javascript:alert(1)",
            "https://user@evil.example",
            "https://www.example.org@evil.example",
            "localhost",
            "https://example",
            "https://example.org:99999",
        )
        for website in refused:
            with self.subTest(website=website):
                self._post_refused("The website is not valid", website=website)

    def test_website_accepts_web_addresses(self):
        accepted = {
            "www.example.org": "http://www.example.org",
            "https://www.example.org/adhesion?ref=1#form": (
                "https://www.example.org/adhesion?ref=1#form"
            ),
            "HTTP://EXAMPLE.ORG": "HTTP://EXAMPLE.ORG",
            "https://example.org:8443/": "https://example.org:8443/",
            "https://réseau-solidaire.example.fr": "https://réseau-solidaire.example.fr",
        }
        for number, (website, stored) in enumerate(accepted.items()):
            with self.subTest(website=website):
                response = self._post(
                    website=website,
                    name=f"Association Toile {number}",
                    email=f"toile{number}@example.org",
                )
                self.assertEqual(response.status_code, 200, response.text[:500])
                membership = self.env["ess.membership"].search([], order="id desc", limit=1)
                self.assertEqual(membership.partner_id.website, stored)

    def test_choices_out_of_range_are_refused(self):
        cases = [
            ({"employment_area_id": "99999999999"}, "Choose the employment area in the list."),
            ({"employment_area_id": "0"}, "Choose the employment area in the list."),
            ({"industry_id": "2147483648"}, "Choose the sector of activity in the list."),
            ({"industry_id": "\x00"}, "Choose the sector of activity in the list."),
            ({"kind": "association\x00"}, "Choose the kind of organisation in the list."),
            ({"size": "\u200b"}, "Choose the size of the organisation in the list."),
            ({"accept": "maybe"}, "Please accept"),
        ]
        for values, message in cases:
            with self.subTest(values=list(values)):
                self._post_refused(message, **values)

    def test_refused_page_does_not_echo_control_characters(self):
        response = self._post_refused(
            "must be a single line", name="Scop\x00 \x1b[2JTest", city="Laval\x07"
        )
        self.assertNotIn("\x00", response.text)
        self.assertNotIn("\x1b", response.text)
        self.assertNotIn("\x07", response.text)
        self.assertIn("Scop [2JTest", response.text)

    def test_form_page_answers_any_query_string(self):
        for query in (
            "?name=%00",
            "?%00=%00",
            "?debug=%00",
            "?debug=%3Cscript%3E",
            "?lang=zz_ZZ",
            "?kind=association&kind=scop",
            "?employment_area_id=99999999999999999999",
            "?%ff%fe=%c3%28",
            "?" + "x" * 4000,
            "?a[b][c]=1&__proto__=x",
            "?redirect=javascript:alert(1)",
        ):
            with self.subTest(query=query), self.assertNoLogs("odoo", "ERROR"):
                response = self.url_open("/adhesion" + query)
                self.assertEqual(response.status_code, 200)
                self.assertIn('name="employment_area_id"', response.text)


@tagged("post_install", "-at_install")
class TestAdhesionDuplicates(AdhesionFormCase):
    """A known organisation is recognised however its name is typed; what
    the visitor types is never a pattern, so the form tells nobody who else
    is in the network."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner, Membership = cls.env["res.partner"], cls.env["ess.membership"]
        cls.member = Partner.create(
            {
                "name": "Coopérative Élan Solidaire",
                "is_company": True,
                "email": "Élan <Contact@Elan-Solidaire.example>",
            }
        )
        # loaded as superuser, like imported history: a member since last year
        Membership.create({"partner_id": cls.member.id, "state": "member"})
        cls.candidate = Partner.create(
            {"name": "Scop Impulsion", "is_company": True, "email": "bonjour@impulsion.example"}
        )
        Membership.create({"partner_id": cls.candidate.id})

    def _post_new(self, name, email):
        """Post a request that must be taken as a new one."""
        before = self._counts()
        response = self._post(name=name, email=email)
        for answer in DUPLICATE_ANSWERS:
            self.assertNotIn(answer, response.text)
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(self._counts(), (before[0] + 2, before[1] + 1))
        return response

    def test_wildcards_tell_nothing_about_members(self):
        # Names without a letter or a digit are not names: refused as such,
        # as they would match everything and nothing.
        for name in ("%", "_", "*", "%%", "%_%", ".*", "   %  "):
            with self.subTest(name=name):
                before = self._counts()
                response = self._post(name=name, email="robot@scan.example")
                for answer in DUPLICATE_ANSWERS:
                    self.assertNotIn(answer, response.text)
                self.assertRefused(
                    response, "The name of the organisation must contain letters or digits.", before
                )
        # Anything else is text like any other, compared whole: a new request
        # (staff sees it and refuses it), never "already a member".
        for number, name in enumerate(
            ("Scop Imp%", "Scop Impulsio_", "Scop Imp*lsion", "Coopérative Élan%", "Coop_rative")
        ):
            with self.subTest(name=name):
                self._post_new(name, f"robot{number}@scan.example")

    def test_email_wildcards_tell_nothing_about_members(self):
        for number, email in enumerate(
            ("%@elan-solidaire.example", "_@impulsion.example", "%@%", "*@impulsion.example")
        ):
            with self.subTest(email=email):
                before = self._counts()
                response = self._post(name=f"Robot Scan {number}", email=email)
                for answer in DUPLICATE_ANSWERS:
                    self.assertNotIn(answer, response.text)
                if response.status_code == 400:
                    self.assertRefused(response, "The e-mail address is not valid.", before)
                else:
                    self.assertEqual(self._counts(), (before[0] + 2, before[1] + 1))
        for name in ("%", "_"):
            with self.subTest(email=name):
                before = self._counts()
                self.assertRefused(
                    self._post(name="Robot Scan", email=name),
                    "The e-mail address is not valid.",
                    before,
                )

    def test_a_longer_or_shorter_name_is_another_organisation(self):
        self._post_new("Coopérative Élan Solidaire Bis", "bis@other.example")
        self._post_new("Élan Solidaire", "elan@other.example")
        self._post_new("Scop Impulsions", "impulsions@other.example")

    def test_member_name_typed_differently_is_recognised(self):
        name = "Coopérative Élan Solidaire"
        variants = [
            "COOPÉRATIVE ÉLAN SOLIDAIRE",
            "coopérative élan solidaire",
            unicodedata.normalize("NFD", name),
            "Coopé\u200brative Élan\u200d Solidaire",
            "\u202eCoopérative Élan Solidaire\ufeff",
            "Coopérative\u00a0Élan\u202fSolidaire",
            "Coopérative  Élan   Solidaire",
            "  Coopérative\tÉlan Solidaire ",
            "Cooperative Elan Solidaire",
            "Coopérative Élan-Solidaire",
            "Cооpérative Élan Sоlidaire",  # Cyrillic о
            "Coopérative Εlan Sοlidaire",  # Greek Ε and ο
            "Ｃｏｏｐérative Élan Solidaire",  # full-width letters
        ]
        for number, variant in enumerate(variants):
            with self.subTest(variant=ascii(variant)):
                before = self._counts()
                self.assertRefused(
                    self._post(name=variant, email=f"someone{number}@other.example"),
                    "already a member",
                    before,
                )

    def test_pending_request_name_typed_differently_is_recognised(self):
        for number, variant in enumerate(
            ("SCOP IMPULSION", "Scop\u00a0\u00a0Impulsion", "Scop Imрulsion", "Ѕcop Impulsion")
        ):
            with self.subTest(variant=ascii(variant)):
                before = self._counts()
                self.assertRefused(
                    self._post(name=variant, email=f"someone{number}@other.example"),
                    "already in progress",
                    before,
                )

    def test_member_email_typed_differently_is_recognised(self):
        for number, email in enumerate(
            (
                "contact@elan-solidaire.example",
                "CONTACT@ELAN-SOLIDAIRE.EXAMPLE",
                " contact@elan-solidaire.example ",
                "contact\u200b@elan-solidaire.example",
            )
        ):
            with self.subTest(email=ascii(email)):
                before = self._counts()
                self.assertRefused(
                    self._post(name=f"Autre nom {number}", email=email),
                    "already a member",
                    before,
                )

    def test_name_key_is_stored_indexed_and_follows_the_name(self):
        field = self.env["res.partner"]._fields["ess_name_key"]
        self.assertTrue(field.store)
        self.assertTrue(field.index)
        self.assertEqual(self.member.ess_name_key, "cooperativeelansolidaire")
        # companies that existed before the add-on have theirs (computed on install)
        main = self.env.ref("base.main_partner")
        self.assertTrue(main.ess_name_key)
        self.member.name = "Coopérative Élan Solidaire et Durable"
        self.assertEqual(self.member.ess_name_key, "cooperativeelansolidaireetdurable")
        person = self.env["res.partner"].create({"name": "Jeanne Dupont"})
        self.assertFalse(person.ess_name_key, "people are not organisations")


@tagged("post_install", "-at_install")
class TestAdhesionRequest(AdhesionFormCase):
    """What the network's staff receives from the form."""

    def _last_request(self):
        return self.env["ess.membership"].search([], order="id desc", limit=1)

    def test_request_is_not_authored_by_the_public_user(self):
        self.assertEqual(self._post().status_code, 200)
        membership = self._last_request()
        public, odoobot = self.env.ref("base.public_user"), self.env.ref("base.user_root")
        activity = membership.activity_ids
        self.assertEqual(activity.create_uid, odoobot)
        notification = self.env["mail.message"].search(
            [
                ("model", "=", "ess.membership"),
                ("res_id", "=", membership.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertTrue(notification, "the responsible is told of the new request")
        self.assertEqual(notification.author_id, odoobot.partner_id)
        self.assertNotIn(public.partner_id, membership.message_ids.author_id)
        self.assertNotIn(public, membership.partner_id.create_uid | membership.create_uid)

    def _staff(self):
        return new_test_user(
            self.env,
            "ess_adhesion_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Staff",
            email="claire@example.org",
        )

    def test_welcome_email_of_a_form_request_can_be_sent(self):
        staff = self._staff()
        response = self._post(
            name="Scop\tLa\u00a0Fabrique\u200b  Test", contact_name="Jeanne\u00a0\u00a0Dupont"
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        membership = self._last_request().with_user(staff)
        membership.action_presentation_done()
        membership._accept(fields.Date.context_today(membership), "board", "Bienvenue !")
        welcome = membership.message_ids.filtered(lambda m: "Bienvenue" in (m.subject or ""))
        self.assertEqual(welcome.subject, "Bienvenue dans le réseau, Scop La Fabrique Test")
        mails = self.env["mail.mail"].search([("mail_message_id", "=", welcome.id)])
        self.assertTrue(mails)
        self.assertIn("Jeanne Dupont", mails.recipient_ids.mapped("name"))
        # building the message fails on a header with a line break
        mails.send(raise_exception=True)

    def test_name_recorded_with_a_line_break_is_told_before_the_email(self):
        # a name recorded before names were checked (or straight in the database)
        staff = self._staff()
        self.assertEqual(self._post().status_code, 200)
        membership = self._last_request()
        self.env.cr.execute(
            "UPDATE res_partner SET name = %s WHERE id = %s",
            ["Scop Test\nBcc: everybody@example.org", membership.partner_id.id],
        )
        self.env.invalidate_all()
        membership = membership.with_user(staff)
        membership.action_presentation_done()
        today = fields.Date.context_today(membership)
        # (assertRaises rolls back what the refused call wrote, as a request would)
        with self.assertRaises(UserError) as caught:
            membership._accept(today, "board", "Bienvenue !")
        self.assertIn("“Scop Test Bcc: everybody@example.org” holds a line", str(caught.exception))
        self.assertEqual(membership.state, "presentation")
        with self.assertRaises(UserError) as caught:
            membership._refuse(today, "board", "Hors du champ de l'ESS")
        self.assertIn("holds a line break", str(caught.exception))
        self.assertEqual(membership.state, "presentation")
        # corrected, the decision goes through and the e-mail is sent
        membership.partner_id.sudo().name = "Scop Test"
        membership._accept(today, "board", "Bienvenue !")
        self.assertEqual(membership.state, "validated")

    def test_organisation_name_is_one_line_in_the_back_end_too(self):
        Partner = self.env["res.partner"]
        for name in ("Scop Test\nBcc: everybody@example.org", "Scop\rTest", "Scop\x1bTest"):
            with self.subTest(name=ascii(name)), self.assertRaises(ValidationError):
                Partner.create({"name": name, "is_company": True})
        organisation = Partner.create({"name": "Scop Test", "is_company": True})
        with self.assertRaises(ValidationError):
            organisation.name = "Scop Test\nBcc: everybody@example.org"
        with self.assertRaises(ValidationError):
            Partner.create({"name": "Scop\nTest"}).is_company = True
