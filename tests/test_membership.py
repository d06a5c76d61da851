from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PDF, EssNetworkCase


@tagged("post_install", "-at_install")
class TestMembershipLifecycle(EssNetworkCase):
    def test_request_starts_the_file(self):
        membership = self._new_request()
        self.assertEqual(membership.state, "request")
        self.assertEqual(membership.phase, "integration")
        self.assertTrue(membership.name.startswith("ADH/"))
        self.assertEqual(membership.user_id, self.staff)
        self.assertEqual(self.org.ess_member_state, "candidate")
        self.assertEqual(self.org.ess_membership_id, membership)
        # its checklist is a copy of the reference, phase by phase
        reference = self.env["ess.phase.item"].search([])
        self.assertEqual(len(membership.item_ids), len(reference))
        self.assertEqual(set(membership.integration_item_ids.mapped("phase")), {"integration"})
        # the next step is planned as an activity for the responsible
        activity = membership.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.staff)
        self.assertEqual(activity.summary, "Present the approach and the tools")

    def test_full_integration_to_member(self):
        membership = self._new_request()
        membership.action_presentation_done()
        self.assertEqual(membership.state, "presentation")
        self.assertEqual(membership.presented_by_id, self.staff)
        self.assertTrue(membership.presentation_date)

        self._decide(membership, deciding_body="board")
        self.assertEqual(membership.state, "validated")
        self.assertEqual(membership.deciding_body, "board")
        self.assertEqual(membership.decided_by_id, self.staff)
        # the welcome e-mail went to the contact person, from the template
        welcome = membership.message_ids.filtered(
            lambda m: m.message_type == "comment" and "Bienvenue" in (m.subject or "")
        )
        self.assertEqual(len(welcome), 1)
        self.assertIn(self.org_contact, welcome.partner_ids)

        action = membership.action_schedule_meeting()
        event = membership.meeting_event_id
        self.assertEqual(membership.state, "meeting")
        self.assertEqual(action["res_model"], "calendar.event")
        self.assertEqual(action["res_id"], event.id)
        self.assertIn(self.org_contact, event.partner_ids)
        self.assertIn(self.staff.partner_id, event.partner_ids)
        self.assertEqual(event.res_id, membership.id)
        self.assertEqual(event.res_model, "ess.membership")
        self.assertGreater(event.start, fields.Datetime.now())

        # the meeting has not taken place yet
        with self.assertRaisesRegex(UserError, "has not taken place yet"):
            membership.action_meeting_held()
        self._meeting_in_past(membership)
        membership.action_meeting_held()
        self.assertEqual(membership.state, "signature")
        self.assertTrue(membership.meeting_held_date)

        with self.assertRaisesRegex(UserError, "the signed Convention"):
            membership.action_confirm_member()
        today = fields.Date.context_today(membership)
        membership.write(
            {
                "convention_date": today,
                "convention_file": PDF,
                "charter_date": today,
                "charter_file": PDF,
            }
        )
        membership.action_confirm_member()
        self.assertEqual(membership.state, "member")
        self.assertEqual(membership.phase, "appropriation")
        self.assertEqual(membership.member_since, today)
        self.assertEqual(self.org.ess_member_state, "member")
        self.assertEqual(self.org.ess_phase, "appropriation")
        self.assertEqual(self.org.ess_member_since, today)
        # each step closed its activity and planned the next one
        self.assertEqual(len(membership.activity_ids), 1)
        self.assertEqual(membership.activity_ids.summary, "Appropriate the approach and the tools")

    def test_stage_history_is_tracked(self):
        membership = self._new_request()
        self.env.cr.flush()  # the request was recorded in an earlier transaction
        membership.action_presentation_done()
        self.env.cr.flush()  # tracking values are written by the pre-commit hooks
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "ess.membership"),
                ("mail_message_id.res_id", "=", membership.id),
                ("field_id.name", "=", "state"),
            ]
        )
        self.assertEqual(tracked.mapped("old_value_char"), ["Adhesion request"])
        self.assertEqual(tracked.mapped("new_value_char"), ["Approach presented"])

    def test_skipping_a_step_is_refused(self):
        membership = self._new_request()
        for state in ("validated", "meeting", "signature", "member"):
            with self.assertRaisesRegex(UserError, "cannot skip a step"):
                membership.write({"state": state})
        self.assertEqual(membership.state, "request")
        membership.action_presentation_done()
        # dropping the card into "Validated" does not replace the decision
        with self.assertRaisesRegex(UserError, "Decide button"):
            membership.write({"state": "validated"})
        with self.assertRaisesRegex(UserError, "cannot go back"):
            membership.write({"state": "request"})
        with self.assertRaisesRegex(UserError, "needs its reason"):
            membership.write({"state": "refused"})
        with self.assertRaisesRegex(UserError, "Withdraw button"):
            membership.write({"state": "withdrawn"})

    def test_a_file_cannot_be_created_past_the_request(self):
        with self.assertRaisesRegex(UserError, "starts with the adhesion request"):
            self.env["ess.membership"].with_user(self.staff).create(
                {"partner_id": self.org.id, "state": "member"}
            )

    def test_validating_twice_is_refused(self):
        membership = self._new_request()
        membership.action_presentation_done()
        self._decide(membership)
        with self.assertRaisesRegex(UserError, "already decided"):
            membership.action_open_decide()
        with self.assertRaisesRegex(UserError, "already decided"):
            self._decide(membership)
        with self.assertRaisesRegex(UserError, "already decided"):
            self._decide(membership, decision="refuse")
        self.assertEqual(membership.state, "validated")

    def test_deciding_before_the_presentation_is_refused(self):
        membership = self._new_request()
        with self.assertRaisesRegex(UserError, "must first be presented"):
            membership.action_open_decide()

    def test_refusal_requires_a_reason(self):
        membership = self._new_request()
        with self.assertRaisesRegex(UserError, "needs its reason"):
            self._decide(membership, decision="refuse", reason="   ")
        self.assertEqual(membership.state, "request")
        self._decide(membership, decision="refuse", reason="Hors du champ de l'ESS")
        self.assertEqual(membership.state, "refused")
        self.assertEqual(membership.refusal_reason, "Hors du champ de l'ESS")
        self.assertFalse(membership.activity_ids)
        self.assertEqual(self.org.ess_member_state, "refused")
        with self.assertRaisesRegex(UserError, "is closed"):
            membership.action_presentation_done()
        # the organisation may ask again later: a new file starts
        again = self._new_request()
        self.assertEqual(self.org.ess_membership_id, again)

    def test_decision_wizard_form(self):
        membership = self._new_request()
        membership.action_presentation_done()
        form = Form(
            self.env["ess.membership.decide"]
            .with_user(self.staff)
            .with_context(default_membership_id=membership.id)
        )
        self.assertTrue(form.welcome_note, "the welcome message is proposed")
        form.decision = "refuse"
        form.refusal_reason = "Trop tôt"
        form.decision_date = fields.Date.today() + timedelta(days=3)
        with self.assertRaisesRegex(UserError, "cannot be in the future"):
            form.save().action_confirm()
        self.assertEqual(membership.state, "presentation")

    def test_one_open_file_per_organisation(self):
        self._new_request()
        with self.assertRaises(ValidationError):
            self._new_request()

    def test_only_organisations_can_join(self):
        with self.assertRaisesRegex(ValidationError, "not an organisation"):
            self.env["ess.membership"].create({"partner_id": self.org_contact.id})

    def test_dates_cannot_precede_the_request(self):
        membership = self._to_member(self._new_request())
        with self.assertRaisesRegex(ValidationError, "before the adhesion request"):
            membership.charter_date = membership.request_date - timedelta(days=1)

    def test_withdrawal_archives_and_keeps_history(self):
        membership = self._to_member(self._new_request())
        action = membership.with_user(self.admin).action_open_withdraw()
        form = Form(
            self.env[action["res_model"]].with_user(self.admin).with_context(**action["context"])
        )
        form.withdrawal_reason = "Cessation d'activité"
        form.save().action_confirm()
        self.assertFalse(membership.active)
        self.assertEqual(membership.state, "withdrawn")
        self.assertEqual(membership.withdrawal_reason, "Cessation d'activité")
        self.assertTrue(membership.exists())
        self.assertEqual(self.org.ess_member_state, "former")
        self.assertIn(membership, self.org.ess_membership_ids)
        self.assertEqual(len(membership.item_ids), len(self.env["ess.phase.item"].search([])))
        with self.assertRaisesRegex(UserError, "already closed"):
            membership.action_open_withdraw()

    def test_withdrawal_requires_a_reason(self):
        membership = self._new_request()
        with self.assertRaisesRegex(UserError, "needs its reason"):
            membership._withdraw(fields.Date.today(), " ")
        self.assertTrue(membership.active)

    def test_files_are_never_deleted(self):
        membership = self._new_request()
        with self.assertRaises(AccessError):
            membership.with_user(self.staff).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            membership.sudo().unlink()
        self.assertTrue(membership.exists())

    def test_appropriation_then_operational_phase(self):
        membership = self._to_member(self._new_request())
        with self.assertRaisesRegex(UserError, "not complete"):
            membership.action_start_operational()
        items = membership.appropriation_item_ids
        items[0].with_user(self.staff).done = True
        self.assertEqual(items[0].done_by_id, self.staff)
        self.assertEqual(items[0].done_date, fields.Date.context_today(items[0]))
        self.assertAlmostEqual(membership.appropriation_progress, 100.0 / len(items), places=2)
        items[0].done = False
        self.assertFalse(items[0].done_by_id)
        self.assertFalse(items[0].done_date)
        items.with_user(self.staff).write({"done": True})
        self.assertEqual(membership.appropriation_progress, 100.0)
        membership.with_user(self.staff).action_start_operational()
        self.assertEqual(membership.phase, "operational")
        self.assertEqual(self.org.ess_phase, "operational")
        self.assertEqual(membership.operational_date, fields.Date.context_today(membership))
        self.assertFalse(
            membership.activity_ids.filtered(
                lambda a: a.summary == "Appropriate the approach and the tools"
            )
        )
        with self.assertRaisesRegex(UserError, "appropriation phase can start"):
            membership.action_start_operational()

    @freeze_time("2026-03-02 08:00:00")
    def test_meeting_is_proposed_on_a_working_day(self):
        # Monday 2 March 2026 + 7 days is a Monday: 10:00 in Paris, 09:00 UTC
        self.staff.tz = "Europe/Paris"
        membership = self._new_request()
        membership.action_presentation_done()
        self._decide(membership)
        membership.with_user(self.staff).action_schedule_meeting()
        self.assertEqual(
            membership.meeting_event_id.start, fields.Datetime.to_datetime("2026-03-09 09:00:00")
        )
        # scheduling again opens the same meeting
        action = membership.action_schedule_meeting()
        self.assertEqual(action["res_id"], membership.meeting_event_id.id)
        self.assertEqual(
            len(
                self.env["calendar.event"].search(
                    [("res_id", "=", membership.id), ("res_model", "=", "ess.membership")]
                )
            ),
            1,
        )

    def test_kanban_shows_every_stage(self):
        self._new_request()
        groups = (
            self.env["ess.membership"]
            .with_user(self.staff)
            .web_read_group([], ["state"], ["state"])["groups"]
        )
        self.assertEqual(
            [g["state"] for g in groups],
            ["request", "presentation", "validated", "meeting", "signature", "member", "refused"],
        )
