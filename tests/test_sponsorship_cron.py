"""The scheduled follow-up of sponsorships (models/ess_sponsorship_cron.py):
each action before and after its delay, on a second run, with the
network's settings, the e-mails' recipients, its batches and its queries.

Dates are frozen in 2025, before any record of the demo data: those are
never due in these tests."""

import logging

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import EssSponsorshipCase

_logger = logging.getLogger(__name__)

ALERT = "ess_network.mail_activity_type_sponsorship_alert"
SESSION = "ess_network.mail_activity_type_sponsorship_session"
END = "ess_network.mail_activity_type_sponsorship_end"
MEETING = "ess_network.mail_activity_type_sponsor_meeting"


class SponsorshipCronCase(EssSponsorshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].browse(cls.env.company.id)
        cls.sponsor = cls._sponsor("Coopérative Voisine", capacity=5)
        cls.person = cls.sponsor.person_ids
        cls.Sponsorship = cls.env["ess.sponsorship"]

    def _activities(self, records, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def _mails(self, records, subject):
        return self.env["mail.mail"].search(
            [
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
                ("subject", "ilike", subject),
            ]
        )

    def _under_way(self, count, when, state="in_progress", modules=("self_assessment",)):
        """``count`` sponsorships of new members by ``self.sponsor``,
        designated at ``when`` (or only requested then)."""
        partners = self.env["res.partner"].create(
            [{"name": f"Nouveau membre {index}", "is_company": True} for index in range(count)]
        )
        requested = state == "requested"
        if requested:
            self.env["ess.membership"].create([{"partner_id": p.id} for p in partners])
        with freeze_time(when):
            return self.Sponsorship.sudo().create(
                [
                    {
                        "partner_id": partner.id,
                        "state": state,
                        "sponsor_id": False if requested else self.sponsor.id,
                        "request_date": fields.Date.today(),
                        "designation_date": False if requested else fields.Datetime.now(),
                        "module_line_ids": [
                            Command.create({"module_id": self.module[key].id}) for key in modules
                        ],
                    }
                    for partner in partners
                ]
            )

    def _session(self, sponsorship, when, state="held", hours=None, duration=2.0):
        """A session of ``sponsorship`` at ``when``; ``hours``: {module key: hours}."""
        with freeze_time(when):
            return self.env["ess.sponsorship.session"].create(
                {
                    "sponsorship_id": sponsorship.id,
                    "start": fields.Datetime.now(),
                    "duration": duration,
                    "state": state,
                    "line_ids": [
                        Command.create({"module_id": self.module[key].id, "hours": value})
                        for key, value in (hours or {}).items()
                    ],
                }
            )

    def _run(self, method, when, model="ess.sponsorship", **kwargs):
        with freeze_time(when):
            done = getattr(self.env[model], method)(**kwargs)
            self.env.flush_all()
        return done

    def _queries(self, method, when, model="ess.sponsorship"):
        """The queries of one run, with nothing prefetched."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        self._run(method, when, model=model)
        return self.cr.sql_log_count - start


@tagged("post_install", "-at_install")
class TestSponsorshipCronWaiting(SponsorshipCronCase):
    """A request waiting for a sponsor → an activity for the pole."""

    def test_waiting_request_is_brought_to_the_pole_once(self):
        with freeze_time("2025-03-01 10:00:00"):
            request = self._request()
        self._run("_cron_waiting_requests", "2025-03-16 10:00:00")
        self.assertFalse(self._activities(request, ALERT), "15 days is not more than 15 days")
        self.assertFalse(request.wait_alert_date)

        self._run("_cron_waiting_requests", "2025-03-17 10:00:00")
        alert = self._activities(request, ALERT)
        self.assertEqual(alert.user_id, self.pole_manager)
        self.assertIn("has been waiting for a sponsor for 16 days", alert.summary)
        self.assertEqual(alert.date_deadline, fields.Date.to_date("2025-03-17"))
        self.assertEqual(request.wait_alert_date, fields.Date.to_date("2025-03-17"))

        # a second run, the same day or later, plans nothing twice
        self._run("_cron_waiting_requests", "2025-03-17 18:00:00")
        self._run("_cron_waiting_requests", "2025-04-30 10:00:00")
        self.assertEqual(self._activities(request, ALERT), alert)

        # designating the sponsor closes the alert
        with freeze_time("2025-05-02 10:00:00"):
            request.sudo()._designate(self.sponsor)
        self.assertFalse(self._activities(request, ALERT))
        self.assertIn(
            "has been waiting for a sponsor",
            "".join(request.message_ids.mapped("body")),
            "the alert marked done stays in the chatter",
        )

    def test_the_delay_is_the_network_setting(self):
        self.company.ess_sponsorship_wait_days = 30
        with freeze_time("2025-03-01 10:00:00"):
            request = self._request()
        self._run("_cron_waiting_requests", "2025-03-31 10:00:00")
        self.assertFalse(self._activities(request, ALERT))
        self._run("_cron_waiting_requests", "2025-04-01 10:00:00")
        self.assertTrue(self._activities(request, ALERT))

    def test_a_delay_of_zero_turns_the_alert_off(self):
        self.company.ess_sponsorship_wait_days = 0
        with freeze_time("2025-03-01 10:00:00"):
            request = self._request()
        self._run("_cron_waiting_requests", "2025-12-31 10:00:00")
        self.assertFalse(self._activities(request, ALERT))
        self.assertFalse(request.wait_alert_date)

    def test_only_requests_wait(self):
        [under_way] = self._under_way(1, "2025-03-01 10:00:00")
        self._run("_cron_waiting_requests", "2025-06-01 10:00:00")
        self.assertFalse(self._activities(under_way, ALERT))
        self.assertFalse(under_way.wait_alert_date)


@tagged("post_install", "-at_install")
class TestSponsorshipCronIdle(SponsorshipCronCase):
    """A sponsorship without a session → an e-mail to its sponsor and an
    activity for the pole, once per idle period."""

    def _reminders(self, sponsorship):
        return self._mails(sponsorship, "où en êtes-vous")

    def test_idle_sponsorship_reminded_once_then_again_after_a_new_session(self):
        [sponsorship] = self._under_way(1, "2025-03-01 10:00:00")
        self._run("_cron_idle_sponsorships", "2025-03-30 10:00:00")
        self.assertFalse(self._reminders(sponsorship), "29 days without a session: not yet")
        self.assertFalse(self._activities(sponsorship, SESSION))

        self._run("_cron_idle_sponsorships", "2025-03-31 10:00:00")
        reminder = self._reminders(sponsorship)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.recipient_ids, self.person)
        self.assertIn(sponsorship.partner_id.name, reminder.subject)
        self.assertIn("30 jours", reminder.body_html)
        self.assertIn(reminder.mail_message_id, sponsorship.message_ids, "kept in the chatter")
        activity = self._activities(sponsorship, SESSION)
        self.assertEqual(activity.user_id, self.pole_manager)
        self.assertIn("No session with Coopérative Voisine for 30 days", activity.summary)
        self.assertEqual(sponsorship.idle_alert_date, fields.Date.to_date("2025-03-31"))

        # nothing twice, however long it stays idle
        self._run("_cron_idle_sponsorships", "2025-03-31 18:00:00")
        self._run("_cron_idle_sponsorships", "2025-04-15 10:00:00")
        self.assertEqual(len(self._reminders(sponsorship)), 1)
        self.assertEqual(self._activities(sponsorship, SESSION), activity)

        # a session held closes the activity; idle again 30 days after it
        self._session(sponsorship, "2025-04-20 10:00:00", hours={"self_assessment": 2})
        self.assertFalse(self._activities(sponsorship, SESSION))
        self._run("_cron_idle_sponsorships", "2025-05-19 10:00:00")
        self.assertEqual(len(self._reminders(sponsorship)), 1)
        self._run("_cron_idle_sponsorships", "2025-05-20 10:00:00")
        self.assertEqual(len(self._reminders(sponsorship)), 2)
        self.assertTrue(self._activities(sponsorship, SESSION))
        self.assertEqual(sponsorship.idle_alert_date, fields.Date.to_date("2025-05-20"))

    def test_a_planned_session_is_activity(self):
        [sponsorship] = self._under_way(1, "2025-03-01 10:00:00", state="designated")
        with freeze_time("2025-03-20 10:00:00"):
            self.env["ess.sponsorship.session"].create(
                {"sponsorship_id": sponsorship.id, "start": "2025-04-20 14:00:00"}
            )
        self._run("_cron_idle_sponsorships", "2025-04-05 10:00:00")
        self.assertFalse(self._reminders(sponsorship), "a session is planned: not idle")
        # the planned session's date was the last activity
        self._run("_cron_idle_sponsorships", "2025-05-19 10:00:00")
        self.assertFalse(self._reminders(sponsorship))
        self._run("_cron_idle_sponsorships", "2025-05-21 10:00:00")
        self.assertEqual(len(self._reminders(sponsorship)), 1)

    def test_a_cancelled_session_is_not_activity(self):
        [sponsorship] = self._under_way(1, "2025-03-01 10:00:00", state="designated")
        with freeze_time("2025-03-20 10:00:00"):
            self.env["ess.sponsorship.session"].create(
                {"sponsorship_id": sponsorship.id, "start": "2025-04-20 14:00:00"}
            ).action_cancel()
        self._run("_cron_idle_sponsorships", "2025-03-31 10:00:00")
        self.assertEqual(len(self._reminders(sponsorship)), 1)

    def test_the_delay_is_the_network_setting(self):
        self.company.ess_sponsorship_idle_days = 60
        [sponsorship] = self._under_way(1, "2025-03-01 10:00:00")
        self._run("_cron_idle_sponsorships", "2025-04-29 10:00:00")
        self.assertFalse(self._reminders(sponsorship))
        self._run("_cron_idle_sponsorships", "2025-04-30 10:00:00")
        self.assertEqual(len(self._reminders(sponsorship)), 1)
        self.assertIn("60 jours", self._reminders(sponsorship).body_html)

        self.company.ess_sponsorship_idle_days = 0
        [other] = self._under_way(1, "2025-03-01 10:00:00")
        self._run("_cron_idle_sponsorships", "2025-12-31 10:00:00")
        self.assertFalse(self._reminders(other))
        self.assertFalse(other.idle_alert_date)

    def test_recipients_are_the_sponsor_persons_with_an_address(self):
        without_address = self.env["res.partner"].create(
            {"name": "Parrain Sans Adresse", "parent_id": self.sponsor.partner_id.id}
        )
        self.sponsor.person_ids = [Command.link(without_address.id)]
        [sponsorship] = self._under_way(1, "2025-03-01 10:00:00")
        self._run("_cron_idle_sponsorships", "2025-03-31 10:00:00")
        self.assertEqual(self._reminders(sponsorship).recipient_ids, self.person)

        # a sponsor that named no person: the organisation itself
        self.sponsor.person_ids = False
        [other] = self._under_way(1, "2025-03-01 10:00:00")
        self._run("_cron_idle_sponsorships", "2025-03-31 10:00:00")
        self.assertEqual(self._reminders(other).recipient_ids, self.sponsor.partner_id)

        # nobody to write to: the pole is told to contact the sponsor
        self.sponsor.partner_id.email = False
        [silent] = self._under_way(1, "2025-03-01 10:00:00")
        self._run("_cron_idle_sponsorships", "2025-03-31 10:00:00")
        self.assertFalse(self._reminders(silent))
        self.assertIn("no e-mail address", str(self._activities(silent, SESSION).note))

    def test_only_sponsorships_under_way(self):
        [ended, cancelled] = self._under_way(2, "2025-03-01 10:00:00")
        self._session(ended, "2025-03-05 10:00:00", hours={"self_assessment": 2})
        with freeze_time("2025-03-06 10:00:00"):
            ended.sudo()._record_end(fields.Date.today())
            cancelled.sudo()._record_cancel("Le nouveau membre a quitté le réseau")
        self._run("_cron_idle_sponsorships", "2025-06-01 10:00:00")
        self.assertFalse(self._reminders(ended | cancelled))


@tagged("post_install", "-at_install")
class TestSponsorshipCronEnd(SponsorshipCronCase):
    """Every module chosen done or at its guideline → the pole is asked to
    record the end, once."""

    def test_end_proposed_when_every_module_is_done_or_at_its_guideline(self):
        [sponsorship] = self._under_way(
            1, "2025-03-01 10:00:00", modules=("self_assessment", "action_plan")
        )
        self._session(sponsorship, "2025-03-10 10:00:00", hours={"self_assessment": 3}, duration=3)
        self._run("_cron_propose_end", "2025-03-11 10:00:00")
        self.assertFalse(self._activities(sponsorship, END), "the action plan is still to do")

        self._session(sponsorship, "2025-03-20 10:00:00", hours={"action_plan": 2})
        self._run("_cron_propose_end", "2025-03-21 10:00:00")
        self.assertFalse(self._activities(sponsorship, END), "2 hours of a 3 hours guideline")

        sponsorship.module_line_ids.filtered(
            lambda line: line.module_id == self.module["action_plan"]
        ).action_mark_done()
        self._run("_cron_propose_end", "2025-03-22 10:00:00")
        activity = self._activities(sponsorship, END)
        self.assertEqual(activity.user_id, self.pole_manager)
        self.assertIn("Record the end of the sponsorship of “Nouveau membre 0”", activity.summary)
        self.assertIn("5 hours spent", str(activity.note))
        self.assertEqual(sponsorship.end_proposed_date, fields.Date.to_date("2025-03-22"))

        self._run("_cron_propose_end", "2025-03-22 18:00:00")
        self._run("_cron_propose_end", "2025-04-22 10:00:00")
        self.assertEqual(self._activities(sponsorship, END), activity)

        # recording the end closes it
        with freeze_time("2025-04-23 10:00:00"):
            sponsorship.with_user(self.pole_manager)._record_end(fields.Date.today())
        self.assertFalse(self._activities(sponsorship, END))

    def test_hours_at_the_guideline_are_enough(self):
        [sponsorship] = self._under_way(
            1, "2025-03-01 10:00:00", modules=("self_assessment", "action_plan")
        )
        self._session(
            sponsorship,
            "2025-03-10 10:00:00",
            hours={"self_assessment": 3, "action_plan": 3.5},
            duration=7,
        )
        self._run("_cron_propose_end", "2025-03-11 10:00:00")
        self.assertTrue(self._activities(sponsorship, END))

    def test_no_end_without_a_session_held(self):
        [planned, bare] = self._under_way(2, "2025-03-01 10:00:00")
        # hours of a planned session do not count, and an end needs a session held
        self._session(planned, "2025-03-10 10:00:00", state="planned", hours={"self_assessment": 3})
        bare.module_line_ids.action_mark_done()
        self._run("_cron_propose_end", "2025-03-11 10:00:00")
        self.assertFalse(self._activities(planned | bare, END))
        self.assertFalse((planned | bare).filtered("end_proposed_date"))


@tagged("post_install", "-at_install")
class TestSponsorMeetingCron(SponsorshipCronCase):
    """The sponsors' network: an activity to plan a meeting when none is
    planned in the coming months; the invited reminded before a meeting.

    On a network of its own, whose only sponsor is ``network_sponsor``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.network = cls.env["res.company"].create(
            {"name": "Réseau Test des Parrains", "ess_sponsorship_user_id": cls.pole_manager.id}
        )
        partner = cls._create_org("Scop Marraine", company_id=cls.network.id)
        cls.network_person = cls.env["res.partner"].create(
            {"name": "Jeanne Marraine", "parent_id": partner.id, "email": "jeanne@marraine.example"}
        )
        cls.network_sponsor = cls.env["ess.sponsor"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.network.id,
                "person_ids": [Command.set(cls.network_person.ids)],
            }
        )

    def _meeting(self, start, **vals):
        return self.env["ess.sponsor.meeting"].create(
            {"name": "Réunion des parrains", "company_id": self.network.id, "start": start, **vals}
        )

    def _meeting_activities(self):
        meetings = self.env["ess.sponsor.meeting"].search([("company_id", "=", self.network.id)])
        return self._activities(meetings, MEETING) | self._activities(
            self.network.partner_id, MEETING
        )

    def _run_meetings(self, when):
        return self._run("_cron_sponsor_meetings", when, model="ess.sponsor.meeting")

    def test_pole_asked_to_plan_a_meeting_once(self):
        # never a meeting: on the network's contact
        self._run_meetings("2025-03-01 10:00:00")
        activity = self._meeting_activities()
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.network.partner_id.id)
        self.assertEqual(activity.user_id, self.pole_manager)
        self.assertIn("none is planned in the next 3 months", activity.summary)
        self.assertEqual(
            self.network.ess_sponsor_meeting_alert_date, fields.Date.to_date("2025-03-01")
        )
        activity.action_feedback("Réunion fixée au 1er avril")
        self._run_meetings("2025-03-02 10:00:00")
        self.assertFalse(self._meeting_activities(), "asked once, even when marked done")

        # a meeting is planned within 3 months, then takes place
        with freeze_time("2025-03-05 10:00:00"):
            meeting = self._meeting("2025-04-01 14:00:00")
        self._run_meetings("2025-03-06 10:00:00")
        self.assertFalse(self._meeting_activities())
        meeting.action_held()
        # after it, nothing planned: asked again, on the latest meeting
        self._run_meetings("2025-04-02 10:00:00")
        activity = self._meeting_activities()
        self.assertEqual(activity.res_model, "ess.sponsor.meeting")
        self.assertEqual(activity.res_id, meeting.id)
        self._run_meetings("2025-04-03 10:00:00")
        self.assertEqual(self._meeting_activities(), activity)

    def test_the_horizon_is_the_network_setting(self):
        with freeze_time("2025-03-01 10:00:00"):
            meeting = self._meeting("2025-06-15 14:00:00")
        self.network.ess_sponsor_meeting_months = 4
        self._run_meetings("2025-03-01 10:00:00")
        self.assertFalse(self._meeting_activities(), "planned within 4 months")
        self.network.ess_sponsor_meeting_months = 3
        self._run_meetings("2025-03-01 10:00:00")
        self.assertEqual(self._meeting_activities().res_id, meeting.id, "not within 3 months")

    def test_no_activity_without_active_sponsors_or_when_off(self):
        self.network.ess_sponsor_meeting_months = 0
        self._run_meetings("2025-03-01 10:00:00")
        self.assertFalse(self._meeting_activities())
        self.network.ess_sponsor_meeting_months = 3
        self.network_sponsor.active = False
        self._run_meetings("2025-03-01 10:00:00")
        self.assertFalse(self._meeting_activities())
        self.assertFalse(self.network.ess_sponsor_meeting_alert_date)

    def test_invited_reminded_once_before_a_meeting(self):
        with freeze_time("2025-03-01 10:00:00"):
            meeting = self._meeting(
                "2025-04-10 14:00:00",
                location="Maison de l'ESS",
                agenda="<p>Bilan des parrainages</p>",
            )
        self.assertEqual(meeting.attendee_ids, self.network_person)

        def reminders():
            return self._mails(meeting, "Rappel")

        self._run_meetings("2025-04-06 15:00:00")
        self.assertFalse(reminders(), "more than 3 days before")
        self._run_meetings("2025-04-07 15:00:00")
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().recipient_ids, self.network_person)
        self.assertIn("Maison de l&#39;ESS", reminders().body_html)
        self.assertIn("Bilan des parrainages", reminders().body_html)
        self.assertEqual(meeting.reminder_date, fields.Date.to_date("2025-04-07"))
        self._run_meetings("2025-04-08 15:00:00")
        self.assertEqual(len(reminders()), 1)

        # moved: reminded again before its new date
        with freeze_time("2025-04-08 16:00:00"):
            meeting.start = "2025-04-20 14:00:00"
        self.assertFalse(meeting.reminder_date)
        self._run_meetings("2025-04-17 15:00:00")
        self.assertEqual(len(reminders()), 2)

    def test_reminder_delay_is_the_network_setting(self):
        self.network.ess_sponsor_meeting_reminder_days = 10
        with freeze_time("2025-03-01 10:00:00"):
            meeting = self._meeting("2025-04-10 14:00:00")
            cancelled = self._meeting("2025-04-11 14:00:00")
            cancelled.action_cancel()
        self._run_meetings("2025-03-31 15:00:00")
        self.assertTrue(self._mails(meeting, "Rappel"))
        self.assertFalse(self._mails(cancelled, "Rappel"))

        self.network.ess_sponsor_meeting_reminder_days = 0
        with freeze_time("2025-03-01 10:00:00"):
            other = self._meeting("2025-04-12 14:00:00")
        self._run_meetings("2025-04-12 13:00:00")
        self.assertFalse(self._mails(other, "Rappel"))


