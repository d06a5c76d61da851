from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_datetime


class EssClubMeeting(models.Model):
    """The registration rules of a club meeting: who may register, until
    when, within its capacity, and its calendar event kept in line with it
    (the registered persons are its attendees)."""

    _name = "ess.club.meeting"
    _inherit = ["ess.club.meeting", "ess.calendar.event.mixin"]
    _event_fields = ("name", "start", "duration", "location", "agenda", "host_partner_id", "state")
    _event_max_hours = 12

    seats_taken = fields.Integer(
        compute="_compute_seats", help="The persons registered (unregistered ones left out)."
    )
    seats_left = fields.Integer(
        compute="_compute_seats", help="The seats still free; 0 when the meeting has no limit."
    )
    is_full = fields.Boolean("Full", compute="_compute_seats")
    registered_count = fields.Integer("Persons registered", compute="_compute_seats")
    attended_count = fields.Integer("Attended", compute="_compute_seats")

    @api.depends("capacity", "registration_ids.state", "registration_ids.attended")
    def _compute_seats(self):
        """One grouped query for every meeting of ``self``."""
        counts = {}
        real = self.filtered("id")
        if real:
            Registration = self.env["ess.club.registration"].sudo()
            for meeting, state, attended, count in Registration._read_group(
                [("meeting_id", "in", real.ids)],
                ["meeting_id", "state", "attended"],
                ["__count"],
            ):
                entry = counts.setdefault(meeting.id, [0, 0])
                if state == "registered":
                    entry[0] += count
                if attended:
                    entry[1] += count
        for meeting in self:
            if meeting.id:
                registered, attended = counts.get(meeting.id, (0, 0))
            else:  # a new meeting in a form: its lines
                lines = meeting.registration_ids
                registered = len(lines.filtered(lambda r: r.state == "registered"))
                attended = len(lines.filtered("attended"))
            meeting.registered_count = registered
            meeting.seats_taken = registered
            meeting.attended_count = attended
            meeting.is_full = bool(meeting.capacity) and registered >= meeting.capacity
            meeting.seats_left = max(meeting.capacity - registered, 0) if meeting.capacity else 0

    @api.constrains("capacity")
    def _check_capacity(self):
        for meeting in self:
            if meeting.capacity < 0:
                raise ValidationError(
                    self.env._("The capacity of a meeting is a number of seats, 0 for no limit.")
                )

    @api.constrains("group_id", "club_id")
    def _check_group_of_club(self):
        for meeting in self:
            if meeting.group_id and meeting.group_id.club_id != meeting.club_id:
                raise ValidationError(
                    self.env._(
                        "The working group “%(group)s” is not of the club “%(club)s”.",
                        group=meeting.group_id.name,
                        club=meeting.club_id.name,
                    )
                )

    # ------------------------------------------------------------ calendar
    def _event_values(self):
        persons = self.registration_ids.filtered(lambda r: r.state == "registered").person_id
        organiser = self.club_id.user_id
        return {
            "name": self.env._("%(club)s: %(subject)s", club=self.club_id.name, subject=self.name),
            "start": self.start,
            "stop": self.start + timedelta(hours=self.duration),
            "location": self.location or self.host_partner_id.name or False,
            "description": self.agenda or False,
            "partner_ids": [Command.set((persons | organiser.partner_id).ids)],
            "user_id": organiser.id or False,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    # -------------------------------------------------------- registration
    @api.model
    def _registration_organisation_ok(self, organisation, meeting):
        """Whether the persons of ``organisation`` may register to
        ``meeting``: a member of the meeting's network, or a partner or
        member organisation of its club (for a working group's meeting: an
        organisation of the group)."""
        organisation = organisation.sudo()
        meeting = meeting.sudo()
        if meeting.group_id:
            return organisation in meeting.group_id.member_ids
        club = meeting.club_id
        if organisation in club.partner_ids or organisation in club.member_ids:
            return True
        return (
            organisation.ess_member_state == "member"
            and organisation.ess_membership_id.company_id == meeting.company_id
        )

    @api.model
    def _open_to_domain(self, user):
        """The domain of the meetings ``user`` (a member's portal user, or
        staff) may register to now: planned, to come, of a club of its
        organisation's network or one it is a partner or member of; a
        working group's meeting only for the group's organisations."""
        now = fields.Datetime.now()
        domain = [("state", "=", "planned"), ("start", ">", now)]
        if not user.share:
            return domain
        organisation = user.sudo().commercial_partner_id
        membership = organisation.ess_membership_id
        ways = [
            [("club_id.partner_ids", "in", organisation.ids)],
            [("club_id.member_ids", "in", organisation.ids)],
        ]
        if organisation.ess_member_state == "member" and membership.company_id:
            ways.append([("company_id", "=", membership.company_id.id)])
        return expression.AND(
            [
                domain,
                expression.OR(
                    [
                        expression.AND([[("group_id", "=", False)], expression.OR(ways)]),
                        [("group_id.member_ids", "in", organisation.ids)],
                    ]
                ),
            ]
        )

    @api.model
    def _open_to(self, user):
        """The meetings ``user`` may register to now, soonest first: for a
        member, read with sudo (the domain keeps to its own network and
        clubs); for staff, within the networks they work in."""
        Meeting = self.sudo() if user.share else self.with_user(user)
        return Meeting.search(self._open_to_domain(user), order="start, id").with_env(self.env)

    def _check_may_act_for(self, person, user):
        """Raise unless ``user`` may register or unregister ``person``:
        staff for anyone, a member only for the persons of its own
        organisation."""
        if not person.exists() or person.sudo().is_company:
            raise ValidationError(
                self.env._(
                    "%s is an organisation: register one of its persons.",
                    person.sudo().display_name,
                )
                if person.exists()
                else self.env._("This person does not exist.")
            )
        if user.share:
            organisation = user.sudo().commercial_partner_id
            if person.sudo().commercial_partner_id != organisation:
                raise AccessError(
                    self.env._("You may only register the persons of your own organisation.")
                )

    def _check_registration_open(self):
        """Raise UserError unless one may still register to (or unregister
        from) this meeting: planned and not started yet."""
        self.ensure_one()
        meeting = self.sudo()
        if meeting.state == "cancelled":
            raise UserError(self.env._("The meeting “%s” has been cancelled.", meeting.name))
        if meeting.state == "held" or meeting.start <= fields.Datetime.now():
            raise UserError(
                self.env._(
                    "The meeting “%(name)s” of %(date)s is over: registrations are closed.",
                    name=meeting.name,
                    date=format_datetime(self.env, meeting.start, dt_format="short"),
                )
            )

    def _lock_for_registration(self):
        """Lock this meeting's row until the end of the transaction, so that
        two persons registering at once cannot both take the last seat; then
        the number of persons registered, read after the lock."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT id FROM ess_club_meeting WHERE id = %s FOR UPDATE", self.id)
        )
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM ess_club_registration "
                "WHERE meeting_id = %s AND state = 'registered'",
                self.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _register_person(self, person, user):
        """Register ``person`` to this meeting on behalf of ``user``; a
        cancelled registration of the person comes back. Raise a
        ValidationError, UserError or AccessError with the reason when the
        meeting is cancelled, held, past or full, or the person may not
        register.

        :return: the registration (as the caller's environment)
        """
        self.ensure_one()
        self._check_may_act_for(person, user)
        meeting = self.sudo()
        meeting._check_registration_open()
        organisation = person.sudo().commercial_partner_id
        if not self._registration_organisation_ok(organisation, meeting):
            raise UserError(
                self.env._(
                    "%(organisation)s is not a member of the network nor of the working "
                    "group: its persons cannot register to “%(meeting)s”.",
                    organisation=organisation.name,
                    meeting=meeting.name,
                )
            )
        Registration = self.env["ess.club.registration"].sudo().with_context(active_test=False)
        registration = Registration.search(
            [("meeting_id", "=", meeting.id), ("person_id", "=", person.id)], limit=1
        )
        if registration.state == "registered":
            return registration.with_env(self.env)
        taken = meeting._lock_for_registration()
        if meeting.capacity and taken >= meeting.capacity:
            raise UserError(
                self.env._(
                    "The meeting “%(name)s” is full: its %(capacity)s seats are taken.",
                    name=meeting.name,
                    capacity=meeting.capacity,
                )
            )
        values = {"state": "registered", "attended": False, "registered_by_id": user.id}
        if registration:
            registration.write(values)
        else:
            registration = Registration.create(
                {"meeting_id": meeting.id, "person_id": person.id, **values}
            )
        return registration.with_env(self.env)

    def _unregister_person(self, person, user):
        """Unregister ``person`` from this meeting on behalf of ``user``:
        the registration stays, cancelled. Only before the meeting starts.

        :return: the registration (as the caller's environment)
        """
        self.ensure_one()
        self._check_may_act_for(person, user)
        meeting = self.sudo()
        registration = (
            self.env["ess.club.registration"]
            .sudo()
            .search([("meeting_id", "=", meeting.id), ("person_id", "=", person.id)], limit=1)
        )
        if not registration or registration.state != "registered":
            raise UserError(
                self.env._(
                    "%(person)s is not registered to “%(meeting)s”.",
                    person=person.sudo().name,
                    meeting=meeting.name,
                )
            )
        meeting._check_registration_open()
        registration.write({"state": "cancelled"})
        return registration.with_env(self.env)


class EssClubRegistration(models.Model):
    """The rules of a registration entered by the staff: a person, within
    the capacity of a planned meeting."""

    _inherit = "ess.club.registration"

    @api.depends("meeting_id.company_id", "partner_id")
    def _compute_company_id(self):
        # the meeting's network, whatever the organisation's (a partner of
        # the club may belong to no network)
        for registration in self:
            registration.company_id = (
                registration.meeting_id.company_id
                or registration.partner_id.company_id
                or self.env.company
            )

    @api.constrains("person_id")
    def _check_person(self):
        for registration in self:
            if registration.person_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%s is an organisation: register one of its persons.",
                        registration.person_id.display_name,
                    )
                )

    @api.constrains("state", "meeting_id")
    def _check_capacity(self):
        for meeting in self.filtered(lambda r: r.state == "registered").meeting_id:
            if meeting.state != "planned" or not meeting.capacity:
                continue
            taken = self.search_count(
                [("meeting_id", "=", meeting.id), ("state", "=", "registered")]
            )
            if taken > meeting.capacity:
                raise ValidationError(
                    self.env._(
                        "The meeting “%(name)s” is full: its %(capacity)s seats are taken.",
                        name=meeting.name,
                        capacity=meeting.capacity,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("registered_by_id", self.env.user.id)
        registrations = super().create(vals_list)
        registrations.meeting_id._sync_events()
        return registrations

    def write(self, vals):
        meetings = self.meeting_id
        res = super().write(vals)
        if {"state", "person_id", "meeting_id"} & set(vals):
            (meetings | self.meeting_id)._sync_events()
        return res
