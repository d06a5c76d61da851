import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import Cursor
from odoo.tests import Form, tagged

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

    def test_duration_within_a_day(self):
        # the one rule of every meeting kept in the calendar (club meetings,
        # sponsors' meetings): more than 0, at most 12 hours
        for model in ("ess.club.meeting", "ess.sponsor.meeting"):
            self.assertEqual(self.env[model]._event_max_hours, 12)
        with self.assertRaisesRegex(ValidationError, "at most 12 hours"):
            self.meeting.with_user(self.staff).duration = 13
        with self.assertRaisesRegex(ValidationError, "at most 12 hours"):
            self.meeting.with_user(self.staff).duration = 0
        self.meeting.with_user(self.staff).duration = 3.5
        self.assertEqual(self.meeting.event_id.duration, 3.5)

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
            self.env["ess.club.registration"].search_count([("meeting_id", "=", self.meeting.id)]),
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
        group = (
            self.env["ess.club.group"]
            .with_user(self.staff)
            .create({"name": "Bilan carbone", "club_id": self.club.id})
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
        meeting = (
            self.env["ess.sponsor.meeting"]
            .with_user(self.pole_manager)
            .create(
                {
                    "name": "Rencontre des parrains",
                    "start": fields.Datetime.now() + timedelta(days=3),
                    "attendee_ids": [(4, self.person_1.id)],
                }
            )
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


@tagged("post_install", "-at_install")
class TestClubAttendance(EssClubCase):
    """Attendance recorded after the meeting, and the figures per club and
    year drawn from it."""

    def _held(self, when, persons=(), registered=(), **values):
        """A meeting of the club held at ``when``: ``persons`` came,
        ``registered`` registered and did not come."""
        meeting = (
            self.env["ess.club.meeting"]
            .with_user(self.staff)
            .create({"name": "Rencontre", "club_id": self.club.id, "start": when, **values})
        )
        for person in registered:
            self.env["ess.club.registration"].with_user(self.staff).create(
                {"meeting_id": meeting.id, "person_id": person.id}
            )
        meeting.action_record_attendance()
        if persons:
            meeting._record_attendance(self.env["res.partner"].union(*persons))
        return meeting

    def test_figures_per_club_and_year(self):
        self.club.with_user(self.staff).partner_ids = [(4, self.other_org.id)]
        year = fields.Date.today().year - 1
        day = lambda month: fields.Datetime.to_datetime(f"{year}-{month:02d}-10 09:00:00")  # noqa: E731
        self._held(day(3), [self.person_1, self.person_2, self.stranger])
        self._held(day(6), [self.person_1, self.person_3], registered=[self.person_2])
        third = self._held(day(10), [self.stranger], registered=[self.person_3])
        # the year before, a cancelled and a planned meeting, a working group's
        self._held(fields.Datetime.to_datetime(f"{year - 1}-11-10 09:00:00"), [self.person_1])
        cancelled = self._meeting(days=30)
        cancelled.with_user(self.staff).action_cancel()
        self._meeting(days=40)
        group = (
            self.env["ess.club.group"]
            .with_user(self.staff)
            .create({"name": "Biodiversité", "club_id": self.club.id})
        )
        self._held(day(11), [self.person_2], group_id=group.id)

        # the held meeting keeps the registration of who did not come
        absent = third.registration_ids.filtered(lambda r: r.person_id == self.person_3)
        self.assertEqual((absent.state, absent.attended), ("registered", False))
        self.assertEqual((third.registered_count, third.attended_count), (2, 1))

        Figure = self.env["ess.club.figure"].with_user(self.staff)
        rows = {figure.year: figure for figure in Figure.search([("club_id", "=", self.club.id)])}
        self.assertEqual(set(rows), {year, year - 1})
        figure = rows[year]
        self.assertEqual(
            (
                figure.meeting_count,
                figure.structure_count,
                figure.participant_count,
                figure.attendance_count,
                figure.group_meeting_count,
            ),
            (3, 2, 4, 6, 1),
        )
        self.assertEqual(figure.company_id, self.club.company_id)
        self.assertEqual((rows[year - 1].meeting_count, rows[year - 1].participant_count), (1, 1))

    def test_figures_of_the_year_on_the_club(self):
        self._held(fields.Datetime.now() - timedelta(hours=2), [self.person_1, self.person_2])
        club = self.club.with_user(self.staff)
        self.assertEqual(
            (club.year_meeting_count, club.year_structure_count, club.year_participant_count),
            (1, 1, 2),
        )
        action = club.action_view_figures()
        self.assertEqual(action["res_model"], "ess.club.figure")

    def test_attendance_after_the_meeting_only(self):
        with self.assertRaisesRegex(UserError, "has not taken place yet"):
            self.meeting.with_user(self.staff).action_record_attendance()
        registration = self._reg(self.person_1)
        with self.assertRaisesRegex(ValidationError, "once the meeting .* is held"):
            registration.with_user(self.staff).attended = True

    def test_cancel_archives_event_and_tells_registered(self):
        self._reg(self.person_1)
        self._reg(self.person_2)
        self.meeting.with_user(self.staff)._unregister_person(self.person_2, self.staff)
        meeting = self.meeting.with_user(self.staff)
        event = meeting.event_id
        meeting.cancel_reason = "Salle indisponible"
        meeting.action_cancel()
        self.assertEqual(meeting.state, "cancelled")
        self.assertFalse(event.active)
        message = meeting.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertEqual(message.partner_ids, self.person_1)
        self.assertIn("Indicateurs de gouvernance", message.body)
        self.assertIn("Salle indisponible", message.body)
        self.assertIn("annulée", message.body)
        with self.assertRaisesRegex(UserError, "has been cancelled"):
            self._reg(self.person_3)
        # a held meeting is not cancelled
        held = self._held(fields.Datetime.now() - timedelta(days=1), [self.person_1])
        with self.assertRaisesRegex(UserError, "can no longer be cancelled"):
            held.action_cancel()


@tagged("post_install", "-at_install")
class TestClubGroups(EssClubCase):
    def test_archive_never_delete(self):
        group = (
            self.env["ess.club.group"]
            .with_user(self.staff)
            .create({"name": "Bilan carbone", "club_id": self.club.id})
        )
        with self.assertRaises(AccessError):
            self.club.with_user(self.staff).unlink()
        with self.assertRaises(AccessError):
            group.with_user(self.staff).unlink()
        with self.assertRaisesRegex(UserError, "archived, not deleted"):
            self.club.sudo().unlink()
        self.club.with_user(self.staff).action_archive()
        self.assertFalse(group.active)
        self.assertTrue(self.club.exists() and group.exists())

    def test_deliverable_document_for_the_group_members(self):
        portal = self.portal_user
        group = (
            self.env["ess.club.group"]
            .with_user(self.staff)
            .create(
                {
                    "name": "Bilan carbone",
                    "club_id": self.club.id,
                    "participant_ids": [(4, portal.partner_id.id)],
                }
            )
        )
        self.assertEqual(group.member_ids, self.org)
        deliverable = (
            self.env["ess.club.deliverable"]
            .with_user(self.staff)
            .create(
                {
                    "name": "Méthode de calcul",
                    "group_id": group.id,
                    "document": base64.b64encode(b"%PDF-1.4\n%%EOF\n"),
                    "document_name": "methode.pdf",
                }
            )
        )
        attachment = deliverable.attachment_id
        self.assertEqual(
            (attachment.name, attachment.res_model, attachment.res_id),
            ("methode.pdf", "ess.club.deliverable", deliverable.id),
        )
        self.assertTrue(deliverable.document)
        # the group's members read the deliverable and its document's id
        # (the portal serves the file after checking that), others do not
        self.assertEqual(deliverable.with_user(portal).attachment_id, attachment)
        with self.assertRaises(AccessError):
            deliverable.with_user(self.other_portal_user).read(["attachment_id"])
        # a new file replaces the document; clearing it unlinks it, the file stays
        deliverable.document = base64.b64encode(b"%PDF-1.4\n% v2\n%%EOF\n")
        self.assertEqual(deliverable.attachment_id, attachment)
        deliverable.document = False
        self.assertFalse(deliverable.attachment_id)
        self.assertTrue(attachment.exists())

    def test_participants_are_persons(self):
        with self.assertRaisesRegex(ValidationError, "are persons"):
            self.env["ess.club.group"].with_user(self.staff).create(
                {"name": "X", "club_id": self.club.id, "participant_ids": [(4, self.org.id)]}
            )


@tagged("post_install", "-at_install")
class TestClubQueries(EssClubCase):
    def _club_with(self, count):
        club = self.env["ess.club"].with_user(self.staff).create({"name": f"Club {count}"})
        club.member_ids = self.org
        persons = self.person_1 | self.person_2 | self.person_3
        for index in range(count):
            meeting = (
                self.env["ess.club.meeting"]
                .with_user(self.staff)
                .create(
                    {
                        "name": f"Rencontre {index}",
                        "club_id": club.id,
                        "start": fields.Datetime.now() + timedelta(days=index + 1),
                        "capacity": 10,
                    }
                )
            )
            for person in persons[: 1 + index % 3]:
                meeting._register_person(person, self.staff)
        return club

    def _read_meetings(self, club):
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        rows = club.with_user(self.staff).meeting_ids.read(
            ["name", "start", "seats_taken", "seats_left", "is_full", "attended_count"]
        )
        return self.cr.sql_log_count - start, rows

    def test_query_count_independent_of_meetings(self):
        club_small, club_big = self._club_with(3), self._club_with(9)
        self._read_meetings(club_small)  # caches of the registry warm
        small, rows = self._read_meetings(club_small)
        self.assertEqual(len(rows), 3)
        self.assertEqual(sorted(row["seats_taken"] for row in rows), [1, 2, 3])
        with self.assertQueryCount(small):
            big, rows = self._read_meetings(club_big)
        self.assertEqual(len(rows), 9)
        self.assertEqual(sum(row["seats_taken"] for row in rows), 18)
        self.assertEqual(big, small)


@tagged("post_install", "-at_install")
class TestClubAttendanceForm(EssClubCase):
    def test_staff_records_attendance_in_the_form(self):
        self._reg(self.person_1)
        self._reg(self.person_2)
        meeting = self.meeting.with_user(self.staff)
        meeting.start = fields.Datetime.now() - timedelta(hours=3)
        meeting.action_record_attendance()
        self.assertEqual((meeting.state, meeting.attendance_user_id), ("held", self.staff))
        form = Form(meeting)
        for index in range(len(form.registration_ids)):
            with form.registration_ids.edit(index) as line:
                line.attended = line.person_id == self.person_1
        with form.registration_ids.new() as line:
            line.person_id = self.person_3
            self.assertTrue(line.attended)
        form.minutes = "<p>Compte rendu</p>"
        form.save()
        attended = meeting.registration_ids.filtered("attended").person_id
        self.assertEqual(attended, self.person_1 | self.person_3)
        self.assertEqual(len(meeting.registration_ids), 3)
        self.assertEqual((meeting.registered_count, meeting.attended_count), (3, 2))


@tagged("post_install", "-at_install")
class TestClubDemo(EssNetworkCase):
    """The seed's club as the demo ships it."""

    def test_seed_club(self):
        club = self.env.ref("ess_network.club_rse").with_user(self.staff)
        self.assertEqual(club.name, "Club RSE d’Innov’Alliance")
        self.assertEqual(club.partner_ids.name, "Harmonie Mutuelle")
        self.assertEqual(club.date_start.month, 6)
        self.assertEqual(club.date_start.year, fields.Date.today().year - 1)
        year = fields.Date.today().year - 1
        figure = (
            self.env["ess.club.figure"]
            .with_user(self.staff)
            .search([("club_id", "=", club.id), ("year", "=", year)])
        )
        self.assertEqual(
            (figure.meeting_count, figure.structure_count, figure.participant_count), (3, 9, 13)
        )
        mission = self.env.ref("ess_network.club_rse_meeting_mission").with_user(self.staff)
        self.assertEqual((mission.state, mission.capacity, mission.seats_taken), ("planned", 30, 3))
        self.assertEqual((mission.start.month, mission.start.day), (3, 11))
        self.assertGreater(mission.start, fields.Datetime.now())
        self.assertTrue(mission.event_id.active)
        self.assertEqual(len(club.group_ids), 3)
        member = self.env.ref("ess_network.user_portal_accueil_partage")
        self.assertIn(member.partner_id, club.group_ids.participant_ids)
        self.assertIn(mission, mission._open_to(member))
        self.assertTrue(
            self.env.ref("ess_network.club_rse_deliverable_reviews_1")
            .with_user(member)
            .attachment_id
        )
