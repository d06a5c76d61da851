from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestAction(EssNetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guide = cls.env["ess.guide.year"].create({"partner_id": cls.org.id, "year": 2026})
        cls.question = cls.env.ref("ess_network.ess_guide_question_1_3_2")
        cls.today = fields.Date.context_today(cls.env["ess.action"])
        cls.Action = cls.env["ess.action"].with_user(cls.staff)

    def _action(self, **vals):
        return self.Action.create(
            {"name": "Former les administrateurs", "partner_id": self.org.id, **vals}
        )

    def test_form_links_an_action_to_the_guide(self):
        form = Form(self.Action.with_context(default_partner_id=self.org.id))
        form.name = "Former les administrateurs"
        form.guide_year_id = self.guide
        form.question_id = self.question
        self.assertEqual(form.domain_id, self.question.domain_id)
        self.assertEqual(form.theme_id, self.env.ref("ess_network.ess_guide_theme_1"))
        form.pilot_id = self.org_contact
        form.budget = 1500
        form.date_deadline = self.today + timedelta(days=90)
        action = form.save()
        self.assertEqual(action.origin, "guide")
        self.assertEqual(action.user_id, self.staff)
        self.assertEqual(self.guide.action_count, 1)

    def test_reference_follows_the_question(self):
        action = self._action(question_id=self.question.id)
        self.assertEqual(action.domain_id, self.question.domain_id)
        self.assertEqual(action.theme_id, self.question.theme_id)

    def test_theme_follows_the_domain_written(self):
        action = self._action(question_id=self.question.id)
        domain = self.env.ref("ess_network.ess_guide_domain_2_1")
        action.write({"domain_id": domain.id, "theme_id": self.question.theme_id.id})
        self.assertEqual(action.theme_id, domain.theme_id, "the domain decides the theme")
        action.write({"question_id": self.question.id})
        self.assertEqual(action.domain_id, self.question.domain_id)
        self.assertEqual(action.theme_id, self.question.theme_id)

    def test_progress_and_status(self):
        action = self._action()
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            action.progress = 150
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            action.progress = -5
        action.write({"state": "in_progress", "progress": 40})
        self.assertEqual(action.state, "in_progress")
        action.progress = 100
        self.assertEqual(action.state, "done", "an action at 100 % is done")
        other = self._action(state="done")
        self.assertEqual(other.progress, 100, "a done action is at 100 %")

    def test_consistency_rules(self):
        with self.assertRaisesRegex(ValidationError, "budget cannot be negative"):
            self._action(budget=-1)
        with self.assertRaisesRegex(ValidationError, "same organisation"):
            self._action(partner_id=self.other_org.id, guide_year_id=self.guide.id)
        stranger = self.env["res.partner"].create(
            {"name": "Personne extérieure", "parent_id": self.other_org.id}
        )
        with self.assertRaisesRegex(ValidationError, "person of the organisation"):
            self._action(pilot_id=stranger.id)
        with self.assertRaisesRegex(ValidationError, "cannot precede its start"):
            self._action(date_start=self.today, date_deadline=self.today - timedelta(days=1))

    def test_late_actions(self):
        late = self._action(date_deadline=self.today - timedelta(days=1))
        on_time = self._action(date_deadline=self.today + timedelta(days=1))
        done_late = self._action(date_deadline=self.today - timedelta(days=3), state="done")
        self.assertTrue(late.is_late)
        self.assertFalse(on_time.is_late or done_late.is_late)
        found = self.Action.search([("is_late", "=", True), ("partner_id", "=", self.org.id)])
        self.assertEqual(found, late)
        not_late = self.Action.search([("is_late", "=", False), ("partner_id", "=", self.org.id)])
        self.assertEqual(not_late, on_time | done_late)

    def test_actions_are_archived_not_deleted(self):
        action = self._action()
        with self.assertRaises(AccessError):
            action.unlink()
        action.active = False
        self.assertFalse(self.Action.search([("id", "=", action.id)]))

    def test_kanban_shows_every_status(self):
        self._action()
        groups = self.Action.read_group([("partner_id", "=", self.org.id)], ["state"], ["state"])
        self.assertEqual([g["state"] for g in groups], ["todo", "in_progress", "done", "cancelled"])

    def test_deadline_reminders(self):
        pilot_user = self._portal_user("ess_pilot", "Pierre Pilote", self.org)
        pilot_user.partner_id.email = "pierre@test-solidaire.example"
        soon = self._action(
            pilot_id=pilot_user.partner_id.id, date_deadline=self.today + timedelta(days=10)
        )
        internal_pilot = self.env["res.partner"].create(
            {"name": "Interne", "parent_id": self.org.id}
        )
        self.admin.partner_id.parent_id = self.org
        soon_internal = self._action(
            pilot_id=self.admin.partner_id.id, date_deadline=self.today + timedelta(days=3)
        )
        later = self._action(
            pilot_id=internal_pilot.id, date_deadline=self.today + timedelta(days=60)
        )
        done = self._action(date_deadline=self.today + timedelta(days=2), state="done")
        activity_type = self.env.ref("ess_network.mail_activity_type_action_deadline")

        reminded = self.env["ess.action"]._cron_remind_deadlines()

        self.assertEqual(reminded & (soon | soon_internal | later | done), soon | soon_internal)
        activity = soon.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(activity.user_id, self.staff, "a portal pilot's action goes to staff")
        self.assertEqual(activity.date_deadline, soon.date_deadline)
        mail = soon.message_ids.filtered(lambda m: pilot_user.partner_id in m.partner_ids)
        self.assertEqual(len(mail), 1)
        self.assertIn("arrive à échéance", mail.body)
        activity = soon_internal.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activity.user_id, self.admin, "an internal pilot is reminded directly")
        self.assertFalse(later.activity_ids or done.activity_ids)
        self.assertEqual(soon.reminder_date, self.today)

        self.assertFalse(
            self.env["ess.action"]._cron_remind_deadlines() & soon, "reminded once per deadline"
        )
        soon.date_deadline = self.today + timedelta(days=5)
        self.assertFalse(soon.reminder_date, "a new deadline will be reminded again")
        self.assertIn(soon, self.env["ess.action"]._cron_remind_deadlines())

    def test_deadline_reminders_in_batches_of_constant_queries(self):
        """The scheduled action handles one batch per call (the scheduler
        calls it again while some remain), and a batch of 8 costs the
        queries of a batch of 2: activities planned together, e-mails
        rendered together."""
        pilots = [
            self._portal_user(f"ess_pilot_{index}", f"Pilote {index}", self.org)
            for index in range(3)
        ]
        for index, pilot in enumerate(pilots):
            pilot.partner_id.email = f"pilote{index}@test-solidaire.example"
        actions = self.env["ess.action"]
        for index in range(14):
            actions |= self._action(
                pilot_id=pilots[index % 3].partner_id.id,
                date_deadline=self.today + timedelta(days=1 + index % 5),
            )
        cron = self.env.ref("ess_network.ess_action_cron_remind_deadlines")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        in_job = self.env["ess.action"].with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(len(in_job._cron_remind_deadlines(batch_size=2)), 2)
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        self.assertEqual(len(in_job._cron_remind_deadlines(batch_size=2)), 2)
        self.env.flush_all()
        small = self.cr.sql_log_count - queries
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            reminded = in_job._cron_remind_deadlines(batch_size=8)
            self.env.flush_all()
        self.assertEqual(len(reminded), 8)
        # the two left of the fourteen (and the demo's, if any)
        self.assertGreaterEqual(progress.remaining, 2, "the scheduler is told what remains")
        self.assertEqual(len(actions.filtered("reminder_date")), 12)
        mails = self.env["mail.mail"].search(
            [("model", "=", "ess.action"), ("res_id", "in", reminded.ids)]
        )
        self.assertEqual(len(mails), 8, "one e-mail per pilot's action")
        activity_type = self.env.ref("ess_network.mail_activity_type_action_deadline")
        self.assertEqual(
            len(reminded.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)), 8
        )

    def test_cron_is_scheduled(self):
        cron = self.env.ref("ess_network.ess_action_cron_remind_deadlines")
        self.assertTrue(cron.active)
        self.assertEqual(cron.code.strip(), "model._cron_remind_deadlines()")
