from odoo import api, fields, models


class EssAssessmentPractice(models.Model):
    """The suggested reading of a self-assessment: the published sheets of
    the library for its progress areas (and the progress areas of the
    organisation's latest guide year)."""

    _inherit = "ess.assessment"

    suggested_practice_ids = fields.Many2many(
        "ess.practice",
        string="Suggested reading",
        compute="_compute_suggested_practice_ids",
        help="Published sheets of the good-practice library for the progress areas of this "
        "self-assessment and of the organisation's latest guide year, weakest first.",
    )

    @api.depends("partner_id", "kind", "progress_area_ids")
    def _compute_suggested_practice_ids(self):
        Practice = self.env["ess.practice"]
        for assessment in self:
            if assessment.kind == "self" and assessment.partner_id:
                assessment.suggested_practice_ids = Practice._suggested_practices(
                    assessment.partner_id, assessment=assessment
                )
            else:
                assessment.suggested_practice_ids = Practice
