import re

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_guide_portal import GuidePortalCase

ACTION_FIELDS = ["name", "active", "progress", "state", "pilot_id", "budget", "date_deadline"]


class ActionPortalCase(GuidePortalCase):
    """The guide portal's two organisations, each with a guide year and an
    action; ``org`` also has a second pilot, and the network a staff member
    who follows ``org``'s guide."""

    login_prefix = "actions"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env,
            "actions_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Staff",
        )
        cls.guide.with_context(tracking_disable=True).user_id = cls.staff
        cls.other_pilot = cls.env["res.partner"].create(
            {"name": "Victor Voisin", "parent_id": cls.other_org.id}
        )

    def _snapshot(self):
        """Every action of both organisations (archived too), with what a
        member could change in them, and their chatter."""
        self.env.invalidate_all()
        actions = (
            self.env["ess.action"]
            .with_context(active_test=False)
            .search([("partner_id", "in", (self.org | self.other_org).ids)], order="id")
        )
        return (
            actions.read(ACTION_FIELDS),
            len(actions.message_ids),
            super()._snapshot(),
        )

    def _new(self, **data):
        values = {
            "name": "Former les salariés à la RSE",
            "pilot_id": str(self.pilot.id),
            "guide_year_id": str(self.guide.id),
            "theme_id": "",
            "question_id": str(self.question_number.id),
            "date_start": "2025-03-01",
            "date_deadline": "2025-12-31",
            "budget": "1 500,50",
            "description": "Deux sessions d'une journée.\nAvec un organisme agréé.",
        }
        values.update(data)
        return self._post("/my/actions/new", **{k: v for k, v in values.items() if v is not None})

    def _new_actions(self):
        return self.env["ess.action"].search(
            [("partner_id", "=", self.org.id), ("id", "!=", self.action.id)]
        )


