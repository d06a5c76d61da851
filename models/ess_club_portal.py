from odoo import api, fields, models


class EssClubMeetingPortal(models.Model):
    """A club meeting as a member reads it on the portal: the seats left,
    whether its documents are for the member's organisation, registering
    and unregistering the persons of the member's organisation."""

    _inherit = "ess.club.meeting"

    @api.model
    def _portal_registered_counts(self, meetings):
        """How many persons (of every organisation) are registered to each
        of ``meetings``, in one query: ``{meeting id: count}``. A count
        only: no person of another organisation is read."""
        if not meetings:
            return {}
        groups = (
            self.env["ess.club.registration"]
            .sudo()
            ._read_group(
                [("meeting_id", "in", meetings.ids), ("state", "=", "registered")],
                ["meeting_id"],
                ["__count"],
            )
        )
        return {meeting.id: count for meeting, count in groups}

    def _portal_seats_left(self, registered):
        """The seats left once ``registered`` persons are registered, or
        None when the meeting has no limit."""
        self.ensure_one()
        if not self.capacity:
            return None
        return max(self.capacity - registered, 0)

    def _portal_is_upcoming(self):
        self.ensure_one()
        return self.start >= fields.Datetime.now()

    def _portal_is_open_for_registration(self):
        """Whether the portal offers to register: a planned meeting to come.
        The model's rules (``_register``) decide; this only spares a button
        that would be refused."""
        self.ensure_one()
        return self.state == "planned" and self._portal_is_upcoming()

    def _portal_documents_visible(self, user):
        """Whether ``user``, a member, reads the minutes and documents of the
        meeting: once it is held; a working group's meeting's only for the
        group's member organisations."""
        self.ensure_one()
        meeting = self.sudo()
        if meeting.state != "held":
            return False
        if not meeting.group_id:
            return True
        organisation = user.commercial_partner_id
        return bool(organisation) and organisation in meeting.group_id.member_ids

    def _portal_document(self, user, attachment_id):
        """The document ``attachment_id`` of this meeting (sudo) when
        ``user`` may download it, else an empty recordset."""
        self.ensure_one()
        if not self._portal_documents_visible(user):
            return self.env["ir.attachment"]
        return self.sudo().attachment_ids.filtered(lambda a: a.id == attachment_id)

    def _portal_registration_change(self, user, person, change):
        """Register (``change`` = ``"register"``) or unregister ``person``,
        a person of the organisation of ``user``, as ``user``: through the
        model's rules (``_register`` / ``_unregister``), in a savepoint, so
        that a refused change writes nothing and becomes the page's error.

        The organisation is that of the registration
        (``ess.organisation.mixin``): a person of another organisation is
        refused (AccessError) before anything runs.

        :return: ``(registration or None, errors)``
        """
        self.ensure_one()
        registration = (
            self.env["ess.club.registration"]
            .sudo()
            .new({"meeting_id": self.id, "person_id": person.id})
        )

        def work(record):
            meeting = self.with_env(record.env)
            target = person.with_env(record.env)
            if change == "register":
                return meeting._register(target, user)
            return meeting._unregister(target, user)

        return registration._portal_run(user, work)
