from odoo import fields, models


class EssGuideDomain(models.Model):
    """A numbered domain of action inside a theme, e.g. 1.3 Exercice du pouvoir
    (see ``ess.guide.reference``).

    A network may add its domains to a shared theme; a shared domain belongs
    to a shared theme."""

    _name = "ess.guide.domain"
    _inherit = ["ess.guide.reference"]
    _description = "Good-practice guide domain of action"
    _order = "theme_sequence, sequence, code, id"

    theme_id = fields.Many2one(
        "ess.guide.theme", required=True, ondelete="restrict", index=True, check_company=True
    )
    theme_sequence = fields.Integer(related="theme_id.sequence", store=True, string="Theme order")
    code = fields.Char(help="Number of the domain, e.g. 1.3.")
    description = fields.Text()
    question_ids = fields.One2many("ess.guide.question", "domain_id", "Questions and indicators")
