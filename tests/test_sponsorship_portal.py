from datetime import timedelta

from lxml import html

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import warmup

from .common import EssPortalCase

# the detail page of a sponsorship, caches warm: the same whatever the
# number of sessions and modules
SPONSORSHIP_PAGE_QUERIES = 20

SPONSORSHIP_FIELDS = [
    "state",
    "sponsor_id",
    "needs",
    "closing_note_member",
    "closing_note_sponsor",
    "hours_total",
    "session_count",
]
SESSION_FIELDS = ["sponsorship_id", "start", "duration", "state", "notes", "hours"]
SPONSOR_FIELDS = ["active", "capacity", "person_ids", "module_ids", "paused_until", "note"]


class SponsorshipPortalCase(EssPortalCase):
    """A new member (``org``, its ``user``) sponsored by ``sponsor_org``
    (its ``sponsor_user``), and a third member (``other_org``, its
    ``other_user``) sponsored by another volunteer: the third member must
    see and change nothing of the first sponsorship, nor the first two of
    the third one's."""

    org_name = "Scop Parrainée"
    login_prefix = "spons"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        Membership = cls.env["ess.membership"]
        cls.env.company.ess_sponsorship_user_id = new_test_user(
            cls.env,
            "spons_pole",
            groups="base.group_user,ess_network.group_ess_sponsorship_manager",
            name="Paul Pôle",
        )
        cls.sponsor_org = Partner.create({"name": "Coopérative Marraine", "is_company": True})
        cls.other_sponsor_org = Partner.create(
            {"name": "Scic Marraine Secrète", "is_company": True}
        )
        cls.new_org = Partner.create({"name": "Association Nouvelle", "is_company": True})
        cls.operational_org = Partner.create({"name": "Scop Aguerrie", "is_company": True})
        for organisation, phase, state in (
            (cls.org, "appropriation", "member"),
            (cls.other_org, "appropriation", "member"),
            (cls.new_org, "integration", "request"),
            (cls.sponsor_org, "operational", "member"),
            (cls.other_sponsor_org, "operational", "member"),
            (cls.operational_org, "operational", "member"),
        ):
            Membership.create({"partner_id": organisation.id, "state": state, "phase": phase})
        cls.sponsor_user = cls._member("spons_sponsor", "Simone Marraine", cls.sponsor_org)
        cls.new_user = cls._member("spons_new", "Nina Nouvelle", cls.new_org)
        cls.operational_user = cls._member(
            "spons_operational", "Oscar Aguerri", cls.operational_org
        )
        cls.org_contact = Partner.create(
            {"name": "Camille Contact", "parent_id": cls.org.id, "function": "Directrice"}
        )
        cls.other_person = Partner.create(
            {"name": "Victor Voisin-Secret", "parent_id": cls.other_org.id}
        )
        cls.other_sponsor_person = Partner.create(
            {"name": "Sacha Secret", "parent_id": cls.other_sponsor_org.id}
        )
        cls.module = {
            key: cls.env.ref(f"ess_network.ess_sponsorship_module_{key}")
            for key in ("self_assessment", "action_plan", "evaluation", "improvement")
        }
        network_b = cls.env["res.company"].create({"name": "Réseau B (parrainage)"})
        cls.foreign_module = cls.env["ess.sponsorship.module"].create(
            {"name": "Module d'un autre réseau", "company_id": network_b.id}
        )
        Sponsor = cls.env["ess.sponsor"]
        cls.sponsor = Sponsor.create(
            {
                "partner_id": cls.sponsor_org.id,
                "person_ids": [Command.set(cls.sponsor_user.partner_id.ids)],
                "capacity": 2,
            }
        )
        cls.other_sponsor = Sponsor.create(
            {
                "partner_id": cls.other_sponsor_org.id,
                "person_ids": [Command.set(cls.other_sponsor_person.ids)],
                "note": "Note secrète de la marraine",
            }
        )
        cls.sponsorship = cls._designated(cls.org, cls.sponsor, ("self_assessment", "action_plan"))
        cls.sponsorship.contact_ids = cls.org_contact
        cls.other_sponsorship = cls._designated(
            cls.other_org, cls.other_sponsor, ("evaluation",), needs="Besoins secrets du voisin"
        )
        cls.other_planned = cls.env["ess.sponsorship.session"].create(
            {
                "sponsorship_id": cls.other_sponsorship.id,
                "start": fields.Datetime.now() + timedelta(days=5),
                "notes": "Ordre du jour secret",
            }
        )

    @classmethod
    def _designated(cls, organisation, sponsor, modules, needs="Être aidés"):
        """A sponsorship of ``organisation`` whose sponsor was designated a
        month ago."""
        sponsorship = cls.env["ess.sponsorship"].create(
            {
                "partner_id": organisation.id,
                "needs": needs,
                "module_line_ids": [
                    Command.create({"module_id": cls.module[key].id}) for key in modules
                ],
            }
        )
        sponsorship._designate(sponsor, justification="Rules not under test here.")
        sponsorship.designation_date = fields.Datetime.now() - timedelta(days=30)
        return sponsorship

    def _snapshot(self):
        self.env.invalidate_all()
        sponsorships = self.env["ess.sponsorship"].search([])
        return (
            sponsorships.read(SPONSORSHIP_FIELDS),
            self.env["ess.sponsorship.session"].search([]).read(SESSION_FIELDS),
            self.env["ess.sponsorship.session.line"].search([]).read(["module_id", "hours"]),
            self.env["ess.sponsor"].with_context(active_test=False).search([]).read(SPONSOR_FIELDS),
        )

    def _url(self, sponsorship=None, action=""):
        sponsorship = sponsorship or self.sponsorship
        return f"/my/sponsorships/{sponsorship.id}{action}"

    def _yesterday(self):
        return fields.Date.to_string(fields.Date.today() - timedelta(days=1))

    def _log(self, sponsorship=None, **data):
        """Post the form to log a held session (valid by default)."""
        values = {
            "date": self._yesterday(),
            "time": "10:00",
            "duration": "2",
            f"hours_{self.module['self_assessment'].id}": "1,5",
            f"hours_{self.module['action_plan'].id}": "0.5",
            "notes": "Grille remplie ensemble, question par question.",
            **data,
        }
        return self._post(self._url(sponsorship, "/session"), **values)

    def _plan(self, sponsorship=None, **data):
        values = {
            "date": fields.Date.to_string(fields.Date.today() + timedelta(days=10)),
            "time": "14:30",
            "duration": "2",
            "module_ids": ["", str(self.module["evaluation"].id)],
            "notes": "Préparer la visite des pairs.",
            **data,
        }
        return self._post(self._url(sponsorship, "/plan"), **values)


