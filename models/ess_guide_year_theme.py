from odoo import api, fields, models
from odoo.exceptions import ValidationError

THEME_DECISIONS = [
    ("pending", "To decide"),
    ("retained", "Retained"),
    ("not_retained", "Not retained"),
]


class EssGuideYearTheme(models.Model):
    """A theme in one organisation's guide year: retained or not (with the
    reason, seed 002), and the good practices and progress areas found."""

    _name = "ess.guide.year.theme"
    _inherit = ["ess.guide.year.base"]
    _description = "Theme of a guide year"
    _order = "year_id, theme_sequence, id"
    _rec_name = "theme_id"

    theme_id = fields.Many2one(
        "ess.guide.theme", required=True, ondelete="restrict", check_company=True
    )
    theme_sequence = fields.Integer(related="theme_id.sequence", store=True, string="Theme order")
    decision = fields.Selection(THEME_DECISIONS, required=True, default="pending")
    reason = fields.Text(
        "Reason for not retaining it",
        help="Why the organisation does not work on this theme this year, "
        "e.g. “Question non traitée car…”.",
    )
    good_practices = fields.Text("Good practices")
    progress_areas = fields.Text("Progress areas")
    line_ids = fields.One2many("ess.guide.year.line", "theme_line_id", "Questions and indicators")

    _sql_constraints = [
        ("year_theme_unique", "unique(year_id, theme_id)", "A theme appears once in a guide year."),
    ]

    @api.model
    def _reason_missing(self, decision, reason):
        """The rule of seed 002: a theme not retained says why. Checked by
        the constraint, the portal and the spreadsheet import alike."""
        return decision == "not_retained" and not (reason or "").strip()

    @api.constrains("decision", "reason")
    def _check_reason(self):
        for line in self:
            if self._reason_missing(line.decision, line.reason):
                raise ValidationError(
                    self.env._(
                        "Say why the theme “%s” is not retained (for example: “Question non "
                        "traitée car…”).",
                        line.theme_id.display_name,
                    )
                )

    def write(self, vals):
        if vals.get("decision") in ("pending", "retained"):
            vals.setdefault("reason", False)
        return super().write(vals)

    def _next_year_values(self):
        self.ensure_one()
        return {
            "theme_id": self.theme_id.id,
            "decision": self.decision,
            "reason": self.reason,
            "good_practices": self.good_practices,
            "progress_areas": self.progress_areas,
        }
