from odoo import api, fields, models
from odoo.exceptions import UserError


class EssAssessmentAnswer(models.Model):
    """The answer to one question of the guide in a self-assessment or a
    peer evaluation grid: a maturity level (or not applicable), a comment and
    evidence files."""

    _name = "ess.assessment.answer"
    _inherit = ["ess.assessment.line.mixin", "ess.guide.question.line.mixin"]
    _description = "Assessment answer"
    _order = "assessment_id, theme_sequence, domain_sequence, question_sequence, id"

    level_id = fields.Many2one("ess.maturity.level", "Maturity level", ondelete="restrict")
    not_applicable = fields.Boolean(
        "Not applicable", help="The question does not apply: it leaves the scores."
    )
    comment = fields.Text()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "ess_assessment_answer_attachment_rel",
        "answer_id",
        "attachment_id",
        "Evidence",
    )
    score = fields.Float(compute="_compute_score", store=True, aggregator="avg")
    is_answered = fields.Boolean("Answered", compute="_compute_score", store=True)

    _sql_constraints = [
        (
            "assessment_question_unique",
            "unique(assessment_id, question_id)",
            "A question is answered once per assessment.",
        ),
    ]

    @api.depends("level_id.value", "not_applicable")
    def _compute_score(self):
        top = self.env["ess.maturity.level"]._top_value()
        for answer in self:
            answer.is_answered = bool(answer.not_applicable or answer.level_id)
            answer.score = (
                100.0 * answer.level_id.value / top
                if answer.level_id and not answer.not_applicable and top
                else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        answers = super().create(vals_list)
        answers.assessment_id._check_editable()
        return answers

    def write(self, vals):
        self.assessment_id._check_editable()
        if vals.get("not_applicable"):
            vals["level_id"] = False
        res = super().write(vals)
        if {"level_id", "not_applicable"} & set(vals):
            self.assessment_id._update_scores()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An answer of an assessment cannot be deleted."))
