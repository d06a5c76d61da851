from odoo import api, fields, models
from odoo.exceptions import ValidationError

QUESTION_KINDS = [
    ("qualitative", "Qualitative question"),
    ("quantitative", "Quantitative indicator"),
]


class EssGuideQuestion(models.Model):
    """A question (qualitative) or an indicator (quantitative, with its unit)
    of a domain of action. Archiving a question retires it from the next
    guide years; the years that used it keep it.

    Numbered like every part of the guide (see ``ess.guide.reference``). A
    network may add its questions to a shared domain; its guide years and
    self-assessments then ask them, other networks never see them."""

    _name = "ess.guide.question"
    _inherit = ["ess.guide.reference"]
    _description = "Good-practice guide question or indicator"
    _order = "theme_sequence, domain_sequence, sequence, code, id"

    domain_id = fields.Many2one(
        "ess.guide.domain",
        "Domain of action",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    theme_id = fields.Many2one(related="domain_id.theme_id", store=True, index=True)
    theme_sequence = fields.Integer(
        related="domain_id.theme_id.sequence", store=True, string="Theme order"
    )
    domain_sequence = fields.Integer(
        related="domain_id.sequence", store=True, string="Domain order"
    )
    code = fields.Char(help="Number of the question, e.g. 1.3.2.")
    name = fields.Char("Question or indicator")
    kind = fields.Selection(QUESTION_KINDS, required=True, default="qualitative")
    unit = fields.Char(help="Unit of a quantitative indicator: %, €, people, hours…")
    guidance = fields.Text(help="How to answer: sources, documents to gather, pitfalls.")

    @api.constrains("kind", "unit")
    def _check_unit(self):
        for question in self:
            if question.kind == "quantitative" and not (question.unit or "").strip():
                raise ValidationError(
                    self.env._("The quantitative indicator “%s” needs its unit.", question.name)
                )
