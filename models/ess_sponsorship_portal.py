import datetime

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools.formats import format_number
from .ess_sponsor import ACTIVE_STATES
from .ess_sponsorship import OPEN_STATES, SPONSORED_PHASES
from .ess_sponsorship_module import MAX_MODULE_HOURS
from .ess_sponsorship_session import MAX_SESSION_HOURS


class EssSponsorship(models.Model):
    """What the two organisations of a sponsorship do on their portal: the
    new member asks for a sponsor; the sponsor logs the sessions held and
    proposes the next one; each side writes its closing note.

    Every method takes typed values (see the portal controller), checks them
    again and returns the errors by form field (``form`` for the whole
    form): nothing is written when anything is wrong."""

    _inherit = "ess.sponsorship"

    # ----------------------------------------------------------------- helpers
    @api.model
    def _portal_modules(self, company):
        """The modules the members of the network ``company`` may choose:
        the shared ones and the network's own, read with sudo."""
        return self.env["ess.sponsorship.module"].sudo()._network_search(company)

    @api.model
    def _portal_persons(self, organisation):
        """The persons of ``organisation``, read with sudo."""
        return self.env["ess.stakeholder"]._portal_contacts(organisation)

    @api.model
    def _portal_tz(self, user):
        return pytz.timezone(user.tz or "UTC")

    @api.model
    def _portal_start(self, user, date, time):
        """The date and time ``user`` typed, in the user's time zone, as
        stored (UTC, naive)."""
        local = self._portal_tz(user).localize(datetime.datetime.combine(date, time))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _portal_local(self, user, value):
        """A stored datetime in the time zone of ``user`` (naive)."""
        return pytz.utc.localize(value).astimezone(self._portal_tz(user)).replace(tzinfo=None)

    @api.model
    def _portal_request_refusal(self, organisation):
        """Why ``organisation`` cannot ask for a sponsor now, or False."""
        organisation = organisation.sudo()
        membership = organisation.ess_membership_id
        if (
            not membership
            or membership.state in ("refused", "withdrawn")
            or membership.phase not in SPONSORED_PHASES
        ):
            return self.env._(
                "Sponsorship is for new members, from their adhesion to the end of their "
                "appropriation phase: your organisation cannot ask for a sponsor."
            )
        under_way = self.sudo().search(
            [
                ("partner_id", "=", organisation.id),
                ("company_id", "=", membership.company_id.id),
                ("state", "in", OPEN_STATES),
            ],
            limit=1,
        )
        if under_way:
            return self.env._(
                "Your organisation already has a sponsorship under way (%s): follow that one.",
                under_way.name,
            )
        return False

    def _portal_check_sponsor(self, user):
        """Check that ``user`` belongs to the sponsor organisation (else
        AccessError) and that the sponsorship is under way.

        :return: the form's error when it is not, else nothing
        """
        self.ensure_one()
        if self._portal_role(user) != "sponsor":
            raise AccessError(self.env._("Only the sponsor organisation logs and plans sessions."))
        if self.state not in ACTIVE_STATES:
            return {"form": self._portal_closed_message()}
        return {}

    def _portal_check_session_values(self, user, values, held):
        """The errors of a session's typed ``values``: ``date``, ``time``,
        ``duration``, and either ``hours`` (``{module id: hours}``, a held
        session) or ``module_ids`` (a planned one).

        :return: ``(start, errors)``
        """
        env = self.env
        errors = {}
        date, time, duration = values.get("date"), values.get("time"), values.get("duration")
        if not date:
            errors["date"] = env._("Give the date of the session.")
        if not time:
            errors["time"] = env._("Give the time the session starts.")
        if duration is None:
            errors["duration"] = env._("Give the length of the session, in hours.")
        elif not 0 < duration <= MAX_SESSION_HOURS:
            errors["duration"] = env._(
                "A session lasts more than 0 and at most %(max)s hours, not %(hours)s.",
                max=format_number(env, MAX_SESSION_HOURS),
                hours=format_number(env, duration),
            )
        modules = self._portal_modules(self.company_id)
        if held:
            hours = values.get("hours") or {}
            if not set(hours) <= set(modules.ids):
                errors["hours"] = env._("Choose modules in the list.")
            for module_id, spent in hours.items():
                if spent is not None and not 0 <= spent <= MAX_MODULE_HOURS:
                    errors[f"hours_{module_id}"] = env._(
                        "The hours spent on a module go from 0 to %(max)s, not %(hours)s.",
                        max=format_number(env, MAX_MODULE_HOURS),
                        hours=format_number(env, spent),
                    )
            spent = sum(h for h in hours.values() if h)
            if "hours" not in errors and not any(k.startswith("hours_") for k in errors):
                if not spent:
                    errors["hours"] = env._("Give the hours spent on at least one module.")
                elif "duration" not in errors and spent > duration + 0.001:
                    errors["hours"] = env._(
                        "The hours spent on the modules (%(hours)s) exceed the length of the "
                        "session (%(duration)s hours).",
                        hours=format_number(env, spent),
                        duration=format_number(env, duration),
                    )
        elif not set(values.get("module_ids") or ()) <= set(modules.ids):
            errors["module_ids"] = env._("Choose modules in the list.")
        start = None
        if date and time:
            start = self._portal_start(user, date, time)
            now = fields.Datetime.now()
            designated = self._portal_local(user, self.designation_date).date()
            if held and start > now:
                errors["date"] = env._(
                    "A session that has been held cannot be dated in the future."
                )
            elif not held and start <= now:
                errors["date"] = env._("Propose a date and time to come.")
            elif date < designated:
                errors["date"] = env._(
                    "A session cannot take place before its sponsor was designated (%s).",
                    format_date(env, designated),
                )
        return start, errors

    # ------------------------------------------------------------------ request
    @api.model
    def _portal_request(self, user, values):
        """``user``'s organisation, a new member, asks for a sponsor.

        :param dict values: ``module_ids`` (ids of the modules wished, among
            those of its network; one at least), ``needs`` (text or False),
            ``contact_ids`` (ids of its persons who will meet the sponsor;
            by default the user)
        :return: ``(sponsorship, errors)``: the sponsorship asked (with
            sudo), or the errors by form field
        """
        organisation = user.commercial_partner_id
        if not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation ask for a sponsor.")
            )
        empty = self.sudo().browse()
        refusal = self._portal_request_refusal(organisation)
        if refusal:
            return empty, {"form": refusal}
        company = organisation.sudo().ess_membership_id.company_id
        errors = {}
        module_ids = set(values.get("module_ids") or ())
        if not module_ids <= set(self._portal_modules(company).ids):
            errors["module_ids"] = self.env._("Choose modules in the list.")
        elif not module_ids:
            errors["module_ids"] = self.env._("Choose at least one module you wish to work on.")
        persons = self._portal_persons(organisation)
        contact_ids = set(values.get("contact_ids") or ())
        if not contact_ids <= set(persons.ids):
            errors["contact_ids"] = self.env._(
                "Choose contacts among the people of your organisation."
            )
        elif not contact_ids and user.partner_id in persons:
            contact_ids = {user.partner_id.id}
        if errors:
            return empty, errors
        modules = self._portal_modules(company).filtered(lambda m: m.id in module_ids)
        try:
            with self.env.cr.savepoint():
                sponsorship = (
                    self.with_user(user)
                    .sudo()
                    .with_context(mail_create_nolog=True)
                    .create(
                        {
                            "partner_id": organisation.id,
                            "company_id": company.id,
                            "origin": "portal",
                            "needs": values.get("needs") or False,
                            "contact_ids": [Command.set(sorted(contact_ids))],
                            "module_line_ids": [
                                Command.create({"module_id": module.id}) for module in modules
                            ],
                        }
                    )
                )
                sponsorship._portal_post_changes(
                    user,
                    self.env._("Sponsor asked for through the portal by %s.", user.name),
                    modules.mapped("name"),
                )
        except (UserError, ValidationError) as error:
            return empty, {"form": str(error.args[0])}
        return self.sudo().browse(sponsorship.id), {}

    # ----------------------------------------------------------------- sessions
    def _portal_log_session(self, user, values):
        """A user of the sponsor organisation logs a session held: a new
        one, or the planned session ``session_id`` now held.

        :param dict values: ``session_id`` (id or False), ``date`` (the
            user's date), ``time``, ``duration`` (hours), ``hours`` (``{module
            id: hours}``, among the modules of the network), ``notes``
        :return: the errors by form field; empty when saved
        """
        self.ensure_one()
        errors = self._portal_check_sponsor(user)
        if errors:
            return errors
        session = self.env["ess.sponsorship.session"].sudo()
        if values.get("session_id"):
            session = self.session_ids.filtered(
                lambda s: s.id == values["session_id"] and s.state == "planned"
            )
            if not session:
                return {"session_id": self.env._("Choose a planned session of this sponsorship.")}
        start, errors = self._portal_check_session_values(user, values, held=True)
        if errors:
            return errors
        hours = {module_id: spent for module_id, spent in values["hours"].items() if spent}
        vals = {
            "start": start,
            "duration": values["duration"],
            "notes": values.get("notes") or False,
            "state": "held",
            "logged_by_id": user.id,
            "line_ids": [Command.clear()]
            + [
                Command.create({"module_id": module_id, "hours": spent})
                for module_id, spent in sorted(hours.items())
            ],
        }
        modules = self.env["ess.sponsorship.module"].sudo().browse(sorted(hours))
        intro = self.env._(
            "Session of %(date)s (%(duration)s hours) logged through the portal by %(user)s.",
            date=format_date(self.env, values["date"]),
            duration=format_number(self.env, values["duration"]),
            user=user.name,
        )
        items = [
            self.env._(
                "%(module)s: %(hours)s h",
                module=module.name,
                hours=format_number(self.env, hours[module.id]),
            )
            for module in modules
        ]

        def work(record):
            if session:
                session.with_env(record.env).write(vals)
            else:
                record.env["ess.sponsorship.session"].create({"sponsorship_id": record.id, **vals})
            record._portal_post_changes(user, intro, items)

        return self._portal_run(user, work)[1]

    def _portal_plan_session(self, user, values):
        """A user of the sponsor organisation proposes the next session.

        :param dict values: ``date`` and ``time`` to come (the user's),
            ``duration`` (hours), ``module_ids`` (the modules it will cover,
            optional), ``notes`` (the agenda)
        :return: the errors by form field; empty when saved
        """
        self.ensure_one()
        errors = self._portal_check_sponsor(user)
        if errors:
            return errors
        start, errors = self._portal_check_session_values(user, values, held=False)
        if errors:
            return errors
        module_ids = sorted(values.get("module_ids") or ())
        local = self._portal_local(user, start)
        intro = self.env._(
            "Next session proposed for %(date)s at %(time)s through the portal by %(user)s.",
            date=format_date(self.env, local.date()),
            time=local.strftime("%H:%M"),
            user=user.name,
        )
        modules = self.env["ess.sponsorship.module"].sudo().browse(module_ids)

        def work(record):
            record.env["ess.sponsorship.session"].create(
                {
                    "sponsorship_id": record.id,
                    "start": start,
                    "duration": values["duration"],
                    "notes": values.get("notes") or False,
                    "state": "planned",
                    "line_ids": [Command.create({"module_id": m}) for m in module_ids],
                }
            )
            record._portal_post_changes(user, intro, modules.mapped("name"))

        return self._portal_run(user, work)[1]

    # ----------------------------------------------------------------- the end
    def _portal_closing_field(self, user):
        """The closing note ``user``'s side writes, or False."""
        return {"member": "closing_note_member", "sponsor": "closing_note_sponsor"}.get(
            self._portal_role(user), False
        )

    def _portal_closing_note(self, user, text):
        """Each side writes its closing note: the new member's users
        ``closing_note_member``, the sponsor's ``closing_note_sponsor``.

        :param text: the note (text, or False to empty it)
        :return: the errors by form field; empty when saved
        """
        self.ensure_one()
        field = self._portal_closing_field(user)
        if not field:
            raise AccessError(self.env._("This record belongs to another organisation."))
        if self.state not in ACTIVE_STATES:
            return {"form": self._portal_closed_message()}
        text = text or False
        if (self[field] or False) == text:
            return {}
        intro = (
            self.env._(
                "Closing note of the new member written through the portal by %s.", user.name
            )
            if field == "closing_note_member"
            else self.env._(
                "Closing note of the sponsor written through the portal by %s.", user.name
            )
        )
        return self._portal_write(
            user,
            {self: {field: text}},
            post=lambda record: record._portal_post_changes(user, intro, [text] if text else []),
        )
