import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tests.common import warmup
from odoo.tools import mute_logger

from .common import EssPortalCase

# the pages of a club and of a meeting, caches warm: the same whatever the
# number of meetings and registrations
CLUB_PAGE_QUERIES = 22
MEETING_PAGE_QUERIES = 22


class ClubPortalCase(EssPortalCase):
    """A club of the network with its partner mutual and both member
    organisations (``org`` and its ``user``, ``other_org`` and its
    ``other_user``): a planned meeting (3 seats, one taken by ``other_org``),
    a held one with its minutes and document, a cancelled one; a working
    group of ``org`` and one of ``other_org``, each with a deliverable and
    its document, the first with a held meeting and its internal document;
    a club of another network and its meeting."""

    org_name = "Scop Clubiste"
    login_prefix = "club"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Partner = env["res.partner"]
        now = fields.Datetime.now()
        cls.colleague = Partner.create({"name": "Camille Collègue", "parent_id": cls.org.id})
        cls.stranger = Partner.create({"name": "Sacha Étranger", "parent_id": cls.other_org.id})
        cls.mutual = Partner.create({"name": "Mutuelle Partenaire du Club", "is_company": True})
        cls.keyword = env["ess.keyword"].create({"name": "Gouvernance (club test)"})
        cls.club = env["ess.club"].create(
            {
                "name": "Club RSE du cluster (test)",
                "description": "<p>Partager nos pratiques de responsabilité sociétale.</p>",
                "rules": "<p>Trois rencontres par an, chez un membre à tour de rôle.</p>",
                "keyword_ids": [Command.set(cls.keyword.ids)],
                "partner_ids": [Command.set(cls.mutual.ids)],
                "member_ids": [Command.set((cls.org | cls.other_org).ids)],
            }
        )
        Meeting = env["ess.club.meeting"]
        cls.planned = Meeting.create(
            {
                "name": "Indicateurs de gouvernance",
                "club_id": cls.club.id,
                "host_partner_id": cls.other_org.id,
                "start": now + timedelta(days=10),
                "location": "Salle du Conseil, Nantes",
                "capacity": 3,
                "agenda": "<p>Tour de table, puis indicateurs.</p>",
                "keyword_ids": [Command.set(cls.keyword.ids)],
            }
        )
        cls.held = Meeting.create(
            {
                "name": "Capital humain",
                "club_id": cls.club.id,
                "host_partner_id": cls.org.id,
                "start": now - timedelta(days=30),
                "state": "held",
                "minutes": "<p>Compte rendu de la rencontre capital humain.</p>",
            }
        )
        cls.held_document = cls._attachment("capital-humain.pdf", cls.held)
        cls.held.attachment_ids = cls.held_document
        cls.cancelled = Meeting.create(
            {
                "name": "Rencontre annulée",
                "club_id": cls.club.id,
                "start": now + timedelta(days=20),
                "state": "cancelled",
            }
        )
        Registration = env["ess.club.registration"]
        cls.other_registration = Registration.create(
            {"meeting_id": cls.planned.id, "person_id": cls.other_user.partner_id.id}
        )
        # the working groups
        Group = env["ess.club.group"]
        cls.group = Group.create(
            {
                "name": "Impact biodiversité des matières premières",
                "club_id": cls.club.id,
                "description": "<p>Mesurer l'impact de nos achats.</p>",
                "participant_ids": [Command.set((cls.user.partner_id | cls.stranger).ids)],
            }
        )
        cls.other_group = Group.create(
            {
                "name": "Groupe secret du voisin",
                "club_id": cls.club.id,
                "participant_ids": [Command.set(cls.other_user.partner_id.ids)],
            }
        )
        Deliverable = env["ess.club.deliverable"]
        cls.deliverable = Deliverable.create(
            {
                "name": "Guide des matières premières",
                "group_id": cls.group.id,
                "date_due": fields.Date.today() + timedelta(days=60),
                "state": "in_progress",
            }
        )
        cls.deliverable.attachment_id = cls._attachment("guide-matieres.pdf", cls.deliverable)
        cls.other_deliverable = Deliverable.create(
            {"name": "Livrable secret du voisin", "group_id": cls.other_group.id}
        )
        cls.other_deliverable.attachment_id = cls._attachment(
            "livrable-secret.pdf", cls.other_deliverable
        )
        cls.group_meeting = Meeting.create(
            {
                "name": "Atelier biodiversité",
                "club_id": cls.club.id,
                "group_id": cls.group.id,
                "start": now - timedelta(days=5),
                "state": "held",
                "minutes": "<p>Notes internes du groupe biodiversité.</p>",
            }
        )
        cls.group_document = cls._attachment("atelier-interne.pdf", cls.group_meeting)
        cls.group_meeting.attachment_ids = cls.group_document
        # another network
        cls.company2 = env["res.company"].create({"name": "Réseau Voisin (club test)"})
        cls.foreign_club = env["ess.club"].create(
            {"name": "Club d'un autre réseau", "company_id": cls.company2.id}
        )
        cls.foreign_meeting = Meeting.create(
            {
                "name": "Rencontre d'un autre réseau",
                "club_id": cls.foreign_club.id,
                "start": now + timedelta(days=10),
            }
        )

    @classmethod
    def _attachment(cls, name, record):
        return cls.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n"),
                "res_model": record._name,
                "res_id": record.id,
            }
        )

    def _snapshot(self):
        registrations = self.env["ess.club.registration"].sudo().with_context(active_test=False)
        return sorted(
            registrations.search([]).read(["meeting_id", "person_id", "partner_id", "state"]),
            key=lambda values: values["id"],
        )

    def _registration(self, meeting, person):
        return self.env["ess.club.registration"].search(
            [("meeting_id", "=", meeting.id), ("person_id", "=", person.id)]
        )

    def _meeting_url(self, meeting):
        return f"/my/clubs/meeting/{meeting.id}"


