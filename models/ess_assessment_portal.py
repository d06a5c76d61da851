from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError

from ..tools.inputs import InputError
from ..tools.uploads import EVIDENCE, MAX_SIZE

# Evidence files: size of one file, files per question, files per post; the
# kinds accepted, by their content (tools/uploads.py).
EVIDENCE_MAX_SIZE = MAX_SIZE
EVIDENCE_MAX_FILES = 10
EVIDENCE_MAX_UPLOADS = 10
EVIDENCE_TYPES = EVIDENCE.types
EVIDENCE_EXTENSIONS = EVIDENCE.extensions


class EssAssessmentPortal(models.Model):
    """The portal half of the self-assessment: the grid as a member sees
    it, what a member saves from it (answers and evidence files), starts and
    completes, the progress areas it turns into actions."""

    _inherit = "ess.assessment"

    def _portal_organisation(self):
        """A self-assessment is filled in by its organisation; a peer
        evaluation grid by the evaluator organisation of its cross-evaluation
        (by its evaluators only: see ``_portal_check_organisation``)."""
        self.ensure_one()
        if self.kind == "peer":
            return self.evaluation_id.evaluator_partner_id
        return self.partner_id

    def _portal_check_organisation(self, user):
        """A peer evaluation grid is filled in by the evaluators its
        cross-evaluation names, as the evaluation says."""
        self.ensure_one()
        if self.kind != "peer":
            return super()._portal_check_organisation(user)
        if not self.evaluation_id:
            raise AccessError(self.env._("This record belongs to another organisation."))
        return self.evaluation_id._portal_check_organisation(user)

    def _portal_check_self_assessment(self):
        """Completing a grid and turning its progress areas into actions are
        for a self-assessment: a peer grid is completed with its evaluation."""
        self.ensure_one()
        if self.kind != "self":
            raise AccessError(self.env._("This record belongs to another organisation."))

    def _portal_is_open(self):
        if self.kind == "peer":
            return self.state == "draft" and self.evaluation_id._portal_is_open()
        return self.state == "draft"

    def _portal_is_editable_by(self, user):
        if self.kind == "peer":
            return self.state == "draft" and self.evaluation_id._portal_is_editable_by(user)
        return super()._portal_is_editable_by(user)

    def _portal_closed_message(self):
        if self.kind == "peer":
            return self.evaluation_id._portal_closed_message()
        return self.env._("This self-assessment is completed: it can no longer be changed.")

    # ----------------------------------------------------------------- reading
    def _portal_grid(self):
        """The grid as its portal page shows it: the answers grouped by theme
        and domain of action, in the reference order, as
        ``[(theme, theme_score, [(domain, [answers])])]``.

        Reads in batch (answers, then their questions, domains, themes and
        scores once each): the number of queries does not grow with the number
        of questions."""
        self.ensure_one()
        theme_scores = {score.theme_id: score for score in self.theme_score_ids}
        sections, by_theme = [], {}
        for answer in self.answer_ids:
            theme, domain = answer.theme_id, answer.domain_id
            if theme not in by_theme:
                by_theme[theme] = {}
                sections.append((theme, theme_scores.get(theme), by_theme[theme]))
            by_theme[theme].setdefault(domain, []).append(answer)
        return [(theme, score, list(domains.items())) for theme, score, domains in sections]

    def _portal_evidence(self):
        """The evidence files of every answer, read in one query: a dict
        ``{answer id: [attachment values]}``, each with its id, name,
        mimetype and size."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT rel.answer_id, att.id, att.name, att.mimetype, att.file_size
              FROM ess_assessment_answer_attachment_rel rel
              JOIN ess_assessment_answer answer ON answer.id = rel.answer_id
              JOIN ir_attachment att ON att.id = rel.attachment_id
             WHERE answer.assessment_id = %s
             ORDER BY att.id
            """,
            [self.id],
        )
        evidence = defaultdict(list)
        for answer_id, attachment_id, name, mimetype, size in self.env.cr.fetchall():
            evidence[answer_id].append(
                {"id": attachment_id, "name": name, "mimetype": mimetype, "size": size or 0}
            )
        return evidence

    def _portal_evidence_attachment(self, attachment_id):
        """The evidence file ``attachment_id`` if it belongs to an answer of
        this assessment, read with sudo; else an empty recordset."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT rel.attachment_id
              FROM ess_assessment_answer_attachment_rel rel
              JOIN ess_assessment_answer answer ON answer.id = rel.answer_id
             WHERE answer.assessment_id = %s AND rel.attachment_id = %s
             LIMIT 1
            """,
            [self.id, attachment_id],
        )
        row = self.env.cr.fetchone()
        return self.env["ir.attachment"].sudo().browse(row[0] if row else [])

    # ------------------------------------------------------------------ saving
    def _portal_save(self, changes, user, uploads=None, removals=None):
        """Save what ``user``, a member, changed from the portal grid of this
        self-assessment: levels, "not applicable", comments, evidence files
        added and removed; the scores follow, and the chatter is told.

        ``self`` is the assessment read with sudo by the portal controller
        after its access check; this checks again that it belongs to the
        user's organisation (else AccessError) and is not completed, checks
        the files and writes nothing at all when anything is wrong.

        :param dict changes: typed values by answer of this grid:
            ``level_id`` (an id, or False), ``not_applicable``, ``comment``
        :param dict uploads: evidence files to add by answer, each a list of
            ``(filename, content)``
        :param dict removals: ids of the evidence files to remove by answer
        :return: the errors, by ``(answer, field name)`` (``evidence`` for
            the files) or ``form``; empty when saved
        :rtype: dict
        """
        errors = self._portal_check_open(user)
        if errors:
            return errors
        uploads, removals = uploads or {}, removals or {}
        if not set(changes) | set(uploads) | set(removals) <= set(self.answer_ids):
            raise AccessError(self.env._("This record belongs to another organisation."))
        evidence, errors = self._portal_evidence_commands(uploads, removals)
        if errors:
            return errors
        writes = {}
        for answer, vals in changes.items():
            vals = dict(vals)
            if vals.get("not_applicable"):
                vals["level_id"] = False
            elif vals.get("level_id") and answer.not_applicable and "not_applicable" not in vals:
                # choosing a level makes the question applicable again
                vals["not_applicable"] = False
            if differences := self._portal_differences(answer, vals):
                writes[answer] = differences
        items = self._portal_change_items(list(writes), uploads, evidence)
        for answer, commands in evidence.items():
            writes.setdefault(answer, {})["attachment_ids"] = commands
        return self._portal_write_updates(user, writes, items)

    @api.model
    def _portal_evidence_mimetype(self, filename, content):
        """The kind of an evidence file when it is one of the accepted kinds
        (PDF, image, office document, text) and its name says so too, else
        None."""
        return EVIDENCE.mimetype(filename, content)

    def _portal_evidence_commands(self, uploads, removals):
        """The changes of the answers' evidence files: the files to add,
        checked (kind, size, number), and the files to remove, which must be
        files of the answer (a file already removed by somebody else is
        left).

        :return: ``(commands, errors)``: the ``attachment_ids`` commands by
            answer, and the errors by ``(answer, "evidence")`` or ``form``
        """
        commands, errors = defaultdict(list), {}
        Attachment = self.env["ir.attachment"]
        for answer, attachment_ids in removals.items():
            existing = Attachment.browse(sorted(attachment_ids)).exists()
            if not existing <= answer.attachment_ids:
                errors["form"] = self.env._(
                    "The form holds values that are not part of this grid: reload the page and "
                    "try again."
                )
            commands[answer] += [Command.delete(attachment.id) for attachment in existing]
        for answer, files in uploads.items():
            problems = []
            kept = len(answer.attachment_ids) - len(commands[answer])
            if kept + len(files) > EVIDENCE_MAX_FILES:
                problems.append(self.env._("At most %s files per question.", EVIDENCE_MAX_FILES))
            for filename, content in files:
                try:
                    EVIDENCE.check(self.env, filename, content, EVIDENCE_MAX_SIZE)
                except InputError as error:
                    problems.append(error.args[0])
                    continue
                commands[answer].append(
                    Command.create(
                        {
                            "name": filename,
                            "raw": content,
                            "res_model": answer._name,
                            "res_id": answer.id,
                        }
                    )
                )
            if problems:
                errors[answer, "evidence"] = " ".join(problems)
        if sum(len(files) for files in uploads.values()) > EVIDENCE_MAX_UPLOADS:
            errors["form"] = self.env._(
                "At most %s files at once: save, then send the others.", EVIDENCE_MAX_UPLOADS
            )
        return {answer: cmds for answer, cmds in commands.items() if cmds}, errors

    def _portal_change_items(self, answers, uploads, evidence):
        """The lines of the chatter message: the answers changed (by their
        question's number), the files added and removed."""
        codes = [answer.question_id.code for answer in answers]
        added = [filename for files in uploads.values() for filename, _content in files]
        removed = self.env["ir.attachment"].browse(
            [cmd[1] for cmds in evidence.values() for cmd in cmds if cmd[0] == Command.DELETE]
        )
        return [
            item
            for item in (
                self._portal_count_item(self.env._("Answers"), codes),
                added and self.env._("Evidence added: %s", self._portal_codes(added)),
                removed
                and self.env._("Evidence removed: %s", self._portal_codes(removed.mapped("name"))),
            )
            if item
        ]

    # ---------------------------------------------------------- other actions
    @api.model
    def _portal_start(self, user):
        """This year's self-assessment of the organisation of ``user``, a
        member: the existing one, else a new one started now.

        :return: the assessment, with sudo
        """
        organisation = user.commercial_partner_id
        if not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation can start a self-assessment.")
            )
        year = fields.Date.context_today(self.with_user(user)).year
        domain = [("partner_id", "=", organisation.id), ("year", "=", year), ("kind", "=", "self")]
        existing = self.sudo().search(domain, limit=1)
        if existing:
            return existing
        assessment = (
            self.with_user(user)
            .sudo()
            .with_context(mail_create_nolog=True)
            .create({"partner_id": organisation.id, "year": year, "kind": "self"})
        )
        assessment._portal_post_changes(
            user, self.env._("Started through the portal by %s.", user.name)
        )
        return self.sudo().browse(assessment.id)

    def _portal_complete(self, user):
        """Mark this self-assessment as completed, as ``user`` asked from the
        portal.

        :return: the errors (``form``); empty when done
        :rtype: dict
        """
        self._portal_check_self_assessment()

        def complete(assessment):
            assessment.action_done()
            assessment._portal_post_changes(
                user,
                self.env._("Marked as completed through the portal by %s.", user.name),
                tracked=["state"],
            )

        return self._portal_run(user, complete)[1]

    def _portal_actions_by_domain(self):
        """The actions already created from this assessment, by domain id."""
        self.ensure_one()
        actions = self.env["ess.action"].sudo().search([("assessment_id", "=", self.id)])
        return {action.domain_id.id: action for action in actions if action.domain_id}

    def _portal_create_action(self, score_id, user):
        """Turn the progress area ``score_id`` of this self-assessment into
        an action of the organisation's action plan, as ``user`` asked from
        the portal.

        :return: ``(action, errors)``: the action created, or the errors
        """
        self._portal_check_self_assessment()
        self._portal_check_organisation(user)
        Action = self.env["ess.action"]
        score = self.progress_area_ids.filtered(lambda s: s.id == score_id)
        if not score:
            return Action, {
                "form": self.env._("This domain is not one of the progress areas of this grid.")
            }
        result, errors = self._portal_run(
            user, lambda assessment: score.with_env(assessment.env).action_create_action()
        )
        if errors:
            return Action, errors
        return Action.sudo().browse(result["res_id"]), {}
