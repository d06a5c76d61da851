from odoo import fields, models


class EssGuideYearThemePractice(models.Model):
    """The sheets of the good-practice library that a theme of a guide
    year's good practices and progress areas refer to."""

    _inherit = "ess.guide.year.theme"

    practice_ids = fields.Many2many(
        "ess.practice",
        "ess_guide_year_theme_practice_rel",
        "theme_line_id",
        "practice_id",
        "Library sheets",
        domain="[('state', '=', 'published')]",
        help="Sheets of the good-practice library that illustrate the theme's good practices or "
        "inspire its progress areas.",
    )

    def _next_year_values(self):
        # next year starts from this year's sheets too
        values = super()._next_year_values()
        values["practice_ids"] = [fields.Command.set(self.practice_ids.ids)]
        return values
