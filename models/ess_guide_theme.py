from odoo import fields, models


class EssGuideTheme(models.Model):
    """One of the eight themes of the guide of good practices (CSESS, 2016),
    or a theme a network adds: see ``ess.guide.reference``."""

    _name = "ess.guide.theme"
    _inherit = ["ess.guide.reference"]
    _description = "Good-practice guide theme"
    _order = "sequence, code, id"
    _rec_names_search = ["code", "name", "short_name"]
    # "1. Title"
    _code_separator = ". "

    code = fields.Char(help="Number of the theme in the guide, e.g. 1.")
    short_name = fields.Char(
        "Short title", help="Shown where space is short: the spreadsheet, kanban cards."
    )
    description = fields.Text(help="Key ideas of the theme, as published.")
    color = fields.Integer()
    domain_ids = fields.One2many("ess.guide.domain", "theme_id", "Domains of action")
    question_count = fields.Integer(compute="_compute_question_count", string="Questions")

    def _compute_question_count(self):
        counts = dict(
            self.env["ess.guide.question"]._read_group(
                [("theme_id", "in", self.ids)], ["theme_id"], ["__count"]
            )
        )
        for theme in self:
            theme.question_count = counts.get(theme, 0)

    @property
    def label(self):
        """Short title when there is one (spreadsheet, cards)."""
        self.ensure_one()
        return self.short_name or self.name
