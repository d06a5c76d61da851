from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools import inputs
from .form import PortalForm, attachment_download, home_count

# What the page says after a registration change that was saved.
SAVED_KINDS = ("registered", "unregistered")


class EssClubPortal(CustomerPortal):
    """Clubs, their meetings and working groups on the portal.

    A member reads the clubs of its network and their meetings (record
    rules), registers and unregisters the persons of its own organisation
    (through ``ess.club.meeting``'s rules, ``_register`` / ``_unregister``),
    reads only its own organisation's registrations, and the working groups
    its organisation takes part in with their deliverables. A record the
    member may not read is not found (404), whatever the reason: nothing
    tells whether it exists."""

    # ----------------------------------------------------------------- helpers
    def _ess_organisation(self):
        return request.env.user.commercial_partner_id

    def _ess_is_member_user(self):
        user = request.env.user
        return user.share and user.commercial_partner_id.is_company

    def _ess_check(self, model, record_id):
        """The record with sudo, after checking the user reads it; 404
        otherwise (missing, of another network, of another organisation,
        archived)."""
        try:
            record_sudo = self._document_check_access(model, record_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if "active" in record_sudo._fields and not record_sudo.active:
            raise NotFound()
        return record_sudo

    def _ess_check_meeting(self, meeting_id):
        """The meeting with sudo, after checking the user reads it (a meeting
        of its network, of a club still active); 404 otherwise."""
        meeting_sudo = self._ess_check("ess.club.meeting", meeting_id)
        if not meeting_sudo.club_id.active:
            raise NotFound()
        return meeting_sudo

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_club_count" in counters:
            values["ess_club_count"] = home_count("ess.club", [])
        if "ess_club_group_count" in counters:
            values["ess_club_group_count"] = home_count("ess.club.group", [])
        return values

    def _ess_meeting_values(self, meetings):
        """The meetings to come (cancelled ones shown as such) and past."""
        now = fields.Datetime.now()
        return {
            "upcoming": meetings.filtered(lambda m: m.start >= now).sorted("start"),
            "past": meetings.filtered(lambda m: m.start < now and m.state != "cancelled"),
        }

    # ------------------------------------------------------------------- clubs
    @http.route("/my/clubs", type="http", auth="user", website=True)
    def portal_my_clubs(self, **kwargs):
        Club = request.env["ess.club"]
        if not self._ess_is_member_user() or not Club.has_access("read"):
            return request.redirect("/my")
        # found with the user's rights (the clubs of its network); read with
        # sudo for the names of their partners and themes
        clubs = Club.search([]).sudo()
        Meeting = request.env["ess.club.meeting"].sudo()
        upcoming = Meeting.search(
            [
                ("club_id", "in", clubs.ids),
                ("group_id", "=", False),
                ("state", "=", "planned"),
                ("start", ">=", fields.Datetime.now()),
            ],
            order="start, id",
        )
        next_meeting = {}
        for meeting in upcoming:
            next_meeting.setdefault(meeting.club_id.id, meeting)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_club",
            clubs=clubs,
            next_meeting=next_meeting,
        )
        return request.render("ess_network.portal_my_clubs", values)

    @http.route("/my/clubs/<int:club_id>", type="http", auth="user", website=True)
    def portal_my_club(self, club_id, **kwargs):
        if not self._ess_is_member_user():
            return request.redirect("/my")
        club_sudo = self._ess_check("ess.club", club_id)
        meetings = (
            request.env["ess.club.meeting"]
            .sudo()
            .search([("club_id", "=", club_sudo.id), ("group_id", "=", False)])
        )
        values = self._prepare_portal_layout_values()
        values.update(
            self._ess_meeting_values(meetings),
            page_name="ess_club_detail",
            club=club_sudo,
            organisation=self._ess_organisation(),
        )
        return request.render("ess_network.portal_my_club", values)

    # ---------------------------------------------------------------- meetings
    @http.route("/my/clubs/meeting/<int:meeting_id>", type="http", auth="user", website=True)
    def portal_my_club_meeting(self, meeting_id, saved=None, **kwargs):
        if not self._ess_is_member_user():
            return request.redirect("/my")
        meeting_sudo = self._ess_check_meeting(meeting_id)
        return self._ess_render_meeting(meeting_sudo, saved=saved if saved in SAVED_KINDS else None)

    def _ess_registration_post(self, meeting_id, change):
        """Register or unregister (``change``) the person posted
        (``person_id``; the user by default) to the meeting: the meeting's
        page again with the error (400, nothing written), or redirected to it
        when saved."""
        if not self._ess_is_member_user():
            return request.redirect("/my")
        env = request.env
        meeting_sudo = self._ess_check_meeting(meeting_id)
        form = PortalForm()
        person = env.user.partner_id
        if form.values.get("person_id"):
            person_ids = form.typed("person_id", inputs.parse_ids)
            persons = env["ess.club.registration"]._organisation_persons(self._ess_organisation())
            if person_ids is not None and (
                len(person_ids) != 1 or not person_ids <= set(persons.ids)
            ):
                form.error("person_id", env._("Choose a person of your organisation."))
            if not form.errors:
                person = persons.filtered(lambda p: p.id in person_ids)
        if not form.errors:
            try:
                _registration, errors = meeting_sudo._portal_registration_change(
                    env.user, person, change
                )
            except AccessError:
                errors = {"person_id": env._("Choose a person of your organisation.")}
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_meeting(meeting_sudo, form=form, status=400)
        saved = "registered" if change == "register" else "unregistered"
        return request.redirect(f"/my/clubs/meeting/{meeting_sudo.id}?saved={saved}#registration")

    @http.route(
        "/my/clubs/meeting/<int:meeting_id>/register",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_club_meeting_register(self, meeting_id, **kwargs):
        return self._ess_registration_post(meeting_id, "register")

    @http.route(
        "/my/clubs/meeting/<int:meeting_id>/unregister",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_club_meeting_unregister(self, meeting_id, **kwargs):
        return self._ess_registration_post(meeting_id, "unregister")

    @http.route(
        "/my/clubs/meeting/<int:meeting_id>/document/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_club_meeting_document(self, meeting_id, attachment_id, **kwargs):
        if not self._ess_is_member_user():
            raise NotFound()
        meeting_sudo = self._ess_check_meeting(meeting_id)
        # only a document of this very meeting, once held; a working group's
        # only for the group's member organisations
        attachment_sudo = meeting_sudo._portal_document(request.env.user, attachment_id)
        if not attachment_sudo:
            raise NotFound()
        return attachment_download(attachment_sudo)

    def _ess_render_meeting(self, meeting_sudo, form=None, saved=None, status=200):
        """The page of a meeting: what, when, where, the seats left, the
        registrations of the user's organisation with the buttons to
        register and unregister, the minutes and documents once held."""
        env = request.env
        user = env.user
        organisation = self._ess_organisation()
        Registration = env["ess.club.registration"]
        # the user's organisation's registrations only (record rule)
        registrations = (
            Registration.search(
                [("meeting_id", "=", meeting_sudo.id), ("state", "=", "registered")]
            )
            .sudo()
            .sorted(lambda r: (r.person_id.name or "", r.id))
        )
        open_ = meeting_sudo._portal_is_open_for_registration(user)
        registered_persons = registrations.person_id
        colleagues = (
            Registration._organisation_persons(organisation) - registered_persons - user.partner_id
            if open_
            else env["res.partner"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_club_meeting",
            meeting=meeting_sudo,
            club=meeting_sudo.club_id,
            group=meeting_sudo.group_id,
            registrations=registrations,
            user_registered=user.partner_id in registered_persons,
            is_open=open_,
            is_full=meeting_sudo.is_full,
            colleagues=colleagues,
            documents_visible=meeting_sudo._portal_documents_visible(user),
            errors=form.errors if form else {},
            saved=saved,
        )
        return request.render("ess_network.portal_my_club_meeting", values, status=status)

    # ---------------------------------------------------------- working groups
    @http.route("/my/groups", type="http", auth="user", website=True)
    def portal_my_groups(self, **kwargs):
        Group = request.env["ess.club.group"]
        if not self._ess_is_member_user() or not Group.has_access("read"):
            return request.redirect("/my")
        # the groups the user's organisation takes part in (record rule)
        groups = Group.search([]).sudo()
        Meeting = request.env["ess.club.meeting"].sudo()
        upcoming = Meeting.search(
            [
                ("group_id", "in", groups.ids),
                ("state", "=", "planned"),
                ("start", ">=", fields.Datetime.now()),
            ],
            order="start, id",
        )
        next_meeting = {}
        for meeting in upcoming:
            next_meeting.setdefault(meeting.group_id.id, meeting)
        values = self._prepare_portal_layout_values()
        values.update(page_name="ess_club_group", groups=groups, next_meeting=next_meeting)
        return request.render("ess_network.portal_my_groups", values)

    @http.route("/my/groups/<int:group_id>", type="http", auth="user", website=True)
    def portal_my_group(self, group_id, **kwargs):
        if not self._ess_is_member_user():
            return request.redirect("/my")
        group_sudo = self._ess_check("ess.club.group", group_id)
        organisation = self._ess_organisation()
        values = self._prepare_portal_layout_values()
        values.update(
            self._ess_meeting_values(group_sudo.meeting_ids),
            page_name="ess_club_group_detail",
            group=group_sudo,
            club=group_sudo.club_id,
            participants=group_sudo.participant_ids.filtered(
                lambda p: p.commercial_partner_id == organisation
            ),
            deliverables=group_sudo.deliverable_ids.filtered(lambda d: d.state != "cancelled"),
        )
        return request.render("ess_network.portal_my_group", values)

    @http.route(
        "/my/groups/deliverable/<int:deliverable_id>/document",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_group_deliverable(self, deliverable_id, **kwargs):
        if not self._ess_is_member_user():
            raise NotFound()
        # a deliverable of a group the user's organisation takes part in (record rule)
        deliverable_sudo = self._ess_check("ess.club.deliverable", deliverable_id)
        if not deliverable_sudo.group_id.active or not deliverable_sudo.attachment_id:
            raise NotFound()
        return attachment_download(deliverable_sudo.attachment_id)
