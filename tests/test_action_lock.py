from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import EssPortalCase


@tagged("post_install", "-at_install")
class TestActionLock(EssPortalCase):
    """The actions of a closed guide year are read-only like the year's
    lines, but for network administrators: in the back end and on the
    portal (``org``'s member ``user``)."""

    org_name = "Scop Année Close"
    login_prefix = "lock"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env, "lock_staff", groups="base.group_user,ess_network.group_ess_user"
        )
        cls.admin = new_test_user(
            cls.env, "lock_admin", groups="base.group_user,ess_network.group_ess_manager"
        )
        Guide = cls.env["ess.guide.year"]
        cls.closed = Guide.create({"partner_id": cls.org.id, "year": 2024, "state": "closed"})
        cls.open = Guide.create({"partner_id": cls.org.id, "year": 2025, "state": "in_progress"})
        Action = cls.env["ess.action"]
        cls.action = Action.create(
            {
                "name": "Former les élus",
                "partner_id": cls.org.id,
                "guide_year_id": cls.closed.id,
                "state": "in_progress",
                "progress": 40,
            }
        )
        cls.open_action = Action.create(
            {"name": "Publier les comptes", "partner_id": cls.org.id, "guide_year_id": cls.open.id}
        )
        cls.free_action = Action.create({"name": "Sans année", "partner_id": cls.org.id})

    def _snapshot(self):
        self.env.invalidate_all()
        actions = self.action | self.open_action | self.free_action
        return actions.read(["name", "progress", "state", "active", "guide_year_id"]), len(
            self.action.message_ids
        )

    # ---------------------------------------------------------------- back end
    def test_staff_cannot_change_the_actions_of_a_closed_year(self):
        before = self._snapshot()
        for action, vals in (
            (self.action, {"progress": 60}),
            (self.action, {"name": "Former tous les élus"}),
            (self.action, {"active": False}),
            (self.action, {"guide_year_id": self.open.id}),
            (self.action, {"guide_year_id": False}),
            (self.free_action, {"guide_year_id": self.closed.id}),
            (self.open_action, {"guide_year_id": self.closed.id}),
        ):
            with (
                self.subTest(action=action.name, vals=vals),
                self.assertRaisesRegex(UserError, "is closed"),
            ):
                action.with_user(self.staff).write(vals)
        with self.assertRaisesRegex(UserError, "is closed"):
            self.env["ess.action"].with_user(self.staff).create(
                {
                    "name": "Ajoutée après coup",
                    "partner_id": self.org.id,
                    "guide_year_id": self.closed.id,
                }
            )
        self.assertEqual(self._snapshot(), before)
        # the chatter stays open, and so do the other actions
        self.action.with_user(self.staff).message_post(body="Bilan fait en AG")
        self.open_action.with_user(self.staff).progress = 20
        self.free_action.with_user(self.staff).guide_year_id = self.open
        self.assertEqual(self.free_action.guide_year_id, self.open)

    def test_administrator_changes_the_actions_of_a_closed_year(self):
        self.action.with_user(self.admin).write({"progress": 60, "name": "Former tous les élus"})
        self.assertEqual((self.action.progress, self.action.name), (60, "Former tous les élus"))
        added = (
            self.env["ess.action"]
            .with_user(self.admin)
            .create(
                {"name": "Rattrapage", "partner_id": self.org.id, "guide_year_id": self.closed.id}
            )
        )
        self.assertEqual(added.guide_year_id, self.closed)
        self.free_action.with_user(self.admin).guide_year_id = self.closed
        self.assertEqual(self.free_action.guide_year_id, self.closed)

    def test_an_action_from_an_origin_skips_a_closed_year(self):
        """Staff turn a finding into an action even when the organisation's
        latest guide year is closed: the action then has no year."""
        self.open.state = "closed"
        assessment = self.env["ess.assessment"].create({"partner_id": self.org.id, "year": 2025})
        action = (
            self.env["ess.action"]
            .with_user(self.staff)
            ._create_from_origin(
                assessment,
                {"name": "Progresser", "partner_id": self.org.id, "origin": "self_assessment"},
                "Action créée depuis l'auto-évaluation.",
            )
        )
        self.assertFalse(action.guide_year_id)
        self.assertEqual(action.origin, "self_assessment")
        self.assertIn("Action créée depuis", assessment.message_ids[0].body)

    # ------------------------------------------------------------------ portal
    def _progress(self, action, **data):
        return self._post(f"/my/actions/{action.id}/progress", **data)

    def test_member_cannot_change_an_action_of_a_closed_year(self):
        self._login()
        response = self.url_open(f"/my/actions/{self.action.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("The guide of this action is closed", response.text)
        self.assertNotIn(f"/my/actions/{self.action.id}/progress", response.text)
        before = self._snapshot()
        response = self._progress(self.action, progress="60", state="in_progress", comment="Fait")
        self.assertRefused(response, "The guide of this action is closed", before)
        self.assertEqual(
            self.action.sudo()._portal_update_progress({"progress": 60}, "Fait", self.user),
            {"form": "The guide of this action is closed: the action can no longer be changed."},
        )
        self.assertEqual(self._snapshot(), before)
        # the action of the open year stays editable
        response = self.url_open(f"/my/actions/{self.open_action.id}")
        self.assertNotIn("The guide of this action is closed", response.text)
        self.assertIn(f"/my/actions/{self.open_action.id}/progress", response.text)
        response = self._progress(self.open_action, progress="60", state="in_progress")
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.open_action.progress, 60)