@tagged("post_install", "-at_install")
class TestClubPortal(ClubPortalCase):
    """What a member reads of the clubs, their meetings and working groups,
    and how it registers and unregisters; what it must never read."""

    # ------------------------------------------------------------------ pages
    def test_home_cards_count_clubs_and_groups(self):
        self._login()
        self.assertEqual(
            self.make_jsonrpc_request(
                "/my/counters", {"counters": ["ess_club_count", "ess_club_group_count"]}
            ),
            {
                # the active clubs of the network (the demo's too), not another network's
                "ess_club_count": self.env["ess.club"].search_count(
                    [("company_id", "=", self.env.company.id)]
                ),
                "ess_club_group_count": 1,
            },
        )
        page = self.url_open("/my").text
        self.assertIn('href="/my/clubs"', page)
        self.assertIn('href="/my/groups"', page)

    def test_clubs_list_shows_the_network_clubs(self):
        self._login()
        response = self.url_open("/my/clubs")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Club RSE du cluster (test)", page)
        self.assertIn("Mutuelle Partenaire du Club", page)
        self.assertIn("Gouvernance (club test)", page)
        # the next meeting: the planned one, not the cancelled one
        self.assertIn(self._meeting_url(self.planned), page)
        self.assertNotIn("Rencontre annulée", page)
        # another network's club is not listed
        self.assertNotIn("Club d'un autre réseau", page)

    def test_club_page(self):
        self._login()
        response = self.url_open(f"/my/clubs/{self.club.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        for text in (
            "Partager nos pratiques",
            "Trois rencontres par an",
            "Mutuelle Partenaire du Club",
            "Mutuelle Voisine Secrète",  # a member organisation: its name only
            "Indicateurs de gouvernance",
            "Salle du Conseil, Nantes",
            "Capital humain",
        ):
            self.assertIn(text, page)
        # 3 seats, one taken
        self.assertRegex(page, r'o_ess_club_seats_left">2</span>')
        # no person of another organisation, no working group meeting
        self.assertNotIn(self.other_user.partner_id.name, page)
        self.assertNotIn("Atelier biodiversité", page)

    def test_meeting_page_shows_own_registrations_only(self):
        self._registration_for(self.planned, self.colleague)
        self._login()
        page = self.url_open(self._meeting_url(self.planned)).text
        self.assertIn("Indicateurs de gouvernance", page)
        self.assertIn("Tour de table", page)
        self.assertIn("Camille Collègue", page)
        self.assertIn('o_ess_club_seats_left">1</span>', page)
        self.assertNotIn(self.other_user.partner_id.name, page)
        self.assertNotIn("Sacha Étranger", page)
        # the other organisation sees its own registration, not ours
        self._login(self.other_user)
        page = self.url_open(self._meeting_url(self.planned)).text
        self.assertIn(self.other_user.partner_id.name, page)
        self.assertNotIn("Camille Collègue", page)

    def _registration_for(self, meeting, person):
        return self.env["ess.club.registration"].create(
            {"meeting_id": meeting.id, "person_id": person.id}
        )

    def test_meeting_date_in_the_users_time_zone(self):
        self.user.tz = "Pacific/Auckland"  # never UTC's date and hour at once
        start = self.planned.start.replace(hour=20, minute=30, second=0)
        self.planned.start = start
        self._login()
        page = self.url_open(self._meeting_url(self.planned)).text
        self.assertIn(":30", page.split("o_ess_club_meeting_date")[1].split("</dd>")[0])
        self.assertNotIn("20:30", page.split("o_ess_club_meeting_date")[1].split("</dd>")[0])

    # ------------------------------------------------------------ registering
    def test_register_and_unregister(self):
        self._login()
        url = self._meeting_url(self.planned)
        response = self._post(f"{url}/register")
        self.assertEqual(response.status_code, 200)
        self.assertIn("saved=registered", response.url)
        registration = self._registration(self.planned, self.user.partner_id)
        self.assertEqual(registration.state, "registered")
        self.assertEqual(registration.partner_id, self.org)
        self.assertIn('o_ess_club_user_state">Registered', response.text)
        self.assertIn('o_ess_club_seats_left">1</span>', response.text)
        response = self._post(f"{url}/unregister")
        self.assertIn("saved=unregistered", response.url)
        self.assertEqual(registration.state, "cancelled")
        self.assertIn('o_ess_club_seats_left">2</span>', response.text)
        # and a colleague of the organisation
        response = self._post(f"{url}/register", person_id=str(self.colleague.id))
        self.assertIn("saved=registered", response.url)
        self.assertEqual(self._registration(self.planned, self.colleague).state, "registered")
        self.assertIn("Camille Collègue", response.text)

    def test_register_past_capacity_is_refused(self):
        self._registration_for(self.planned, self.colleague)
        self._registration_for(self.planned, self.stranger)
        self._login()
        before = self._snapshot()
        response = self._post(f"{self._meeting_url(self.planned)}/register")
        self.assertRefused(response, "full", before)

    def test_register_to_a_past_or_cancelled_meeting_is_refused(self):
        past = self.planned.copy({"start": fields.Datetime.now() - timedelta(days=1)})
        self._login()
        for meeting in (past, self.cancelled, self.held):
            with self.subTest(meeting=meeting.name):
                before = self._snapshot()
                response = self._post(f"{self._meeting_url(meeting)}/register")
                self.assertEqual(response.status_code, 400)
                self.assertIn("Nothing was saved.", response.text)
                self.assertEqual(self._snapshot(), before)

    def test_unregister_without_registration_is_refused(self):
        self._login()
        before = self._snapshot()
        response = self._post(f"{self._meeting_url(self.planned)}/unregister")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Nothing was saved.", response.text)
        self.assertEqual(self._snapshot(), before)

    def test_forged_meetings_are_not_found(self):
        self._login()
        before = self._snapshot()
        with mute_logger("odoo.http", "werkzeug"):
            for url in (
                self._meeting_url(self.foreign_meeting),
                "/my/clubs/meeting/999999999",
                "/my/clubs/meeting/abc",
                f"/my/clubs/{self.foreign_club.id}",
                "/my/clubs/999999999",
            ):
                with self.subTest(url=url):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn("autre réseau", response.text)
                for action in ("register", "unregister"):
                    for meeting in (self.foreign_meeting.id, 999999999, "abc"):
                        response = self._post(f"/my/clubs/meeting/{meeting}/{action}")
                        self.assertEqual(response.status_code, 404)
            # GET instead of POST
            response = self.url_open(f"{self._meeting_url(self.planned)}/register")
            self.assertEqual(response.status_code, 405)
            # POST without the CSRF token
            response = self.url_open(
                f"{self._meeting_url(self.planned)}/register", data={"person_id": ""}
            )
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self._snapshot(), before)

    def test_forged_persons_are_refused(self):
        self._login()
        url = f"{self._meeting_url(self.planned)}/register"
        for person_id in (
            str(self.stranger.id),
            str(self.other_user.partner_id.id),
            str(self.other_org.id),
            str(self.org.id),  # the organisation, not a person
            "999999999",
            "abc",
            "-1",
        ):
            with self.subTest(person_id=person_id):
                before = self._snapshot()
                response = self._post(url, person_id=person_id)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Nothing was saved.", response.text)
                self.assertEqual(self._snapshot(), before)
        # nor can another organisation's person be unregistered
        before = self._snapshot()
        response = self._post(
            f"{self._meeting_url(self.planned)}/unregister",
            person_id=str(self.other_user.partner_id.id),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose a person of your organisation.", response.text)
        self.assertEqual(self.other_registration.state, "registered")
        self.assertEqual(self._snapshot(), before)

    def test_rpc_on_registrations_is_refused(self):
        self._login()
        person = self.user.partner_id.id
        self.assertRpcRefused(
            [
                (
                    "ess.club.registration",
                    "create",
                    [{"meeting_id": self.planned.id, "person_id": person}],
                ),
                (
                    "ess.club.registration",
                    "write",
                    [self.other_registration.ids, {"state": "cancelled"}],
                ),
                ("ess.club.registration", "unlink", [self.other_registration.ids]),
                ("ess.club.meeting", "write", [self.planned.ids, {"capacity": 100}]),
                ("ess.club.meeting", "_register_person", [self.planned.ids, person, self.user.id]),
            ]
        )
        # reading another organisation's registration is refused too
        with mute_logger("odoo.http"):
            records = self._call_kw(
                "ess.club.registration",
                "search_read",
                [[("meeting_id", "=", self.planned.id)], ["person_id"]],
            )
        self.assertEqual(records, [])

    # -------------------------------------------------------------- documents
    def test_meeting_documents_once_held(self):
        self._login()
        page = self.url_open(self._meeting_url(self.held)).text
        self.assertIn("Compte rendu de la rencontre capital humain.", page)
        document_url = f"{self._meeting_url(self.held)}/document/{self.held_document.id}"
        self.assertIn(document_url, page)
        response = self.url_open(document_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"capital-humain.pdf", response.content)
        with mute_logger("odoo.http", "werkzeug"):
            # a document of another meeting, through this one; a planned meeting's
            for url in (
                f"{self._meeting_url(self.held)}/document/{self.group_document.id}",
                f"{self._meeting_url(self.planned)}/document/{self.held_document.id}",
                f"{self._meeting_url(self.foreign_meeting)}/document/{self.held_document.id}",
            ):
                with self.subTest(url=url):
                    self.assertEqual(self.url_open(url).status_code, 404)

    def test_working_group_meeting_documents_for_its_members_only(self):
        # ``other_org`` takes no part in the group
        self.group.participant_ids = self.user.partner_id
        url = self._meeting_url(self.group_meeting)
        document_url = f"{url}/document/{self.group_document.id}"
        self._login()
        page = self.url_open(url).text
        self.assertIn("Notes internes du groupe biodiversité.", page)
        self.assertEqual(self.url_open(document_url).status_code, 200)
        self._login(self.other_user)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Notes internes", response.text)
        self.assertNotIn("atelier-interne.pdf", response.text)
        with mute_logger("odoo.http", "werkzeug"):
            self.assertEqual(self.url_open(document_url).status_code, 404)

    # --------------------------------------------------------- working groups
    def test_groups_of_the_organisation_only(self):
        self._login()
        page = self.url_open("/my/groups").text
        self.assertIn("Impact biodiversité des matières premières", page)
        self.assertNotIn("Groupe secret du voisin", page)
        response = self.url_open(f"/my/groups/{self.group.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Marie Membre", page)
        self.assertNotIn("Sacha Étranger", page)  # another organisation's participant
        self.assertIn("Guide des matières premières", page)
        self.assertIn("Atelier biodiversité", page)
        document_url = f"/my/groups/deliverable/{self.deliverable.id}/document"
        self.assertIn(document_url, page)
        response = self.url_open(document_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"guide-matieres.pdf", response.content)
        with mute_logger("odoo.http", "werkzeug"):
            for url in (
                f"/my/groups/{self.other_group.id}",
                "/my/groups/999999999",
                "/my/groups/abc",
                f"/my/groups/deliverable/{self.other_deliverable.id}/document",
                "/my/groups/deliverable/999999999/document",
            ):
                with self.subTest(url=url):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn("secret", response.text)
        # and over RPC
        with mute_logger("odoo.http"):
            groups = self._call_kw("ess.club.group", "search_read", [[], ["name"]])
            deliverables = self._call_kw("ess.club.deliverable", "search_read", [[], ["name"]])
        self.assertEqual([g["name"] for g in groups], [self.group.name])
        self.assertEqual([d["name"] for d in deliverables], [self.deliverable.name])


@tagged("post_install", "-at_install")
class TestClubPortalQueries(ClubPortalCase):
    """The club's page and a meeting's page read the same number of queries
    with N and 3N meetings and registrations."""

    def _add(self, count):
        Meeting = self.env["ess.club.meeting"]
        Registration = self.env["ess.club.registration"]
        Partner = self.env["res.partner"]
        now = fields.Datetime.now()
        self.planned.capacity = 0  # no limit
        for index in range(count):
            host = Partner.create({"name": f"Hôte {index} ({now})", "is_company": True})
            for days in (index + 1, -index - 40):
                meeting = Meeting.create(
                    {
                        "name": f"Rencontre {days}",
                        "club_id": self.club.id,
                        "host_partner_id": host.id,
                        "start": now + timedelta(days=days),
                        "state": "planned" if days > 0 else "held",
                        "capacity": 50,
                        "keyword_ids": [Command.set(self.keyword.ids)],
                    }
                )
                Registration.create({"meeting_id": meeting.id, "person_id": self.stranger.id})
            person = Partner.create({"name": f"Personne {index} {now}", "parent_id": self.org.id})
            Registration.create({"meeting_id": self.planned.id, "person_id": person.id})
            other = Partner.create(
                {"name": f"Voisin {index} {now}", "parent_id": self.other_org.id}
            )
            Registration.create({"meeting_id": self.planned.id, "person_id": other.id})
        self.env.flush_all()

    @warmup
    def test_page_queries_do_not_grow(self):
        self._login()
        self.url_open("/my")  # the first request of a session logs its device
        club_url = f"/my/clubs/{self.club.id}"
        meeting_url = self._meeting_url(self.planned)
        self._add(3)
        self.url_open(club_url)
        self.url_open(meeting_url)
        club_few = self._page_queries(club_url, CLUB_PAGE_QUERIES)
        meeting_few = self._page_queries(meeting_url, MEETING_PAGE_QUERIES)
        self._add(6)
        self.url_open(club_url)
        self.url_open(meeting_url)
        club_many = self._page_queries(club_url, CLUB_PAGE_QUERIES)
        meeting_many = self._page_queries(meeting_url, MEETING_PAGE_QUERIES)
        self.assertLessEqual(club_many, club_few)
        self.assertLessEqual(meeting_many, meeting_few)