@tagged("post_install", "-at_install")
class TestSponsorshipCronBatches(SponsorshipCronCase):
    """Batches committed one by one by the scheduler, and the queries of a
    batch, the same for 3 sponsorships as for 30."""

    def test_one_batch_per_call_in_a_scheduled_job(self):
        sponsorships = self._under_way(5, "2025-03-01 10:00:00")
        cron = self.env.ref("ess_network.ess_sponsorship_cron_idle_sponsorships")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        in_job = self.Sponsorship.with_context(ir_cron_progress_id=progress.id)
        with freeze_time("2025-03-31 10:00:00"):
            self.assertEqual(in_job._cron_idle_sponsorships(batch_size=2), 2)
            self.assertEqual((progress.done, progress.remaining), (2, 3))
            self.assertEqual(len(sponsorships.filtered("idle_alert_date")), 2)
            # the scheduler calls again while some remain
            in_job._cron_idle_sponsorships(batch_size=2)
            self.assertEqual((progress.done, progress.remaining), (2, 1))
            in_job._cron_idle_sponsorships(batch_size=2)
            self.assertEqual((progress.done, progress.remaining), (1, 0))
            self.assertEqual(in_job._cron_idle_sponsorships(batch_size=2), 0)
        self.assertEqual(len(sponsorships.filtered("idle_alert_date")), 5)
        self.assertEqual(len(self._mails(sponsorships, "où en êtes-vous")), 5)

    def test_by_hand_every_batch_is_handled(self):
        sponsorships = self._under_way(5, "2025-03-01 10:00:00")
        self.assertEqual(
            self._run("_cron_idle_sponsorships", "2025-03-31 10:00:00", batch_size=2), 5
        )
        self.assertEqual(len(sponsorships.filtered("idle_alert_date")), 5)

    def _compare(self, method, when, groups, mark, model="ess.sponsorship"):
        """Run ``method`` on ``groups`` (recordsets of 1, 3 and 30 records,
        each kept from being due by ``mark`` until its turn): the queries
        for 3 and for 30 must be the same."""
        warm, few, many = groups
        (few | many).write(mark)
        self._run(method, when, model=model)  # warms the caches
        self.assertTrue(all(warm.mapped(lambda r: r[next(iter(mark))])))
        counts = []
        for group in (few, many):
            group.write(dict.fromkeys(mark, False))
            counts.append(self._queries(method, when, model=model))
            self.assertTrue(all(group.mapped(lambda r: r[next(iter(mark))])))
        _logger.info("%s: %s queries for 3 records, %s for 30", method, *counts)
        self.assertEqual(counts[0], counts[1], f"{method}: 3 then 30 records")
        return counts

    def test_queries_do_not_grow_with_the_batch(self):
        when = "2025-03-01 10:00:00"
        groups = [self._under_way(n, when) for n in (1, 3, 30)]
        self._compare(
            "_cron_idle_sponsorships",
            "2025-04-15 10:00:00",
            groups,
            {"idle_alert_date": fields.Date.to_date("2025-04-15")},
        )

        groups = [self._under_way(n, when, state="requested") for n in (1, 3, 30)]
        self._compare(
            "_cron_waiting_requests",
            "2025-04-15 10:00:00",
            groups,
            {"wait_alert_date": fields.Date.to_date("2025-04-15")},
        )

        groups = [self._under_way(n, when) for n in (1, 3, 30)]
        for sponsorship in groups[0] | groups[1] | groups[2]:
            self._session(
                sponsorship, "2025-03-10 10:00:00", hours={"self_assessment": 3}, duration=3
            )
        self._compare(
            "_cron_propose_end",
            "2025-04-15 10:00:00",
            groups,
            {"end_proposed_date": fields.Date.to_date("2025-04-15")},
        )

        Meeting = self.env["ess.sponsor.meeting"]
        with freeze_time(when):
            groups = [
                Meeting.create(
                    [
                        {"name": f"Réunion {n}-{index}", "start": "2025-04-10 14:00:00"}
                        for index in range(n)
                    ]
                )
                for n in (1, 3, 30)
            ]
        self._compare(
            "_cron_sponsor_meetings",
            "2025-04-08 10:00:00",
            groups,
            {"reminder_date": fields.Date.to_date("2025-04-08")},
            model="ess.sponsor.meeting",
        )


