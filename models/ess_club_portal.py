from odoo import fields, models


class EssClubMeetingPortal(models.Model):
    """A club meeting as a member reads it on the portal: whether it may
    register to it, whether its documents are for the member's organisation, registering
    and unregistering the persons of the member's organisation."""

    _inherit = "ess.club.meeting"

    def _portal_is_open_for_registration(self, user):
        """Whether the portal offers ``user``, a member, to register the
        persons of its organisation: a planned meeting to come, open to its
        organisation. The model's rules (``_register_person``) decide; this
        only spares buttons that would be refused."""
        self.ensure_one()
        meeting = self.sudo()
        return (
            meeting.state == "planned"
            and meeting.start > fields.Datetime.now()
            and self._registration_organisation_ok(user.commercial_partner_id, meeting)
        )

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
        model's rules (``_register_person`` / ``_unregister_person``), in a
        savepoint, so
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
                return meeting._register_person(target, user)
            return meeting._unregister_person(target, user)

        return registration._portal_run(user, work)
