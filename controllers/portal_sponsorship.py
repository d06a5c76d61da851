import re

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.ess_sponsor import ACTIVE_STATES, MAX_CAPACITY
from ..models.ess_sponsorship_session import MAX_SESSION_HOURS
from ..tools import inputs
from ..tools.formats import format_number
from .form import PortalForm, home_count, origin_field
from .portal_guide import number_text

# Form fields posted once per ticked box.
SPONSORSHIP_LISTS = ("module_ids", "contact_ids", "person_ids")
# The hours of a held session on one module: ``hours_<module id>``.
HOURS_KEY = re.compile(r"^hours_([0-9]{1,10})$")
TEXT_LIMIT = 2000
NOTES_LIMIT = 4000


def ids_canonical(key, value):
    """How the forms compare values: a list of ticked boxes without the
    empty value posted before them, in order."""
    if key not in SPONSORSHIP_LISTS:
        return value
    items = value if isinstance(value, list | tuple) else [value]
    return sorted(str(item).strip() for item in items if str(item).strip())


def typed_ids(form, key):
    """The ids of the boxes ticked in ``key`` (none when the form posted no
    such field), or None after recording its error in ``form``."""
    if key not in form.values:
        return set()
    return form.typed(key, inputs.parse_ids)


def profile_form_values(profile):
    """What the volunteer form shows for ``profile`` (or, for an empty
    recordset, for a new one), by field name, as text or lists of ids."""
    if not profile:
        return {
            "person_ids": [],
            "capacity": "1",
            "module_ids": [],
            "paused_until": "",
            "note": "",
        }
    return {
        "person_ids": [str(i) for i in profile.person_ids.ids],
        "capacity": str(profile.capacity),
        "module_ids": [str(i) for i in profile.module_ids.ids],
        "paused_until": fields.Date.to_string(profile.paused_until) or "",
        "note": profile.note or "",
    }


