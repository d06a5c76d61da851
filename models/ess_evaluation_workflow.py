from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError


class EssEvaluation(models.Model):
    """The course of a cross-evaluation: its statuses and what each one
    needs, the visit in the calendar, and the buttons of its form. The
    record itself (fields, rules, comparison with the self-assessment) is in
    ``ess_evaluation.py``."""

    _inherit = "ess.evaluation"

    # ---------------------------------------------------------------- transitions
    def _move_to(self, state):
        """Move to ``state`` the way its button does, with the same checks."""
        actions = {
            "planned": self.action_reset_to_planned,
            "scheduled": self.action_schedule_visit,
            "in_progress": self.action_start,
            "completed": self.action_complete,
            "cancelled": self.action_cancel,
        }
        if state not in actions:
            raise UserError(self.env._("%s is not a status of an evaluation.", state))
        return actions[state]()

    def _set_state(self, state, extra_vals=None):
        self.with_context(ess_evaluation_transition=True).write(
            {"state": state, **(extra_vals or {})}
        )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_evaluators(self):
        for evaluation in self:
            if not evaluation.evaluator_ids:
                raise UserError(
                    self.env._(
                        "Choose first the persons of the organisation “%s” who evaluate.",
                        evaluation.evaluator_partner_id.name,
                    )
                )

    # -------------------------------------------------------------------- actions
    def _visit_attendees(self):
        """The evaluators, the evaluated organisation's contacts and the
        coordinator."""
        self.ensure_one()
        contacts = self.partner_id.child_ids.filtered(lambda p: p.type == "contact" and p.active)
        return self.evaluator_ids | (contacts or self.partner_id) | self.user_id.partner_id

    def _visit_event_values(self):
        self.ensure_one()
        return {
            "name": self.env._("Cross-evaluation visit: %s", self.partner_id.name),
            "start": self.date_visit,
            "stop": self.date_visit + timedelta(hours=self.visit_duration or 1),
            "partner_ids": [fields.Command.set(self._visit_attendees().ids)],
            "user_id": (self.user_id or self.env.user).id,
            "location": self.partner_id._display_address(without_company=True).strip() or False,
            "description": self.env._(
                "Cross-evaluation %(year)s of “%(evaluated)s”: visit of the evaluators of "
                "“%(evaluator)s”.",
                evaluator=self.evaluator_partner_id.name,
                evaluated=self.partner_id.name,
                year=self.year,
            ),
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "active": True,
        }

    def _sync_visit_event(self):
        """Create the calendar event of the visit, or move it."""
        for evaluation in self:
            if not evaluation.date_visit:
                raise UserError(
                    self.env._("The visit to “%s” needs its date.", evaluation.partner_id.name)
                )
            values = evaluation._visit_event_values()
            if evaluation.event_id:
                evaluation.event_id.write(values)
            else:
                evaluation.with_context(ess_evaluation_transition=True).event_id = self.env[
                    "calendar.event"
                ].create(values)

    def action_schedule_visit(self):
        """Create (or move) the calendar event of the visit, with the
        evaluators, the evaluated organisation's contacts and the coordinator."""
        for evaluation in self:
            if evaluation.state not in ("planned", "scheduled"):
                raise UserError(
                    self.env._(
                        "The visit of %(name)s can no longer be scheduled: it is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
            if not evaluation.date_visit:
                raise UserError(self.env._("Set the date of the visit first."))
        self._check_evaluators()
        self._sync_visit_event()
        self._set_state("scheduled")
        return True

    def action_start(self):
        for evaluation in self:
            if evaluation.state not in ("planned", "scheduled"):
                raise UserError(
                    self.env._(
                        "%(name)s cannot start: it is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
        self._check_evaluators()
        self._set_state("in_progress")
        return True

    def action_complete(self):
        for evaluation in self:
            if evaluation.state != "in_progress":
                raise UserError(
                    self.env._(
                        "Only an evaluation in progress can be completed; %(name)s is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
            if not evaluation.assessment_id.answered_count:
                raise UserError(
                    self.env._("Fill in the evaluation grid before completing %s.", evaluation.name)
                )
            if not evaluation.point_ids:
                raise UserError(
                    self.env._(
                        "Write the strong points and improvement points of %s before "
                        "completing it.",
                        evaluation.name,
                    )
                )
        today = fields.Date.context_today(self)
        self._set_state("completed", {"date_completed": today})
        self.assessment_id.sudo().filtered(lambda a: a.state != "done").write(
            {"state": "done", "date_done": today}
        )
        return True

    def action_cancel(self):
        for evaluation in self:
            if evaluation.state in ("completed", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(name)s cannot be cancelled: it is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
        self._set_state("cancelled")
        self.event_id.filtered("active").action_archive()
        return True

    def action_reset_to_planned(self):
        """Plan again a cancelled evaluation; the conflict of interest is
        checked again."""
        for evaluation in self:
            if evaluation.state != "cancelled":
                raise UserError(
                    self.env._(
                        "Only a cancelled evaluation is planned again; %(name)s is %(state)s.",
                        name=evaluation.name,
                        state=evaluation._state_label(),
                    )
                )
        self._set_state("planned")
        return True

    def action_open_grid(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Evaluation grid"),
            "res_model": "ess.assessment",
            "res_id": self.assessment_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visit"),
            "res_model": "calendar.event",
            "res_id": self.event_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_actions(self):
        return self._action_plan_window(
            [("evaluation_point_id.evaluation_id", "=", self.id)], origin="evaluation"
        )