@tagged("post_install", "-at_install")
class TestSponsorshipPortal(SponsorshipPortalCase):
    # ------------------------------------------------------------- request
    def test_new_member_asks_for_a_sponsor(self):
        self._login(self.new_user)
        page = self.url_open("/my/sponsorships").text
        self.assertIn('href="/my/sponsorships/request"', page)
        page = self.url_open("/my/sponsorships/request").text
        self.assertIn(self.module["evaluation"].name, page)
        self.assertNotIn("Module d'un autre réseau", page)
        self.assertNotIn("Victor Voisin-Secret", page)
        response = self._post(
            "/my/sponsorships/request",
            module_ids=[
                "",
                str(self.module["self_assessment"].id),
                str(self.module["evaluation"].id),
            ],
            needs="  Remplir notre première grille.  ",
        )
        sponsorship = self.env["ess.sponsorship"].search([("partner_id", "=", self.new_org.id)])
        self.assertTrue(response.url.endswith(f"/my/sponsorships/{sponsorship.id}?saved=request"))
        self.assertIn("the sponsorship pole will designate your sponsor", response.text)
        self.assertEqual(
            (sponsorship.state, sponsorship.origin, sponsorship.needs),
            ("requested", "portal", "Remplir notre première grille."),
        )
        self.assertEqual(
            sponsorship.module_ids, self.module["self_assessment"] | self.module["evaluation"]
        )
        self.assertEqual(sponsorship.contact_ids, self.new_user.partner_id)
        self.assertEqual(sponsorship.message_ids[0].author_id, self.new_user.partner_id)
        self.assertIn("Sponsor asked for through the portal", sponsorship.message_ids[0].body)
        # the pole is asked to designate
        self.assertTrue(sponsorship.activity_ids)
        # a second request while this one is under way is refused
        before = self._snapshot()
        response = self._post(
            "/my/sponsorships/request", module_ids=str(self.module["evaluation"].id)
        )
        self.assertRefused(response, "already has a sponsorship under way", before)

    def test_request_with_wrong_values_writes_nothing(self):
        self._login(self.new_user)
        own, foreign = str(self.module["evaluation"].id), str(self.foreign_module.id)
        cases = [
            ({"module_ids": [own, foreign]}, "Choose modules in the list."),
            ({"module_ids": ["", "abc"]}, "Choose a value in the list."),
            ({"module_ids": "999999999"}, "Choose modules in the list."),
            ({"module_ids": ""}, "Choose at least one module you wish to work on."),
            (
                {"module_ids": own, "contact_ids": str(self.other_person.id)},
                "Choose contacts among the people of your organisation.",
            ),
            ({"module_ids": own, "needs": "x" * 2001}, "At most 2000 characters."),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:60]):
                before = self._snapshot()
                self.assertRefused(self._post("/my/sponsorships/request", **data), message, before)

    def test_only_new_members_ask_for_a_sponsor(self):
        self._login(self.operational_user)
        self.assertNotIn('href="/my/sponsorships/request"', self.url_open("/my/sponsorships").text)
        page = self.url_open("/my/sponsorships/request").text
        self.assertIn("Sponsorship is for new members", page)
        self.assertNotIn("o_ess_sponsorship_request_form", page)
        before = self._snapshot()
        response = self._post(
            "/my/sponsorships/request", module_ids=str(self.module["evaluation"].id)
        )
        self.assertRefused(response, "Sponsorship is for new members", before)

    # ------------------------------------------------------------ pages
    def test_each_side_sees_the_other_and_the_third_member_nothing(self):
        url = self._url()
        self._login()
        page = self.url_open(url).text
        self.assertIn("Your sponsor", page)
        self.assertIn("Coopérative Marraine", page)
        self.assertIn("Simone Marraine", page)
        self.assertNotIn("o_ess_session_log_form", page)
        self.assertIn("o_ess_closing_note_form", page)
        self.assertIn('id="sponsorship_chat"', page)
        listing = self.url_open("/my/sponsorships").text
        self.assertIn(self.sponsorship.name, listing)
        self.assertNotIn(self.other_sponsorship.name, listing)

        self._login(self.sponsor_user)
        page = self.url_open(url).text
        self.assertIn("The new member you sponsor", page)
        self.assertIn("Camille Contact", page)
        self.assertIn("o_ess_session_log_form", page)
        self.assertIn("o_ess_session_plan_form", page)
        self.assertNotIn("Module d'un autre réseau", page)
        self.assertIn(self.sponsorship.name, self.url_open("/my/sponsorships").text)

        self._login(self.other_user)
        for path in (url, self._url(action="?session=1"), "/my/sponsorships/99999999"):
            with self.subTest(path=path):
                response = self.url_open(path)
                self.assertTrue(response.url.endswith("/my"), response.url)
                self.assertNotIn("Coopérative Marraine", response.text)
        listing = self.url_open("/my/sponsorships").text
        self.assertIn(self.other_sponsorship.name, listing)
        self.assertNotIn(self.sponsorship.name, listing)
        self.assertNotIn("Scop Parrainée", listing)

    def test_home_counters(self):
        for user, expected in ((self.user, 1), (self.sponsor_user, 1), (self.new_user, 0)):
            with self.subTest(user=user.login):
                self._login(user)
                counters = self.make_jsonrpc_request(
                    "/my/counters", {"counters": ["ess_sponsorship_count"]}
                )
                self.assertEqual(counters, {"ess_sponsorship_count": expected})
                page = html.fromstring(self.url_open("/my").text)
                self.assertTrue(page.xpath("//a[@href='/my/sponsorships']"))

    # ------------------------------------------------------------ sessions
    def test_sponsor_logs_a_session(self):
        self._login(self.sponsor_user)
        response = self._log()
        self.assertTrue(response.url.endswith(self._url(action="?saved=log#log")), response.url)
        self.assertIn("The session is logged.", response.text)
        session = self.sponsorship.session_ids
        self.assertEqual(len(session), 1)
        self.assertEqual((session.state, session.duration, session.hours), ("held", 2.0, 2.0))
        self.assertEqual(session.logged_by_id, self.sponsor_user)
        self.assertEqual(session.notes, "Grille remplie ensemble, question par question.")
        self.assertEqual(
            {line.module_id: line.hours for line in session.line_ids},
            {self.module["self_assessment"]: 1.5, self.module["action_plan"]: 0.5},
        )
        self.assertTrue(session.event_id)
        self.assertEqual(self.sponsorship.state, "in_progress")
        self.assertEqual(self.sponsorship.hours_total, 2.0)
        line = self.sponsorship.module_line_ids.filtered(
            lambda m: m.module_id == self.module["self_assessment"]
        )
        self.assertEqual(line.progress, 50.0)
        message = self.sponsorship.message_ids.filtered(
            lambda m: "logged through the portal by Simone Marraine" in m.body
        )
        self.assertEqual(message.author_id, self.sponsor_user.partner_id)
        self.assertIn("Comment remplir la grille", message.body)
        # the new member sees it, with the hours against the guideline
        self._login()
        page = self.url_open(self._url()).text
        self.assertIn("Grille remplie ensemble, question par question.", page)
        tree = html.fromstring(page)
        [bar] = tree.xpath(
            f"//li[@data-module='{self.module['self_assessment'].id}']//div[@role='progressbar']"
        )
        self.assertEqual(bar.get("aria-valuenow"), "50")
        self.assertIn("1.5 h spent", bar.get("aria-valuetext"))
        [name] = tree.xpath(f"//*[@id='{bar.get('aria-labelledby')}']")
        self.assertEqual(name.text_content().strip(), self.module["self_assessment"].name)

    def test_sponsor_plans_a_session_then_logs_it_held(self):
        self._login(self.sponsor_user)
        response = self._plan()
        self.assertTrue(response.url.endswith("?saved=plan#plan"), response.url)
        planned = self.sponsorship.session_ids
        self.assertEqual(
            (planned.state, planned.module_names), ("planned", self.module["evaluation"].name)
        )
        local = self.env["ess.sponsorship"]._portal_local(self.sponsor_user, planned.start)
        self.assertEqual(local.strftime("%H:%M"), "14:30")
        self.assertTrue(planned.event_id.active)
        self.assertTrue(
            self.sponsorship.message_ids.filtered(lambda m: "Next session proposed for" in m.body)
        )
        self._login()
        self.assertIn("Préparer la visite des pairs.", self.url_open(self._url()).text)

        # the date has come and gone
        planned.start = fields.Datetime.now() - timedelta(days=1)
        self._login(self.sponsor_user)
        page = self.url_open(self._url(action=f"?session={planned.id}")).text
        self.assertIn("Log the planned session as held", page)
        self.assertIn(f'name="session_id" value="{planned.id}"', page)
        response = self._log(
            session_id=str(planned.id),
            **{
                f"hours_{self.module['evaluation'].id}": "2",
                f"hours_{self.module['self_assessment'].id}": "",
                f"hours_{self.module['action_plan'].id}": "",
            },
        )
        self.assertTrue(response.url.endswith("?saved=log#log"), response.url)
        self.assertEqual(self.sponsorship.session_ids, planned)
        self.assertEqual(planned.state, "held")
        self.assertEqual(planned.line_ids.module_id, self.module["evaluation"])
        self.assertEqual(planned.hours, 2.0)

    def test_wrong_session_values_write_nothing(self):
        self._login(self.sponsor_user)
        assessment = f"hours_{self.module['self_assessment'].id}"
        future = fields.Date.to_string(fields.Date.today() + timedelta(days=2))
        before_designation = fields.Date.to_string(fields.Date.today() - timedelta(days=40))
        cases = [
            ({assessment: "-1"}, "go from 0 to 24, not -1"),
            ({assessment: "99"}, "go from 0 to 24, not 99"),
            ({assessment: "abc"}, "Enter a number, for example 12.5."),
            ({assessment: "1e400"}, "Enter a number, for example 12.5."),
            ({"duration": "0"}, "more than 0 and at most 10 hours, not 0"),
            ({"duration": "-2"}, "more than 0 and at most 10 hours, not -2"),
            ({"duration": "25"}, "more than 0 and at most 10 hours, not 25"),
            ({"duration": ""}, "Give the length of the session, in hours."),
            ({"duration": "1"}, "exceed the length of the session (1 hours)"),
            ({"date": future}, "cannot be dated in the future"),
            ({"date": before_designation}, "before its sponsor was designated"),
            ({"date": "31/02/2026"}, "is not a date"),
            ({"date": ""}, "Give the date of the session."),
            ({"time": "25:00"}, "is not a time of day"),
            ({"time": ""}, "Give the time the session starts."),
            (
                {assessment: "0", f"hours_{self.module['action_plan'].id}": ""},
                "Give the hours spent on at least one module.",
            ),
            ({f"hours_{self.foreign_module.id}": "1"}, "Choose modules in the list."),
            ({"hours_x": "1"}, "Choose modules in the list."),
            ({"notes": "a\x00b"}, "control characters"),
            # a planned session of another sponsorship
            ({"session_id": str(self.other_planned.id)}, "Choose a planned session of this"),
            ({"session_id": ["1", "2"]}, "Choose a planned session of this"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:60]):
                before = self._snapshot()
                self.assertRefused(self._log(**data), message, before)
        plan_cases = [
            ({"date": self._yesterday()}, "Propose a date and time to come."),
            ({"module_ids": str(self.foreign_module.id)}, "Choose modules in the list."),
            ({"duration": "0"}, "more than 0 and at most 10 hours"),
        ]
        for data, message in plan_cases:
            with self.subTest(data=str(data)[:60]):
                before = self._snapshot()
                self.assertRefused(self._plan(**data), message, before)

    def test_nobody_but_the_sponsor_logs_sessions(self):
        before = self._snapshot()
        # the new member itself, the third member, on this sponsorship; the
        # sponsor on the third member's
        for user, sponsorship in (
            (self.user, self.sponsorship),
            (self.other_user, self.sponsorship),
            (self.sponsor_user, self.other_sponsorship),
        ):
            with self.subTest(user=user.login, sponsorship=sponsorship.name):
                self._login(user)
                responses = [self._log(sponsorship), self._plan(sponsorship)]
                if user != self.user:
                    responses.append(
                        self._post(self._url(sponsorship, "/note"), closing_note="Forgée")
                    )
                for response in responses:
                    self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertEqual(self._snapshot(), before)
        # a caller that skipped the controller's check
        for method, args in (
            ("_portal_log_session", ({"date": fields.Date.today()},)),
            ("_portal_plan_session", ({"date": fields.Date.today()},)),
            ("_portal_closing_note", ("Forgée",)),
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(self.sponsorship.sudo(), method)(self.other_user, *args)
        with self.assertRaises(AccessError):
            self.sponsorship.sudo()._portal_log_session(self.user, {})

    def test_rpc_cannot_read_others_nor_write(self):
        self._login(self.other_user)
        self.assertEqual(
            {
                s["id"]
                for s in self._call_kw("ess.sponsorship", "search_read", [[]], {"fields": ["name"]})
            },
            set(self.other_sponsorship.ids),
        )
        self.assertEqual(
            self._call_kw("ess.sponsor", "search_read", [[]], {"fields": ["note"]}), []
        )
        session = self.env["ess.sponsorship.session"].create(
            {
                "sponsorship_id": self.sponsorship.id,
                "start": fields.Datetime.now() + timedelta(days=3),
            }
        )
        forbidden = [
            ("ess.sponsorship", "read", [self.sponsorship.ids, ["needs"]]),
            ("ess.sponsorship.session", "read", [session.ids, ["notes"]]),
            ("ess.sponsor", "read", [self.sponsor.ids, ["note"]]),
            (
                "ess.sponsorship",
                "write",
                [self.other_sponsorship.ids, {"closing_note_member": "x"}],
            ),
            ("ess.sponsorship.session", "write", [self.other_planned.ids, {"state": "held"}]),
            (
                "ess.sponsorship.session",
                "create",
                [{"sponsorship_id": self.other_sponsorship.id, "start": "2026-01-01 10:00:00"}],
            ),
            ("ess.sponsor", "create", [{"partner_id": self.other_org.id}]),
            ("ess.sponsor", "write", [self.other_sponsor.ids, {"capacity": 5}]),
            (
                "ess.sponsorship",
                "_portal_log_session",
                [self.other_sponsorship.ids, self.other_user.id, {}],
            ),
            (
                "ess.sponsorship",
                "_portal_request",
                [self.other_user.id, {"module_ids": [self.module["evaluation"].id]}],
            ),
            ("ess.sponsor", "_portal_withdraw", [self.other_sponsor.ids, self.other_user.id, "x"]),
        ]
        self.assertRpcRefused(forbidden)

    # ---------------------------------------------------------- closing notes
    def test_each_side_writes_its_closing_note(self):
        self._login()
        page = self.url_open(self._url()).text
        tree = html.fromstring(page)
        origin = tree.xpath(
            "//form[hasclass('o_ess_closing_note_form')]//input[@name='ess_form_origin']/@value"
        )
        response = self._post(
            self._url(action="/note"),
            closing_note="Nous savons remplir la grille.",
            ess_form_origin=origin[0],
        )
        self.assertTrue(response.url.endswith("?saved=note#note"), response.url)
        self._login(self.sponsor_user)
        response = self._post(self._url(action="/note"), closing_note="Membre autonome.")
        self.assertTrue(response.url.endswith("?saved=note#note"), response.url)
        self.assertIn("Nous savons remplir la grille.", response.text)
        self.assertEqual(
            (self.sponsorship.closing_note_member, self.sponsorship.closing_note_sponsor),
            ("Nous savons remplir la grille.", "Membre autonome."),
        )
        self.assertEqual(self.sponsorship.message_ids[0].author_id, self.sponsor_user.partner_id)
        # a note changed meanwhile by a colleague is not overwritten
        self._login()
        before = self._snapshot()
        response = self._post(
            self._url(action="/note"), closing_note="Autre texte", ess_form_origin=origin[0]
        )
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        # an ended sponsorship no longer changes
        self.sponsorship.state = "ended"
        before = self._snapshot()
        response = self._post(self._url(action="/note"), closing_note="Trop tard")
        self.assertRefused(response, "it can no longer be changed", before)
        self._login(self.sponsor_user)
        self.assertRefused(self._log(), "it can no longer be changed", before)

    # ------------------------------------------------------ volunteer profile
    def test_volunteer_profile_is_updated_and_withdrawn(self):
        self._login(self.sponsor_user)
        page = self.url_open("/my/sponsor").text
        self.assertIn("Simone Marraine", page)
        self.assertNotIn("Sacha Secret", page)
        self.assertNotIn("Note secrète de la marraine", page)
        pause = fields.Date.today() + timedelta(days=30)
        response = self._post(
            "/my/sponsor/save",
            person_ids=["", str(self.sponsor_user.partner_id.id)],
            module_ids=["", str(self.module["evaluation"].id)],
            capacity="3",
            paused_until=fields.Date.to_string(pause),
            note="Nous accompagnons volontiers.",
        )
        self.assertTrue(response.url.endswith("/my/sponsor?saved=1"), response.url)
        self.assertEqual(
            (self.sponsor.capacity, self.sponsor.paused_until, self.sponsor.note),
            (3, pause, "Nous accompagnons volontiers."),
        )
        self.assertEqual(self.sponsor.module_ids, self.module["evaluation"])
        self.assertTrue(self.sponsor.is_paused)
        self.env.flush_all()
        self.assertIn(
            "Volunteer profile updated through the portal", self.sponsor.message_ids[0].body
        )

        # withdrawing needs a reason; the sponsorship it leads is flagged
        before = self._snapshot()
        response = self._post("/my/sponsor/withdraw", withdrawal_reason="  ")
        self.assertRefused(response, "Write why your organisation withdraws.", before)
        response = self._post(
            "/my/sponsor/withdraw", withdrawal_reason="Trop de travail cette année."
        )
        self.assertTrue(response.url.endswith("?saved=withdrawn"), response.url)
        self.assertFalse(self.sponsor.active)
        self.assertEqual(self.sponsor.withdrawal_reason, "Trop de travail cette année.")
        self.assertTrue(self.sponsorship.rule_alert)
        # and it comes back
        page = self.url_open("/my/sponsor").text
        self.assertIn("Come back to the pool", page)
        origin = html.fromstring(page).xpath("//input[@name='ess_form_origin']/@value")[0]
        response = self._post("/my/sponsor/save", capacity="3", ess_form_origin=origin)
        self.assertTrue(response.url.endswith("/my/sponsor?saved=1"), response.url)
        self.assertTrue(self.sponsor.active)
        self.assertFalse(self.sponsor.withdrawal_date)

    def test_a_member_volunteers(self):
        self._login(self.operational_user)
        self.assertIn("Volunteer to sponsor new members", self.url_open("/my/sponsor").text)
        response = self._post(
            "/my/sponsor/save",
            person_ids=["", str(self.operational_user.partner_id.id)],
            module_ids="",
            capacity="2",
            paused_until="",
            note="",
        )
        self.assertTrue(response.url.endswith("/my/sponsor?saved=1"), response.url)
        profile = self.env["ess.sponsor"].search([("partner_id", "=", self.operational_org.id)])
        self.assertEqual(
            (profile.capacity, profile.person_ids, profile.module_ids),
            (2, self.operational_user.partner_id, self.env["ess.sponsorship.module"]),
        )
        self.assertEqual(profile.message_ids[0].author_id, self.operational_user.partner_id)
        # a new member (not yet a member) cannot
        self._login(self.new_user)
        before = self._snapshot()
        response = self._post(
            "/my/sponsor/save",
            person_ids=str(self.new_user.partner_id.id),
            capacity="1",
        )
        self.assertRefused(response, "Only a member organisation can volunteer", before)

    def test_wrong_profile_values_write_nothing(self):
        self._login(self.sponsor_user)
        me = str(self.sponsor_user.partner_id.id)
        cases = [
            ({"person_ids": [me, str(self.other_sponsor_person.id)]}, "among the people of your"),
            ({"person_ids": ""}, "Name at least one person"),
            ({"module_ids": str(self.foreign_module.id)}, "Choose modules in the list."),
            ({"capacity": "0"}, "Enter a whole number from 1 to 10."),
            ({"capacity": "11"}, "Enter a whole number from 1 to 10."),
            ({"capacity": "2.5"}, "Enter a whole number from 1 to 10."),
            ({"capacity": ""}, "Enter a whole number from 1 to 10."),
            ({"paused_until": self._yesterday()}, "A pause ends on a date to come"),
            ({"paused_until": "demain"}, "is not a date"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:60]):
                before = self._snapshot()
                self.assertRefused(self._post("/my/sponsor/save", **data), message, before)
        # the model checks again for a caller that skipped the controller
        profile, errors = self.env["ess.sponsor"]._portal_volunteer(
            self.sponsor_user, {"person_ids": {self.other_person.id}}
        )
        self.assertEqual(profile, self.sponsor)
        self.assertIn("person_ids", errors)
        with self.assertRaises(AccessError):
            self.other_sponsor._portal_withdraw(self.sponsor_user, "Forgé")

    # ---------------------------------------------------------- queries
    def _count_page_queries(self):
        return self._page_queries(self._url(), SPONSORSHIP_PAGE_QUERIES)

    @warmup
    def test_sponsorship_page_queries_do_not_grow_with_sessions(self):
        self._login(self.sponsor_user)
        self.url_open("/my")  # the first request of a session logs its device
        Session = self.env["ess.sponsorship.session"]

        def add_sessions(count):
            for index in range(count):
                start = fields.Datetime.now() - timedelta(days=index + 1)
                Session.create(
                    {
                        "sponsorship_id": self.sponsorship.id,
                        "start": start,
                        "state": "held",
                        "notes": f"Séance {index}",
                        "line_ids": [
                            Command.create({"module_id": module.id, "hours": 0.5})
                            for module in self.module.values()
                        ],
                    }
                )
            Session.create(
                {
                    "sponsorship_id": self.sponsorship.id,
                    "start": fields.Datetime.now() + timedelta(days=count + 1),
                }
            )
            self.env.flush_all()

        add_sessions(1)
        self.url_open(self._url())
        few = self._count_page_queries()
        add_sessions(12)
        self.url_open(self._url())
        many = self._count_page_queries()
        self.assertLessEqual(many, few)


@tagged("post_install", "-at_install")
class TestSponsorshipPortalMarkup(SponsorshipPortalCase):
    """What assistive technologies need of the sponsorship pages, read from
    the markup: every field has a label, a field in error points to its
    message, every progress bar has a name."""

    def assertAccessibleForm(self, page):
        tree = html.fromstring(page)
        main = tree.xpath("//main")[0]
        ids = set(tree.xpath("//@id"))
        for field in main.xpath(
            ".//form//input[not(@type='hidden') and not(@type='submit')] | .//form//textarea "
            "| .//form//select"
        ):
            field_id = field.get("id")
            name = field.get("name")
            with self.subTest(field=name):
                labelled = (
                    (field_id and tree.xpath(f"//label[@for='{field_id}']"))
                    or field.get("aria-label")
                    or field.get("aria-labelledby")
                )
                self.assertTrue(labelled, f"{name} has no label")
                described = field.get("aria-describedby")
                for target in (described or "").split():
                    self.assertIn(target, ids, f"{name} is described by a missing element")
        for bar in main.xpath(".//*[@role='progressbar']"):
            self.assertTrue(
                bar.get("aria-label") or bar.get("aria-labelledby") in ids, "progress bar name"
            )
        # one id, one element
        all_ids = tree.xpath("//@id")
        self.assertEqual(len(all_ids), len(set(all_ids)), "duplicate ids")

    def test_pages_are_labelled(self):
        for user, url in (
            (self.sponsor_user, self._url()),
            (self.user, self._url()),
            (self.new_user, "/my/sponsorships/request"),
            (self.sponsor_user, "/my/sponsor"),
            (self.operational_user, "/my/sponsor"),
        ):
            with self.subTest(user=user.login, url=url):
                self._login(user)
                self.assertAccessibleForm(self.url_open(url).text)

    def test_refused_forms_point_to_their_errors(self):
        self._login(self.sponsor_user)
        response = self._log(duration="0", **{f"hours_{self.module['action_plan'].id}": "-1"})
        self.assertEqual(response.status_code, 400)
        self.assertAccessibleForm(response.text)
        tree = html.fromstring(response.text)
        [duration] = tree.xpath("//input[@id='log_duration']")
        self.assertEqual(duration.get("aria-describedby"), "log_duration_error")
        self.assertIn("is-invalid", duration.get("class"))
        # the other form of the page is shown as it was
        [plan_duration] = tree.xpath("//input[@id='plan_duration']")
        self.assertNotIn("is-invalid", plan_duration.get("class"))

    def test_home_tiles_have_pictograms(self):
        self._login(self.sponsor_user)
        page = html.fromstring(self.url_open("/my").text)
        for url in ("/my/sponsorships", "/my/sponsor"):
            [icon] = page.xpath(
                f"//div[hasclass('o_portal_index_card')]/a[@href='{url}']//img/@src"
            )
            self.assertTrue(icon.endswith(".svg"))
            self.assertEqual(self.url_open(icon).status_code, 200)