@tagged("post_install", "-at_install")
class TestActionPortal(ActionPortalCase):
    # ------------------------------------------------------------------ create
    def test_member_creates_an_action(self):
        self._login()
        page = self.url_open("/my/actions").text
        self.assertIn('href="/my/actions/new"', page)
        page = self.url_open(f"/my/guide/{self.guide.id}").text
        self.assertIn(f'href="/my/actions/new?guide_year_id={self.guide.id}"', page)

        response = self.url_open(f"/my/actions/new?guide_year_id={self.guide.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Paula Pilote", page)
        self.assertIn("Marie Membre", page)
        self.assertNotIn("Victor Voisin", page)
        self.assertNotIn("Olivier Voisin", page)
        guide_select = re.search(r'<select id="o_ess_new_guide_year_id".*?</select>', page, re.S)
        self.assertIn(f'<option value="{self.guide.id}" selected', guide_select.group(0))
        self.assertNotIn(f'value="{self.other_guide.id}"', guide_select.group(0))
        self.assertIn("Pourcentage d&#39;admin ayant reçu une formation", page)

        response = self._new()
        action = self._new_actions()
        self.assertEqual(len(action), 1)
        self.assertTrue(response.url.endswith(f"/my/actions/{action.id}?created=1"), response.url)
        self.assertIn("The action is added to your action plan.", response.text)
        self.assertEqual(action.name, "Former les salariés à la RSE")
        self.assertEqual(action.pilot_id, self.pilot)
        self.assertEqual(action.guide_year_id, self.guide)
        self.assertEqual(action.question_id, self.question_number)
        self.assertEqual(action.theme_id, self.theme_1)
        self.assertEqual(str(action.date_start), "2025-03-01")
        self.assertEqual(str(action.date_deadline), "2025-12-31")
        self.assertEqual(action.budget, 1500.5)
        self.assertIn("Avec un organisme agréé.", action.description)
        self.assertEqual((action.state, action.origin, action.progress), ("todo", "guide", 0))
        # followed by the staff member who follows the guide
        self.assertEqual(action.user_id, self.staff)

        # in the member's list
        self.assertIn("Former les salariés à la RSE", self.url_open("/my/actions").text)
        # the network's staff see it in the back end, with its story
        action_staff = action.with_user(self.staff)
        self.assertEqual(action_staff.partner_id, self.org)
        message = action_staff.message_ids.filtered(
            lambda m: "Created through the portal by Marie Membre" in m.body
        )
        self.assertEqual(message.author_id, self.user.partner_id)
        self.assertEqual(len(action_staff.message_ids), 1)

    def test_member_creates_an_action_outside_the_guide(self):
        self._login()
        self._new(
            name="Changer de fournisseur d'énergie",
            guide_year_id="",
            question_id="",
            budget="",
            date_start="",
            description="",
        )
        action = self._new_actions()
        self.assertEqual(len(action), 1)
        self.assertFalse(action.guide_year_id)
        self.assertEqual((action.origin, action.budget), ("other", 0.0))
        self.assertFalse(action.description)
        # a theme of the guide, without a question
        self._new(name="Action de thème", question_id="", theme_id=str(self.theme_8.id))
        action = self._new_actions().filtered(lambda a: a.name == "Action de thème")
        self.assertEqual(
            (action.theme_id, action.question_id), (self.theme_8, self.env["ess.guide.question"])
        )

    def test_bad_input_writes_nothing(self):
        self._login()
        before = self._snapshot()
        for data, field, message in [
            ({"name": "Former\x00les salariés"}, "name", "A single line is expected"),
            ({"name": "  "}, "name", "Give the action a name."),
            ({"name": "x" * 201}, "name", "At most 200 characters."),
            ({"budget": "-20"}, "budget", "A budget cannot be negative."),
            ({"budget": "beaucoup"}, "budget", "Enter a number, for example 12.5."),
            ({"date_deadline": "31/02/2025"}, "date_deadline", "is not a date"),
            ({"date_deadline": ""}, "date_deadline", "Give the action a deadline."),
            ({"date_start": "demain"}, "date_start", "is not a date"),
            (
                {"date_start": "2026-01-01"},
                "date_deadline",
                "The deadline of an action cannot precede its start.",
            ),
            ({"pilot_id": ""}, "pilot_id", "Choose who pilots the action."),
            ({"pilot_id": "abc"}, "pilot_id", "Choose the pilot among the people"),
            ({"description": "Un\x00texte"}, "description", "control characters"),
            ({"partner_id": str(self.other_org.id)}, "form", "not part of it"),
        ]:
            with self.subTest(data=str(data)[:60]):
                response = self._new(**data)
                self.assertRefused(response, message, before)
                if field != "form":
                    self.assertIn(f'id="o_ess_new_{field}_error"', response.text)
                # what was typed is shown again
                if not set(data) & {"name", "description"}:
                    self.assertIn("Deux sessions d&#39;une journée.", response.text)
                self.assertNotIn("\x00", response.text)

    def test_forged_links_are_refused(self):
        """Another organisation's pilot, guide year or question, a theme set
        aside, a closed guide year: refused, nothing written."""
        theme_line_8 = self.theme_line_8
        theme_line_8.write({"decision": "not_retained", "reason": "Déjà couvert."})
        self.line_text.write({"retained": False, "reason": "Non traité."})
        closed = self.env["ess.guide.year"].create(
            {"partner_id": self.org.id, "year": 2024, "state": "closed"}
        )
        self._login()
        page = self.url_open("/my/actions/new").text
        guide_select = re.search(r'<select id="o_ess_new_guide_year_id".*?</select>', page, re.S)
        self.assertNotIn(f'value="{closed.id}"', guide_select.group(0))
        before = self._snapshot()
        for data, message in [
            ({"pilot_id": str(self.other_pilot.id)}, "Choose the pilot among the people"),
            ({"pilot_id": str(self.other_user.partner_id.id)}, "Choose the pilot among the people"),
            ({"pilot_id": str(self.org.id)}, "Choose the pilot among the people"),
            ({"guide_year_id": str(self.other_guide.id)}, "guide years that is not closed"),
            ({"guide_year_id": str(closed.id)}, "guide years that is not closed"),
            (
                {"guide_year_id": "", "question_id": str(self.question_number.id)},
                "Choose the guide year",
            ),
            ({"question_id": str(self.question_text.id)}, "this guide year works on"),
            ({"question_id": "", "theme_id": str(self.theme_8.id)}, "Choose a theme of this guide"),
            (
                {"theme_id": str(self.env.ref("ess_network.ess_guide_theme_2").id)},
                "belongs to another theme than the one chosen",
            ),
            ({"question_id": "999999999"}, "this guide year works on"),
            ({"pilot_id": [str(self.pilot.id), str(self.other_pilot.id)]}, "Choose the pilot"),
        ]:
            with self.subTest(data=str(data)[:70]):
                self.assertRefused(self._new(**data), message, before)

    def test_other_organisation_cannot_create_in_org(self):
        """The other organisation's user naming ``org``'s pilot and guide:
        refused; what it creates goes to its own plan only."""
        self._login(self.other_user)
        before = self._snapshot()
        self.assertRefused(self._new(), "Choose the pilot among the people", before)
        self.assertRefused(
            self._new(pilot_id=str(self.other_pilot.id)),
            "guide years that is not closed",
            before,
        )
        self._new(
            pilot_id=str(self.other_pilot.id),
            guide_year_id=str(self.other_guide.id),
            name="Action de la voisine",
        )
        created = self.env["ess.action"].search([("name", "=", "Action de la voisine")])
        self.assertEqual(created.partner_id, self.other_org)
        self.assertEqual(created.guide_year_id, self.other_guide)

    def test_portal_create_checks_the_organisation(self):
        """Even a caller that skipped the controller cannot create an action
        with another organisation's records, nor as a non-member."""
        Action = self.env["ess.action"]
        before = self._snapshot()
        vals = {
            "name": "Forgée",
            "pilot_id": self.pilot.id,
            "guide_year_id": self.guide.id,
            "question_id": self.question_number.id,
            "date_deadline": "2025-12-31",
            "budget": 0.0,
        }
        action, errors = Action._portal_create(vals, self.other_user)
        self.assertFalse(action)
        self.assertEqual(set(errors), {"pilot_id", "guide_year_id"})
        with self.assertRaises(AccessError):
            Action._portal_create({**vals, "partner_id": self.org.id}, self.user)
        with self.assertRaises(AccessError):
            Action._portal_create(vals, self.staff)
        self.assertEqual(self._snapshot(), before)

    def test_rpc_cannot_create_nor_archive(self):
        vals = {"name": "Par RPC", "partner_id": self.org.id, "pilot_id": self.pilot.id}
        before_ids = self.action.ids
        for user in (self.other_user, self.user):
            with self.subTest(user=user.login):
                self._login(user)
                self.assertRpcRefused(
                    [
                        ("ess.action", "create", [vals]),
                        ("ess.action", "write", [before_ids, {"active": False}]),
                        ("ess.action", "action_archive", [before_ids]),
                        ("ess.action", "unlink", [before_ids]),
                        ("ess.action", "_portal_create", [vals, user.id]),
                        ("ess.action", "_portal_archive", [before_ids, "RPC", user.id]),
                    ]
                )

    def test_no_new_action_for_staff(self):
        """A staff member has no organisation's plan to add to on the portal."""
        self.authenticate(self.staff.login, self.staff.login)
        response = self.url_open("/my/actions/new")
        self.assertTrue(response.url.endswith("/my/actions"), response.url)
        self.assertNotIn('href="/my/actions/new"', response.text)

    # ----------------------------------------------------------------- archive
    def _archive(self, action, reason="Remplacée par la formation collective."):
        return self._post(f"/my/actions/{action.id}/archive", archive_reason=reason)

    def test_archive_and_bring_back(self):
        self._login()
        page = self.url_open(f"/my/actions/{self.action.id}").text
        self.assertIn("o_ess_action_archive_modal", page)
        response = self._archive(self.action)
        self.assertTrue(response.url.endswith("/my/actions?archived=1"), response.url)
        self.assertIn("The action is archived", response.text)
        self.assertNotIn("Former les administrateurs", response.text)
        self.env.invalidate_all()
        self.assertFalse(self.action.active)
        self.assertTrue(self.action.exists())
        message = self.action.message_ids[0]
        self.assertIn("Archived from the portal by Marie Membre.", message.body)
        self.assertIn("Remplacée par la formation collective.", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        self.assertEqual(message.tracking_value_ids.field_id.name, "active")

        # the archived filter lists it; its page says so and no longer changes
        page = self.url_open("/my/actions?filterby=archived").text
        self.assertIn("Former les administrateurs", page)
        page = self.url_open(f"/my/actions/{self.action.id}").text
        self.assertIn("This action is archived", page)
        self.assertNotIn("o_ess_action_form", page)
        self.assertNotIn("o_ess_action_archive_modal", page)
        before = self._snapshot()
        response = self._post(f"/my/actions/{self.action.id}/progress", progress="50")
        self.assertRefused(response, "This action is archived", before)

        response = self._post(f"/my/actions/{self.action.id}/unarchive")
        self.assertTrue(response.url.endswith(f"/my/actions/{self.action.id}?restored=1"))
        self.assertIn("The action is back in your action plan.", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.action.active)
        self.assertIn("Brought back into the action plan", self.action.message_ids[0].body)

    def test_archive_needs_a_reason(self):
        self._login()
        before = self._snapshot()
        for reason, message in [
            ("", "Say why the action is archived."),
            ("  \u200b ", "Say why the action is archived."),
            ("Raison\x00", "control characters"),
            ("x" * 1001, "At most 1000 characters."),
        ]:
            with self.subTest(reason=reason[:10]):
                self.assertRefused(self._archive(self.action, reason), message, before)

    def test_other_organisation_cannot_archive(self):
        self._login(self.other_user)
        before = self._snapshot()
        for url in (
            f"/my/actions/{self.action.id}/archive",
            f"/my/actions/{self.action.id}/unarchive",
        ):
            with self.subTest(url=url):
                response = self._post(url, archive_reason="Forgé")
                self.assertTrue(response.url.endswith("/my"), response.url)
                self.assertEqual(self._snapshot(), before)
        with self.assertRaises(AccessError):
            self.action.sudo()._portal_archive("Forgé", self.other_user)
        self.action.active = False
        with self.assertRaises(AccessError):
            self.action.sudo()._portal_unarchive(self.other_user)
        self.assertFalse(self.action.active)

    def test_closed_guide_action_cannot_be_archived(self):
        self.guide.state = "closed"
        self._login()
        page = self.url_open(f"/my/actions/{self.action.id}").text
        self.assertNotIn("o_ess_action_archive_modal", page)
        before = self._snapshot()
        response = self._archive(self.action)
        self.assertRefused(response, "The guide of this action is closed", before)


@tagged("post_install", "-at_install")
class TestActionPortalTour(ActionPortalCase):
    """A member adds an action and archives another, in a browser."""

    def test_member_adds_an_action_and_archives_another(self):
        self.start_tour("/my", "ess_action_portal_tour", login=self.user.login)

        self.env.invalidate_all()
        action = self._new_actions()
        self.assertEqual(len(action), 1)
        self.assertEqual(action.name, "Former les salariés à la RSE")
        self.assertEqual((action.pilot_id, action.guide_year_id), (self.pilot, self.guide))
        self.assertEqual(action.question_id, self.question_number)
        self.assertEqual(
            (str(action.date_start), str(action.date_deadline)), ("2025-03-01", "2025-12-31")
        )
        self.assertEqual(action.budget, 1500.0)
        self.assertFalse(self.action.active)
        self.assertIn("Remplacée par la formation des salariés.", self.action.message_ids[0].body)
        # the other organisation's plan is untouched
        self.assertTrue(self.other_action.active)
        self.assertEqual(
            self.env["ess.action"].search_count([("partner_id", "=", self.other_org.id)]), 1
        )
