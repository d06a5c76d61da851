from odoo import api, fields, models

# Where a reference record comes from: the CSESS guide itself, a proposal
# shipped with this add-on (built from the published key ideas and the
# seeds), or an addition of the network that runs this database.
PROVENANCES = [
    ("official", "Official guide"),
    ("proposed", "Proposed"),
    ("network", "Added by the network"),
]


class EssGuideTheme(models.Model):
    """One of the eight themes of the guide of good practices (CSESS, 2016),
    or a theme a network adds.

    Shared by every network, or a network's own addition: see
    ``ess.reference.mixin``."""

    _name = "ess.guide.theme"
    _inherit = ["ess.reference.mixin"]
    _description = "Good-practice guide theme"
    _order = "sequence, code, id"
    _rec_names_search = ["code", "name", "short_name"]
    _reference_unique = ("code",)

    code = fields.Char(required=True, help="Number of the theme in the guide, e.g. 1.")
    name = fields.Char("Title", required=True)
    short_name = fields.Char(
        "Short title", help="Shown where space is short: the spreadsheet, kanban cards."
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(help="Key ideas of the theme, as published.")
    provenance = fields.Selection(PROVENANCES, required=True, default="network")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    domain_ids = fields.One2many("ess.guide.domain", "theme_id", "Domains of action")
    question_count = fields.Integer(compute="_compute_question_count", string="Questions")

    _sql_constraints = [
        (
            "code_unique",
            "unique(code, company_id)",
            "Two themes cannot have the same number.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for theme in self:
            theme.display_name = f"{theme.code}. {theme.name}" if theme.code else theme.name

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
