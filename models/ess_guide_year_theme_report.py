from odoo import api, fields, models


class EssGuideYearTheme(models.Model):
    """The themes report counts the organisations that retain each theme
    and those that do not, as measures: a graph of one measure has one
    colour, where a graph split by decision took its colours in the order of
    the decisions (blue, red, green: "Retained" in red, "Not retained" in
    green)."""

    _inherit = "ess.guide.year.theme"

    retained_count = fields.Integer(
        "Organisations retaining it", compute="_compute_decision_counts", store=True
    )
    not_retained_count = fields.Integer(
        "Organisations not retaining it", compute="_compute_decision_counts", store=True
    )

    @api.depends("decision")
    def _compute_decision_counts(self):
        for theme in self:
            theme.retained_count = int(theme.decision == "retained")
            theme.not_retained_count = int(theme.decision == "not_retained")
