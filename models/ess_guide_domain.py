from odoo import api, fields, models

from .ess_guide_theme import PROVENANCES


class EssGuideDomain(models.Model):
    """A numbered domain of action inside a theme, e.g. 1.3 Exercice du pouvoir.

    Shared by every network, or a network's own addition: see
    ``ess.reference.mixin``. A network may add its domains to a shared theme;
    a shared domain belongs to a shared theme."""

    _name = "ess.guide.domain"
    _inherit = ["ess.reference.mixin"]
    _description = "Good-practice guide domain of action"
    _order = "theme_sequence, sequence, code, id"
    _rec_names_search = ["code", "name"]
    _reference_unique = ("code",)

    theme_id = fields.Many2one(
        "ess.guide.theme", required=True, ondelete="restrict", index=True, check_company=True
    )
    theme_sequence = fields.Integer(related="theme_id.sequence", store=True, string="Theme order")
    code = fields.Char(required=True, help="Number of the domain, e.g. 1.3.")
    name = fields.Char("Title", required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text()
    provenance = fields.Selection(PROVENANCES, required=True, default="network")
    active = fields.Boolean(default=True)
    question_ids = fields.One2many("ess.guide.question", "domain_id", "Questions and indicators")

    _sql_constraints = [
        (
            "code_unique",
            "unique(code, company_id)",
            "Two domains of action cannot have the same number.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for domain in self:
            domain.display_name = f"{domain.code} {domain.name}" if domain.code else domain.name
