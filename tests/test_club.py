from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import Cursor
from odoo.tests import tagged

from .common import EssNetworkCase


class EssClubCase(EssNetworkCase):
    """A club of the network whose member organisation is ``org`` (three
    persons), a meeting to come with two seats, and ``other_org``, neither a
    member of the network nor of the club."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.person_1 = cls.org_contact
        cls.person_2 = Partner.create({"name": "Paul Test", "parent_id": cls.org.id})
        cls.person_3 = Partner.create({"name": "Inès Test", "parent_id": cls.org.id})
        cls.stranger = Partner.create({"name": "Olga Autre", "parent_id": cls.other_org.id})
        cls.club = (
            cls.env["ess.club"]
            .with_user(cls.staff)
            .create({"name": "Club RSE (test)", "member_ids": [(4, cls.org.id)]})
        )
        cls.meeting = cls._meeting(capacity=2)

    @classmethod
    def _meeting(cls, days=10, **values):
        return (
            cls.env["ess.club.meeting"]
            .with_user(cls.staff)
            .create(
                {
                    "name": "Indicateurs de gouvernance",
                    "club_id": cls.club.id,
                    "start": fields.Datetime.now() + timedelta(days=days),
                    "host_partner_id": cls.org.id,
                    **values,
                }
            )
        )

    def _reg(self, person, meeting=None, user=None):
        meeting = (meeting or self.meeting).with_user(user or self.staff)
        return meeting._register_person(person, user or self.staff)


@tagged("post_install", "-at_install")
class TestClubRegistration(EssClubCase):
    def test_register_counts_seats_and_invites(self):
        registration = self._reg(self.person_1)
        self.assertEqual(registration.state, "registered")
        self.assertEqual(registration.partner_id, self.org)
        self.assertEqual(registration.registered_by_id, self.staff)
        meeting = self.meeting
        self.assertEqual(
            (meeting.seats_taken, meeting.seats_left, meeting.is_full, meeting.registered_count),
            (1, 1, False, 1),
        )
        self.assertIn(self.person_1, meeting.event_id.partner_ids)
        # registering twice gives the same registration
        self.assertEqual(self._reg(self.person_1), registration)

    def test_full_meeting_refused(self):
        self._reg(self.person_1)
        self._reg(self.person_2)
        self.assertTrue(self.meeting.is_full)
        self.assertEqual(self.meeting.seats_left, 0)
        with self.assertRaisesRegex(UserError, "is full: its 2 seats are taken"):
            self._reg(self.person_3)
        # an unregistered person frees a seat
        self.meeting.with_user(self.staff)._unregister_person(self.person_2, self.staff)
        self.assertFalse(self.meeting.is_full)
        self._reg(self.person_3)
        self.assertEqual(self.meeting.seats_taken, 2)

    def test_no_limit(self):
        meeting = self._meeting(capacity=0)
        for person in (self.person_1, self.person_2, self.person_3):
            self._reg(person, meeting)
        self.assertEqual((meeting.seats_taken, meeting.is_full), (3, False))

    def test_capacity_kept_in_back_end(self):
        self._reg(self.person_1)
        self._reg(self.person_2)
        with self.assertRaisesRegex(ValidationError, "is full"):
            self.env["ess.club.registration"].with_user(self.staff).create(
                {"meeting_id": self.meeting.id, "person_id": self.person_3.id}
            )

    def test_cancelled_held_past_refused(self):
        cancelled = self._meeting()
        cancelled.with_user(self.staff).state = "cancelled"
        with self.assertRaisesRegex(UserError, "has been cancelled"):
            self._reg(self.person_1, cancelled)
        past = self._meeting(days=-1)
        with self.assertRaisesRegex(UserError, "is over: registrations are closed"):
            self._reg(self.person_1, past)
        held = self._meeting(days=-2)
        held.with_user(self.staff).state = "held"
        with self.assertRaisesRegex(UserError, "is over"):
            self._reg(self.person_1, held)
        self.assertFalse(
            self.env["ess.club.registration"].search(
                [("meeting_id", "in", (cancelled | past | held).ids)]
            )
        )

    def test_reregister_reactivates(self):
        registration = self._reg(self.person_1)
        back = self.meeting.with_user(self.staff)._unregister_person(self.person_1, self.staff)
        self.assertEqual(back, registration)
        self.assertEqual(registration.state, "cancelled")
        self.assertEqual(self.meeting.seats_taken, 0)
        self.assertNotIn(self.person_1, self.meeting.event_id.partner_ids)
        again = self._reg(self.person_1)
        self.assertEqual(again, registration)
        self.assertEqual(again.state, "registered")
        self.assertEqual(
            self.env["ess.club.registration"].search_count(
                [("meeting_id", "=", self.meeting.id)]
            ),
            1,
        )

    def test_unregister_only_before_start(self):
        meeting = self._meeting(days=1)
        self._reg(self.person_1, meeting)
        meeting.start = fields.Datetime.now() - timedelta(minutes=5)
        with self.assertRaisesRegex(UserError, "is over"):
            meeting.with_user(self.staff)._unregister_person(self.person_1, self.staff)
        with self.assertRaisesRegex(UserError, "is not registered"):
            self.meeting.with_user(self.staff)._unregister_person(self.person_2, self.staff)

    def test_organisation_and_strangers_refused(self):
        with self.assertRaisesRegex(ValidationError, "is an organisation"):
            self._reg(self.org)
        with self.assertRaisesRegex(UserError, "is not a member of the network"):
            self._reg(self.stranger)
        # a partner of the club may come
        self.club.with_user(self.staff).partner_ids = [(4, self.other_org.id)]
        self.assertEqual(self._reg(self.stranger).state, "registered")

    def test_network_member_may_register(self):
        membership = self._to_member(self._new_request(partner=self.other_org))
        self.assertEqual(self.other_org.ess_member_state, "member")
        self.assertEqual(membership.company_id, self.meeting.company_id)
        self.assertEqual(self._reg(self.stranger).state, "registered")
        self.assertIn(self.meeting, self.meeting._open_to(self.other_portal_user))

    def test_working_group_meeting_for_its_organisations(self):
        group = self.env["ess.club.group"].with_user(self.staff).create(
            {"name": "Bilan carbone", "club_id": self.club.id}
        )
        meeting = self._meeting(group_id=group.id)
        with self.assertRaisesRegex(UserError, "nor of the working group"):
            self._reg(self.person_1, meeting)
        group.participant_ids = [(4, self.person_2.id)]
        self.assertEqual(self._reg(self.person_1, meeting).state, "registered")

    def test_member_registers_own_persons_only(self):
        portal = self.portal_user
        Meeting = self.env["ess.club.meeting"].with_user(portal)
        self.assertIn(self.meeting, Meeting._open_to(portal))
        self.assertNotIn(self.meeting, Meeting._open_to(self.other_portal_user))
        registration = self.meeting.with_user(portal)._register_person(portal.partner_id, portal)
        self.assertEqual(registration.registered_by_id, portal)
        self.assertEqual(registration.partner_id, self.org)
        with self.assertRaisesRegex(AccessError, "persons of your own organisation"):
            self.meeting.with_user(portal)._register_person(self.stranger, portal)
        with self.assertRaisesRegex(AccessError, "persons of your own organisation"):
            self.meeting.with_user(self.other_portal_user)._unregister_person(
                portal.partner_id, self.other_portal_user
            )
        self.meeting.with_user(portal)._unregister_person(portal.partner_id, portal)
        self.assertEqual(registration.state, "cancelled")
        past = self._meeting(days=-1)
        self.assertNotIn(past, Meeting._open_to(portal))

    def test_seat_count_read_after_locking_the_meeting(self):
        """Two members taking the last seat at once: the second waits for
        the first's lock on the meeting row, then counts its registration."""
        queries = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(query.code if hasattr(query, "code") else query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            self._reg(self.person_1)
        lock = next(i for i, q in enumerate(queries) if "FOR UPDATE" in q)
        self.assertIn("ess_club_meeting", queries[lock])
        count = next(
            i for i, q in enumerate(queries) if "COUNT" in q and "ess_club_registration" in q
        )
        self.assertGreater(count, lock)


@tagged("post_install", "-at_install")
class TestClubCalendar(EssClubCase):
    """One rule keeps a calendar event in line with a club meeting, a
    sponsors' meeting and a sponsorship session."""

    def test_club_meeting_event(self):
        meeting = self.meeting.with_user(self.staff)
        event = meeting.event_id
        self.assertTrue(event.active)
        self.assertEqual(event.start, meeting.start)
        self.assertEqual(event.stop, meeting.start + timedelta(hours=2))
        self.assertEqual((event.res_model, event.res_id), ("ess.club.meeting", meeting.id))
        self.assertIn("Indicateurs de gouvernance", event.name)
        new_start = meeting.start + timedelta(days=1)
        meeting.write({"start": new_start, "duration": 3, "location": "Nantes"})
        self.assertEqual((event.start, event.stop), (new_start, new_start + timedelta(hours=3)))
        self.assertEqual(event.location, "Nantes")
        meeting.state = "cancelled"
        self.assertFalse(event.active)
        self.assertEqual(meeting.event_id, event)
        meeting.state = "planned"
        self.assertTrue(event.active)

    def test_sponsor_meeting_event(self):
        meeting = self.env["ess.sponsor.meeting"].with_user(self.pole_manager).create(
            {
                "name": "Rencontre des parrains",
                "start": fields.Datetime.now() + timedelta(days=3),
                "attendee_ids": [(4, self.person_1.id)],
            }
        )
        event = meeting.event_id
        self.assertEqual(event.name, "Rencontre des parrains")
        self.assertIn(self.person_1, event.partner_ids)
        meeting.name = "Rencontre de printemps"
        self.assertEqual(event.name, "Rencontre de printemps")
        meeting.action_cancel()
        self.assertFalse(event.active)

    def test_no_mail_to_attendees(self):
        before = self.env["mail.mail"].sudo().search_count([])
        self._reg(self.person_1)
        self.meeting.with_user(self.staff).start += timedelta(hours=1)
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), before)
