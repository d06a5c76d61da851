from odoo import api, models


class EssAssessmentScore(models.Model):
    """The theme scores of the completed self-assessments, counted by the
    figures of the guide's themes (ess.guide.theme.figure): the pivot and
    the graph of the report "Self-assessment scores" read them."""

    _name = "ess.assessment.score"
    _inherit = ["ess.assessment.score", "ess.guide.theme.figure.source"]

    _figure_fields = ("scope", "kind", "state", "score")

    @api.model
    def _figure_aggregates(self):
        return {
            "__count": ("score_count",),
            "score:avg": ("score_sum", "score_count"),
            "score:sum": ("score_sum",),
        }

    @api.model
    def _figure_scope(self):
        return [("scope", "theme"), ("kind", "self"), ("state", "done")]


class EssAssessment(models.Model):
    """Deleting a self-assessment deletes its scores in the database
    (ondelete cascade), not through their ``unlink``: their figures are
    noted here."""

    _inherit = "ess.assessment"

    def unlink(self):
        self.env["ess.guide.theme.figure"]._note_children(
            "ess.assessment.score", "assessment_id", self.ids
        )
        return super().unlink()
