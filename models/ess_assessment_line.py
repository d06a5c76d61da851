from odoo import fields, models


class EssAssessmentLine(models.AbstractModel):
    """What an answer and a score of a self-assessment or a peer grid
    share: their assessment, whose organisation and network they belong to."""

    _name = "ess.assessment.line.mixin"
    _inherit = ["ess.organisation.line.mixin"]
    _description = "Line of an assessment"
    _organisation_parent = "assessment_id"

    assessment_id = fields.Many2one("ess.assessment", required=True, ondelete="cascade", index=True)
