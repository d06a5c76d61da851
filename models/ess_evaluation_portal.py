from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, is_html_empty, plaintext2html

# What the evaluators may still change, by status of the evaluation.
OPEN_STATES = ("planned", "scheduled", "in_progress")


class EssEvaluation(models.Model):
    """The portal half of a cross-evaluation: what its evaluators fill in
    from its page until it is completed — the peer grid (levels, comments),
    the strong and improvement points, the conclusion.

    Who: the persons of the evaluator organisation that the network named
    as the evaluators (``evaluator_ids``), when they are portal users. The
    network checks those persons for a conflict of interest with the
    evaluated organisation (``_conflict_reasons``); another user of the
    evaluator organisation reads the evaluation but does not fill it in.
    What the evaluated organisation reads before completion: see
    ``_results_shown_to``."""

    _inherit = "ess.evaluation"

    # ------------------------------------------------------------------ who, when
    def _portal_organisation(self):
        """The evaluator organisation fills in the evaluation, not the
        evaluated one."""
        self.ensure_one()
        return self.evaluator_partner_id

    def _portal_is_evaluator(self, user):
        """Whether ``user`` is one of the persons named to evaluate."""
        self.ensure_one()
        return bool(
            user.share
            and self.evaluator_partner_id
            and user.commercial_partner_id == self.evaluator_partner_id
            and user.partner_id in self.evaluator_ids
        )

    def _portal_check_organisation(self, user):
        self.ensure_one()
        if not self._portal_is_evaluator(user):
            raise AccessError(
                self.env._("Only the evaluators named by the network fill in this evaluation.")
            )

    def _portal_is_open(self):
        return self.state in OPEN_STATES

    def _portal_closed_message(self):
        return self.env._(
            "%(name)s is %(state)s: it can no longer be changed.",
            name=self.name,
            state=self._state_label(),
        )

    def _portal_is_editable_by(self, user):
        self.ensure_one()
        return self._portal_is_evaluator(user) and self._portal_is_open()

    # ------------------------------------------------------------------- reading
    def _portal_summary_text(self):
        """The conclusion as the portal's text area shows it."""
        self.ensure_one()
        return "" if is_html_empty(self.summary) else html2plaintext(self.summary)

    # -------------------------------------------------------------------- saving
    def _portal_save(
        self, user, answers=None, points=None, new_points=(), removed=None, summary=None
    ):
        """Save what ``user``, an evaluator, changed on the evaluation's
        portal page: the peer grid's answers, the points (changed, added,
        removed) and the conclusion; the chatter keeps a note of it for the
        network (the evaluated organisation reads the evaluation's messages,
        not its notes).

        ``self`` is the evaluation read with sudo by the portal controller
        after its access check; this checks again that ``user`` is one of its
        evaluators (else AccessError), that it is not completed nor
        cancelled, and that every answer and point is its own (else
        AccessError). Nothing is written when anything is refused.

        A point is removed (deleted) while the evaluation is open: the
        evaluated organisation reads no point before completion, and the note
        in the chatter keeps its name.

        :param dict answers: typed values by answer of the peer grid
            (``level_id``, ``not_applicable``, ``comment``), as the
            self-assessment's ``_portal_save`` takes them
        :param dict points: values by point of this evaluation (``name``,
            ``description``, ``domain_id``)
        :param new_points: values of the points to add (``kind`` too)
        :param removed: the points to remove
        :param summary: the conclusion as plain text; None when unchanged
        :return: the errors (``form``); empty when saved
        :rtype: dict
        """
        self.ensure_one()
        errors = self._portal_check_open(user)
        if errors:
            return errors
        answers, points = answers or {}, points or {}
        removed = removed or self.env["ess.evaluation.point"]
        grid = self.assessment_id
        if not set(answers) <= set(grid.answer_ids) or not (
            set(points) | set(removed) <= set(self.point_ids)
        ):
            raise AccessError(self.env._("This record belongs to another organisation."))
        writes = {}
        for point, vals in points.items():
            if point not in removed and (differences := self._portal_differences(point, vals)):
                writes[point] = differences
        summary_html = None
        if summary is not None and summary != (self._portal_summary_text() or False):
            summary_html = plaintext2html(summary) if summary else False
        items = self._portal_change_items(answers, writes, new_points, removed, summary_html)
        if not items:
            return {}

        def work(evaluation):
            if answers:
                grid_errors = grid._portal_save(answers, user)
                if grid_errors:
                    # rolls back whatever was written (see _portal_run)
                    raise UserError(next(iter(grid_errors.values())))
            Point = evaluation.env["ess.evaluation.point"]
            for point, vals in writes.items():
                point.with_env(evaluation.env).write(vals)
            if new_points:
                Point.create([{**vals, "evaluation_id": evaluation.id} for vals in new_points])
            if removed:
                removed.with_env(evaluation.env).unlink()
            if summary_html is not None:
                evaluation.summary = summary_html
            evaluation._portal_post_changes(
                user,
                self.env._("Updated through the portal by %s.", user.name),
                items,
                internal=True,
            )

        return self._portal_run(user, work)[1]

    def _portal_change_items(self, answers, writes, new_points, removed, summary_html):
        """The lines of the chatter's note: the grid's answers changed (by
        their question's number), the points added, changed and removed (by
        their name), the conclusion."""
        kinds = dict(
            self.env["ess.evaluation.point"]._fields["kind"]._description_selection(self.env)
        )
        items = [
            self._portal_count_item(
                self.env._("Grid answers"), [answer.question_id.code for answer in answers]
            )
        ]
        items += [
            self.env._("%(kind)s added: %(name)s", kind=kinds[vals["kind"]], name=vals["name"])
            for vals in new_points
        ]
        items += [
            self.env._("%(kind)s changed: %(name)s", kind=kinds[point.kind], name=point.name)
            for point in writes
        ]
        items += [
            self.env._("%(kind)s removed: %(name)s", kind=kinds[point.kind], name=point.name)
            for point in removed
        ]
        if summary_html is not None:
            items.append(self.env._("Conclusion changed."))
        return [item for item in items if item]
