from odoo import api, fields, models


class EssGuideTopicMixin(models.AbstractModel):
    """A record about a theme of the guide, or one of its domains of action:
    an action of an action plan, a point of a cross-evaluation, a score of a
    self-assessment. Choosing a domain sets its theme."""

    _name = "ess.guide.topic.mixin"
    _description = "Record about a theme or a domain of action of the guide"

    theme_id = fields.Many2one(
        "ess.guide.theme",
        compute="_compute_theme_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    domain_id = fields.Many2one(
        "ess.guide.domain",
        "Domain of action",
        domain="[('theme_id', '=?', theme_id)]",
        check_company=True,
    )

    @api.depends("domain_id")
    def _compute_theme_id(self):
        for record in self.filtered("domain_id"):
            record.theme_id = record.domain_id.theme_id


class EssGuideQuestionLineMixin(models.AbstractModel):
    """A line about one question of the guide in an organisation's record:
    an answer of a self-assessment, a question of a guide year. Its domain
    of action and theme are the question's, and it sorts in the guide's
    order (theme, domain, question)."""

    _name = "ess.guide.question.line.mixin"
    _description = "Line about a question of the guide"
    _rec_name = "question_id"

    question_id = fields.Many2one(
        "ess.guide.question",
        "Question or indicator",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    domain_id = fields.Many2one(related="question_id.domain_id", store=True)
    theme_id = fields.Many2one(related="question_id.theme_id", store=True, index=True)
    theme_sequence = fields.Integer(related="question_id.theme_sequence", store=True)
    domain_sequence = fields.Integer(related="question_id.domain_sequence", store=True)
    question_sequence = fields.Integer(
        related="question_id.sequence", store=True, string="Question order"
    )
