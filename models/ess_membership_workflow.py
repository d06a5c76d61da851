from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, format_datetime

from .ess_membership import STATE_ORDER


class EssMembership(models.Model):
    """The steps of a membership file (seed 000): which stage may follow
    which and what each one needs, the decision on the request, the meeting
    held, the signature, the phases of a member and the withdrawal. The
    record itself, its e-mails and its first meeting are in
    ``ess_membership.py``; the buttons and the stage written directly (kanban,
    RPC) go through the same checks."""

    _inherit = "ess.membership"

    # ------------------------------------------------------------------
    # dates of the steps
    # ------------------------------------------------------------------
    @api.constrains("convention_date", "charter_date", "decision_date", "request_date")
    def _check_dates(self):
        for membership in self:
            for field in ("decision_date", "convention_date", "charter_date"):
                if membership[field] and membership[field] < membership.request_date:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot be before the adhesion request (%(date)s).",
                            field=self._fields[field].get_description(self.env)["string"],
                            date=format_date(self.env, membership.request_date),
                        )
                    )

    # ------------------------------------------------------------------
    # transitions
    # ------------------------------------------------------------------
    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def _check_transition(self, new_state):
        """Refuse a stage change that skips a step or lacks what the step needs.

        Called for every direct write of ``state`` (kanban drag and drop, RPC);
        the action buttons go through the same checks.
        """
        self.ensure_one()
        if self.state in ("refused", "withdrawn"):
            raise UserError(
                self.env._(
                    "The membership file %(name)s is closed (%(state)s): start a new request.",
                    name=self.name,
                    state=self._state_label(self.state),
                )
            )
        if new_state == "refused":
            if self.state not in ("request", "presentation"):
                raise UserError(
                    self.env._("Only a request that has not been validated can be refused.")
                )
            if not self.refusal_reason:
                raise UserError(self.env._("A refusal needs its reason: use the Decide button."))
            return
        if new_state == "withdrawn":
            raise UserError(self.env._("Use the Withdraw button: a withdrawal needs its reason."))
        current, target = STATE_ORDER.index(self.state), STATE_ORDER.index(new_state)
        if target < current:
            raise UserError(
                self.env._(
                    "%(name)s cannot go back from %(from)s to %(to)s.",
                    name=self.name,
                    **{"from": self._state_label(self.state), "to": self._state_label(new_state)},
                )
            )
        if target > current + 1:
            raise UserError(
                self.env._(
                    "%(name)s cannot skip a step: the next step after %(from)s is %(next)s.",
                    name=self.name,
                    **{
                        "from": self._state_label(self.state),
                        "next": self._state_label(STATE_ORDER[current + 1]),
                    },
                )
            )
        missing = self._missing_for(new_state)
        if missing:
            raise UserError(
                self.env._(
                    "%(name)s cannot reach the stage %(to)s yet: %(missing)s",
                    name=self.name,
                    to=self._state_label(new_state),
                    missing=missing,
                )
            )

    def _missing_for(self, new_state):
        """What the record lacks to enter ``new_state``, as a sentence (or '')."""
        if new_state == "validated" and not (self.decision_date and self.deciding_body):
            return self.env._(
                "the decision (date and deciding body) is recorded with the Decide button."
            )
        if new_state == "meeting" and not self.meeting_event_id:
            return self.env._("schedule the first integration meeting first.")
        if new_state == "signature":
            if not self.meeting_event_id:
                return self.env._("schedule the first integration meeting first.")
            if self.meeting_event_id.start > fields.Datetime.now():
                return self.env._(
                    "the integration meeting is planned on %s and has not taken place yet.",
                    format_datetime(
                        self.env,
                        self.meeting_event_id.start,
                        tz=self.env.context.get("tz"),
                        dt_format="short",
                    ),
                )
        if new_state == "member":
            missing = []
            if not self.convention_date:
                missing.append(self.env._("the date of the signed Convention"))
            if not self.convention_file:
                missing.append(self.env._("the signed Convention"))
            if not self.charter_date:
                missing.append(self.env._("the date of the signed Charter"))
            if not self.charter_file:
                missing.append(self.env._("the signed Charter"))
            if missing:
                return self.env._("missing %s.", ", ".join(missing))
        return ""

    def _set_state(self, new_state, extra_vals=None):
        """Record what the step brings, then move to ``new_state`` if allowed.

        On refusal the UserError rolls the whole call back: nothing is kept.
        """
        transition = self.with_context(ess_membership_transition=True)
        if extra_vals:
            transition.write(extra_vals)
        for membership in self:
            membership._check_transition(new_state)
        transition.write({"state": new_state})
        self._schedule_next_step()

    def action_presentation_done(self):
        self.ensure_one()
        self._check_transition("presentation")
        self._set_state(
            "presentation",
            {
                "presentation_date": self.presentation_date or fields.Date.context_today(self),
                "presented_by_id": self.presented_by_id.id or self.env.user.id,
            },
        )
        return True

    def action_open_decide(self):
        self.ensure_one()
        if self.state != "presentation":
            self._raise_already_decided()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide on the adhesion request"),
            "res_model": "ess.membership.decide",
            "view_mode": "form",
            "target": "new",
            "context": {"default_membership_id": self.id},
        }

    def _raise_already_decided(self):
        if self.decision_date:
            raise UserError(
                self.env._(
                    "%(name)s was already decided on %(date)s.",
                    name=self.name,
                    date=format_date(self.env, self.decision_date),
                )
            )
        raise UserError(
            self.env._("%s must first be presented the approach and the tools.", self.name)
        )

    def _accept(self, decision_date, deciding_body, welcome_note, send_mail=True):
        """Validate and officialise the request (called by the Decide wizard)."""
        self.ensure_one()
        if self.state != "presentation" or self.decision_date:
            self._raise_already_decided()
        self._set_state(
            "validated",
            {
                "decision_date": decision_date,
                "deciding_body": deciding_body,
                "decided_by_id": self.env.user.id,
                "welcome_note": welcome_note,
            },
        )
        if send_mail:
            self._send_template("ess_network.mail_template_membership_welcome")

    def _refuse(self, decision_date, deciding_body, reason, send_mail=True):
        self.ensure_one()
        if self.state not in ("request", "presentation") or self.decision_date:
            self._raise_already_decided()
        if not (reason or "").strip():
            raise UserError(self.env._("A refusal needs its reason."))
        self.with_context(ess_membership_transition=True).write(
            {
                "decision_date": decision_date,
                "deciding_body": deciding_body,
                "decided_by_id": self.env.user.id,
                "refusal_reason": reason.strip(),
                "state": "refused",
            }
        )
        self.activity_unlink(["ess_network.mail_activity_type_membership_step"])
        if send_mail:
            self._send_template("ess_network.mail_template_membership_refusal")

    def action_meeting_held(self):
        self.ensure_one()
        self._check_transition("signature")
        self._set_state(
            "signature",
            {
                "meeting_held_date": fields.Datetime.context_timestamp(
                    self, self.meeting_event_id.start
                ).date()
            },
        )
        return True

    def action_confirm_member(self):
        self.ensure_one()
        self._check_transition("member")
        since = max(self.convention_date, self.charter_date)
        self._set_state(
            "member",
            {"member_since": since, "phase": "appropriation", "appropriation_date": since},
        )
        return True

    def action_start_operational(self):
        self.ensure_one()
        if self.state != "member" or self.phase != "appropriation":
            raise UserError(
                self.env._(
                    "Only a member in its appropriation phase can start the operational phase."
                )
            )
        pending = self.item_ids.filtered(lambda i: i.phase == "appropriation" and not i.done)
        if pending:
            raise UserError(
                self.env._(
                    "The appropriation phase is not complete. Still to do:\n%s",
                    "\n".join(f"- {item.name}" for item in pending),
                )
            )
        self.write({"phase": "operational", "operational_date": fields.Date.context_today(self)})
        self._schedule_next_step()
        return True

    def action_open_withdraw(self):
        self.ensure_one()
        if self.state in ("refused", "withdrawn"):
            raise UserError(self.env._("%s is already closed.", self.name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Withdraw from the network"),
            "res_model": "ess.membership.withdraw",
            "view_mode": "form",
            "target": "new",
            "context": {"default_membership_id": self.id},
        }

    def _withdraw(self, date, reason):
        self.ensure_one()
        if self.state in ("refused", "withdrawn"):
            raise UserError(self.env._("%s is already closed.", self.name))
        if not (reason or "").strip():
            raise UserError(self.env._("A withdrawal needs its reason."))
        self.with_context(ess_membership_transition=True).write(
            {
                "state": "withdrawn",
                "withdrawal_date": date,
                "withdrawal_reason": reason.strip(),
                "active": False,
            }
        )
        self.activity_unlink(["ess_network.mail_activity_type_membership_step"])