@tagged("post_install", "-at_install")
class TestSponsorshipListFigures(SponsorshipCronCase):
    """The figures of the sponsorships' list (modules chosen, number of
    sessions, next session) read for a whole page at once: the same values
    as sponsorship by sponsorship, in as many queries for 6 as for 2."""

    def test_page_of_sponsorships(self):
        first, second = self._under_way(2, "2025-03-01", modules=("action_plan", "self_assessment"))
        third, fourth, fifth, sixth = self._under_way(4, "2025-03-01")
        self._session(first, "2025-03-10")
        self._session(first, "2025-03-20", state="cancelled")
        self._session(first, "2099-05-01", state="planned")
        self._session(first, "2099-06-01", state="planned")
        self._session(second, "2025-03-15", state="planned")  # planned, never logged
        expected = {
            first: (self.module["action_plan"] | self.module["self_assessment"], 3, "2099-05-01"),
            second: (self.module["action_plan"] | self.module["self_assessment"], 1, False),
            third: (self.module["self_assessment"], 0, False),
        }
        self.env.invalidate_all()
        page = first | second | third | fourth | fifth | sixth
        for sponsorship, (modules, count, next_date) in expected.items():
            self.assertEqual(sponsorship.module_ids, modules)
            self.assertEqual(sponsorship.session_count, count)
            self.assertEqual(
                sponsorship.next_session_date and str(sponsorship.next_session_date.date()),
                next_date,
            )
        # in the order of the lines (the modules' sequence)
        self.assertEqual(first.module_ids.ids, first.module_line_ids.module_id.ids)

        def queries(records):
            self.env.invalidate_all()
            records.fetch(["name"])
            before = self.cr.sql_log_count
            records.mapped("module_ids")
            records.mapped("session_count")
            records.mapped("next_session_date")
            return self.cr.sql_log_count - before

        self.assertEqual(queries(page), queries(first | third))