class EssSponsorshipPortal(CustomerPortal):
    """Sponsorship on the portal: the sponsorships of the user's
    organisation, as new member and as sponsor; asking for a sponsor; a
    sponsorship's page (the other side, the modules, the sessions, the
    chatter) where the sponsor logs and plans sessions and each side writes
    its closing note; the organisation's volunteer profile.

    Every page shows only the sponsorships of the user's organisation
    (record rules, then ``_document_check_access``); the controller reads
    what a member posts into typed values, which the ``_portal_*`` methods of
    ``ess.sponsorship`` and ``ess.sponsor`` check again and write."""

    # ----------------------------------------------------------------- helpers
    def _ess_organisation(self):
        return request.env.user.commercial_partner_id

    def _ess_is_member_user(self):
        user = request.env.user
        return user.share and user.commercial_partner_id.is_company

    def _ess_sponsorship_domain(self):
        organisation = self._ess_organisation().id
        return ["|", ("partner_id", "=", organisation), ("sponsor_partner_id", "=", organisation)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_sponsorship_count" in counters:
            values["ess_sponsorship_count"] = home_count(
                "ess.sponsorship", self._ess_sponsorship_domain()
            )
        return values

    def _ess_check_sponsorship(self, sponsorship_id):
        """The sponsorship with sudo, after checking the user reads it."""
        return self._document_check_access("ess.sponsorship", sponsorship_id)

    # ------------------------------------------------------------ sponsorships
    @http.route("/my/sponsorships", type="http", auth="user", website=True)
    def portal_my_sponsorships(self, **kwargs):
        Sponsorship = request.env["ess.sponsorship"]
        if not Sponsorship.has_access("read"):
            return request.redirect("/my")
        organisation = self._ess_organisation()
        # found with the user's rights; read with sudo for the names of the
        # sponsors and modules
        sponsorships = Sponsorship.search(self._ess_sponsorship_domain()).sudo()
        request.session["my_sponsorships_history"] = sponsorships.ids[:100]
        member_user = self._ess_is_member_user()
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_sponsorship",
            hours_text=lambda value: format_number(request.env, value),
            sponsored=sponsorships.filtered(lambda s: s.partner_id == organisation),
            led=sponsorships.filtered(lambda s: s.sponsor_partner_id == organisation),
            can_request=member_user and not Sponsorship._portal_request_refusal(organisation),
            can_volunteer=member_user
            and (
                organisation.sudo().ess_member_state == "member"
                or bool(request.env["ess.sponsor"]._portal_profile(organisation))
            ),
        )
        return request.render("ess_network.portal_my_sponsorships", values)

    @http.route(
        "/my/sponsorships/request",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_sponsorship_request(self, **kwargs):
        if not self._ess_is_member_user():
            return request.redirect("/my")
        env = request.env
        Sponsorship = env["ess.sponsorship"]
        if request.httprequest.method != "POST":
            return self._ess_render_request()
        form = PortalForm(lists=SPONSORSHIP_LISTS)
        vals = {
            "module_ids": typed_ids(form, "module_ids"),
            "contact_ids": typed_ids(form, "contact_ids"),
            "needs": form.typed("needs", inputs.clean_text, TEXT_LIMIT, multiline=True),
        }
        if not form.errors:
            sponsorship_sudo, errors = Sponsorship._portal_request(env.user, vals)
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_request(form=form, status=400)
        return request.redirect(f"{sponsorship_sudo.access_url}?saved=request")

    def _ess_render_request(self, form=None, status=200):
        env = request.env
        Sponsorship = env["ess.sponsorship"]
        organisation = self._ess_organisation()
        company = organisation.sudo().ess_membership_id.company_id or env.company
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_sponsorship_request",
            refusal=Sponsorship._portal_request_refusal(organisation),
            modules=Sponsorship._portal_modules(company),
            contacts=Sponsorship._portal_persons(organisation),
            form={
                "module_ids": [],
                "contact_ids": [str(env.user.partner_id.id)],
                "needs": "",
                **(form.values if form else {}),
            },
            errors=form.errors if form else {},
            text_limit=TEXT_LIMIT,
        )
        return request.render("ess_network.portal_my_sponsorship_request", values, status=status)

    @http.route("/my/sponsorships/<int:sponsorship_id>", type="http", auth="user", website=True)
    def portal_my_sponsorship(self, sponsorship_id, saved=None, session=None, **kwargs):
        try:
            sponsorship_sudo = self._ess_check_sponsorship(sponsorship_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._ess_render_sponsorship(sponsorship_sudo, saved=saved, session=session)

    def _ess_session_vals(self, form, held):
        """The typed values of the session form (held or planned); errors
        go to ``form``."""
        env = request.env
        vals = {
            "date": form.typed("date", inputs.parse_date),
            "time": form.typed("time", inputs.parse_time),
            "duration": form.typed("duration", inputs.parse_number),
            "notes": form.typed("notes", inputs.clean_text, NOTES_LIMIT, multiline=True),
        }
        if not held:
            vals["module_ids"] = typed_ids(form, "module_ids")
            return vals
        vals["hours"] = {}
        for key in form.values:
            if not key.startswith("hours_"):
                continue
            match = HOURS_KEY.match(key)
            if not match:
                form.error("hours", env._("Choose modules in the list."))
                continue
            vals["hours"][int(match.group(1))] = form.typed(key, inputs.parse_number)
        session_ids = typed_ids(form, "session_id")
        if session_ids is not None and len(session_ids) > 1:
            form.error("session_id", env._("Choose a planned session of this sponsorship."))
        vals["session_id"] = next(iter(session_ids), False) if session_ids else False
        return vals

    def _ess_sponsorship_post(self, sponsorship_id, kind, write):
        """Read a form of the sponsorship's page and give its typed values to
        ``write(sponsorship_sudo, form)``, which returns the errors; the
        page again with the errors, or redirected to it when saved."""
        try:
            sponsorship_sudo = self._ess_check_sponsorship(sponsorship_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        form = PortalForm(lists=SPONSORSHIP_LISTS, canonical=ids_canonical)
        try:
            errors = write(sponsorship_sudo, form)
        except AccessError:
            return request.redirect("/my")
        for key, message in errors.items():
            form.error(key, message)
        if form.errors:
            return self._ess_render_sponsorship(sponsorship_sudo, forms={kind: form}, status=400)
        return request.redirect(f"{sponsorship_sudo.access_url}?saved={kind}#{kind}")

    @http.route(
        "/my/sponsorships/<int:sponsorship_id>/session",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_sponsorship_session(self, sponsorship_id, **kwargs):
        def write(sponsorship_sudo, form):
            vals = self._ess_session_vals(form, held=True)
            if form.errors:
                return {}
            return sponsorship_sudo._portal_log_session(request.env.user, vals)

        return self._ess_sponsorship_post(sponsorship_id, "log", write)

    @http.route(
        "/my/sponsorships/<int:sponsorship_id>/plan",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_sponsorship_plan(self, sponsorship_id, **kwargs):
        def write(sponsorship_sudo, form):
            vals = self._ess_session_vals(form, held=False)
            if form.errors:
                return {}
            return sponsorship_sudo._portal_plan_session(request.env.user, vals)

        return self._ess_sponsorship_post(sponsorship_id, "plan", write)

    @http.route(
        "/my/sponsorships/<int:sponsorship_id>/note",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_sponsorship_note(self, sponsorship_id, **kwargs):
        def write(sponsorship_sudo, form):
            field = sponsorship_sudo._portal_closing_field(request.env.user)
            posted = form.changes({"closing_note": sponsorship_sudo[field] or ""} if field else {})
            if form.errors or "closing_note" not in posted:
                return {}
            text = form.typed("closing_note", inputs.clean_text, TEXT_LIMIT, multiline=True)
            if form.errors:
                return {}
            return sponsorship_sudo._portal_closing_note(request.env.user, text)

        return self._ess_sponsorship_post(sponsorship_id, "note", write)

    def _ess_session_form(self, sponsorship_sudo, session_id):
        """What the form to log a session shows: a new session, or the
        planned session ``session_id`` (text) to log as held."""
        Sponsorship = request.env["ess.sponsorship"]
        user = request.env.user
        today = Sponsorship._portal_local(user, fields.Datetime.now()).date()
        values = {
            "session_id": "",
            "date": fields.Date.to_string(today),
            "time": "",
            "duration": "2",
            "notes": "",
        }
        session = sponsorship_sudo.session_ids.filtered(
            lambda s: str(s.id) == (session_id or "") and s.state == "planned"
        )
        if session:
            local = Sponsorship._portal_local(user, session.start)
            values.update(
                session_id=str(session.id),
                date=fields.Date.to_string(local.date()),
                time=local.strftime("%H:%M"),
                duration=number_text(session.duration),
                notes=session.notes or "",
                **{f"hours_{line.module_id.id}": "" for line in session.line_ids},
            )
        return values

    def _ess_render_sponsorship(
        self, sponsorship_sudo, forms=None, status=200, saved=None, session=None
    ):
        """The page of a sponsorship; after a refused post, with the posted
        values and the errors in the form that was posted (``forms``:
        ``{"log" | "plan" | "note": PortalForm}``)."""
        env = request.env
        user = env.user
        Sponsorship = env["ess.sponsorship"]
        forms = forms or {}
        role = sponsorship_sudo._portal_role(user)
        active = sponsorship_sudo.state in ACTIVE_STATES
        now = fields.Datetime.now()
        sessions = sponsorship_sudo.session_ids.filtered(lambda s: s.state != "cancelled")
        planned = sessions.filtered(lambda s: s.state == "planned").sorted("start")
        chosen = sponsorship_sudo.module_line_ids.module_id
        modules = chosen | (Sponsorship._portal_modules(sponsorship_sudo.company_id) - chosen)
        note_field = sponsorship_sudo._portal_closing_field(user)
        note_current = {"closing_note": (sponsorship_sudo[note_field] or "") if note_field else ""}

        def form_state(kind, defaults):
            form = forms.get(kind)
            return {
                "values": {**defaults, **(form.values if form else {})},
                "errors": form.errors if form else {},
            }

        log = form_state("log", self._ess_session_form(sponsorship_sudo, session))
        plan = form_state(
            "plan", {"date": "", "time": "", "duration": "2", "notes": "", "module_ids": []}
        )
        note = form_state("note", note_current)
        note["origin"] = (
            forms["note"].origin_field(note_current)
            if "note" in forms
            else origin_field(note_current)
        )
        can_log = role == "sponsor" and active
        shown = {
            "log": can_log,
            "plan": can_log,
            "note": sponsorship_sudo.state in (*ACTIVE_STATES, "ended"),
        }
        # the errors of a form the page no longer shows (the sponsorship has
        # ended meanwhile), at its top
        stray_errors = {}
        for kind, form in forms.items():
            if not shown.get(kind):
                stray_errors.update(form.errors)
        values = {
            "sponsorship": sponsorship_sudo,
            "stray_errors": stray_errors,
            "page_name": "ess_sponsorship_detail",
            "role": role,
            "other": sponsorship_sudo.sponsor_partner_id
            if role == "member"
            else sponsorship_sudo.partner_id,
            "other_persons": sponsorship_sudo.sponsor_person_ids
            if role == "member"
            else sponsorship_sudo.contact_ids,
            "held": sessions.filtered(lambda s: s.state == "held"),
            "upcoming": planned.filtered(lambda s: s.start >= now),
            "to_log": planned.filtered(lambda s: s.start < now),
            "modules": modules,
            "module_texts": {
                line.id: env._(
                    "%(hours)s h spent, guideline %(guideline)s",
                    hours=format_number(env, line.hours),
                    guideline=line.module_id.guideline,
                )
                for line in sponsorship_sudo.module_line_ids
            },
            "local": lambda value: Sponsorship._portal_local(user, value),
            "hours_text": lambda value: format_number(env, value),
            "module_hours": lambda line: env._(
                "%(module)s: %(hours)s h",
                module=line.module_id.name,
                hours=format_number(env, line.hours),
            ),
            "can_log": can_log,
            "can_note": bool(note_field) and active,
            "log": log,
            "plan": plan,
            "note": note,
            "saved": saved,
            "max_session_hours": MAX_SESSION_HOURS,
            "text_limit": TEXT_LIMIT,
            "notes_limit": NOTES_LIMIT,
        }
        values = self._get_page_view_values(
            sponsorship_sudo, None, values, "my_sponsorships_history", False
        )
        return request.render("ess_network.portal_my_sponsorship", values, status=status)

    # -------------------------------------------------------- volunteer profile
    @http.route("/my/sponsor", type="http", auth="user", website=True)
    def portal_my_sponsor(self, saved=None, **kwargs):
        if not self._ess_is_member_user():
            return request.redirect("/my")
        return self._ess_render_sponsor(saved=saved)

    @http.route("/my/sponsor/save", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_sponsor_save(self, **kwargs):
        if not self._ess_is_member_user():
            return request.redirect("/my")
        env = request.env
        profile = env["ess.sponsor"]._portal_profile(self._ess_organisation())
        form = PortalForm(lists=SPONSORSHIP_LISTS, canonical=ids_canonical)
        posted = form.changes(profile_form_values(profile)) if profile else form.values
        vals = {}
        if "person_ids" in posted or not profile:
            vals["person_ids"] = typed_ids(form, "person_ids")
        if "module_ids" in posted or not profile:
            vals["module_ids"] = typed_ids(form, "module_ids")
        if "capacity" in posted or not profile:
            vals["capacity"] = form.typed("capacity", inputs.parse_integer, 1, MAX_CAPACITY)
        if "paused_until" in posted:
            vals["paused_until"] = form.typed("paused_until", inputs.parse_date)
        if "note" in posted:
            vals["note"] = form.typed("note", inputs.clean_text, TEXT_LIMIT, multiline=True)
        if not form.errors:
            _profile, errors = env["ess.sponsor"]._portal_volunteer(env.user, vals)
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_sponsor(form=form, status=400)
        return request.redirect("/my/sponsor?saved=1")

    @http.route("/my/sponsor/withdraw", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_sponsor_withdraw(self, **kwargs):
        if not self._ess_is_member_user():
            return request.redirect("/my")
        env = request.env
        profile = env["ess.sponsor"]._portal_profile(self._ess_organisation())
        if not profile:
            return request.redirect("/my/sponsor")
        form = PortalForm()
        reason = form.typed("withdrawal_reason", inputs.clean_text, TEXT_LIMIT, multiline=True)
        if not form.errors:
            for key, message in profile._portal_withdraw(env.user, reason).items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_sponsor(withdraw_form=form, status=400)
        return request.redirect("/my/sponsor?saved=withdrawn")

    def _ess_render_sponsor(self, form=None, withdraw_form=None, saved=None, status=200):
        env = request.env
        organisation = self._ess_organisation()
        profile = env["ess.sponsor"]._portal_profile(organisation)
        company = profile.company_id or organisation.sudo().ess_membership_id.company_id
        current = profile_form_values(profile)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_sponsor",
            profile=profile,
            organisation=organisation,
            can_volunteer=bool(profile.active) or organisation.sudo().ess_member_state == "member",
            persons=env["ess.sponsorship"]._portal_persons(organisation),
            modules=env["ess.sponsorship"]._portal_modules(company or env.company),
            form={**current, **(form.values if form else {})},
            form_origin=form.origin_field(current)
            if form
            else origin_field(current, ids_canonical),
            errors=form.errors if form else {},
            withdraw={
                "values": withdraw_form.values if withdraw_form else {},
                "errors": withdraw_form.errors if withdraw_form else {},
            },
            saved=saved,
            led=profile.sponsorship_ids.filtered(lambda s: s.state in ACTIVE_STATES),
            max_capacity=MAX_CAPACITY,
            text_limit=TEXT_LIMIT,
        )
        return request.render("ess_network.portal_my_sponsor", values, status=status)
