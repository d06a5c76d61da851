from odoo import api, models
from odoo.tools.sql import create_index

# The order of the report "Themes retained" (its list view's default_order):
# the latest year first, then the guide's order. An index matches it: the
# list's first page reads 80 entries of the index.
THEME_REPORT_ORDER = "year desc, theme_sequence, id"


class EssGuideYearTheme(models.Model):
    """The themes of guide years, counted by the figures of the guide's
    themes (ess.guide.theme.figure): the report "Themes retained" reads
    them."""

    _name = "ess.guide.year.theme"
    _inherit = ["ess.guide.year.theme", "ess.guide.theme.figure.source"]

    _figure_fields = ("decision",)

    def init(self):  # pylint: disable=missing-return
        super().init()
        create_index(
            self.env.cr,
            "ess_guide_year_theme_report_order_index",
            self._table,
            ["year DESC", "theme_sequence", "id"],
        )

    @api.model
    def _figure_aggregates(self):
        return {
            "__count": ("theme_count",),
            "retained_count:sum": ("retained_count",),
            "not_retained_count:sum": ("not_retained_count",),
        }


class EssGuideYearLine(models.Model):
    """The lines of guide years worked on, counted by the figures of the
    guide's themes (ess.guide.theme.figure): the pivot and the graph of the
    report "Objectives of the guides" read them."""

    _name = "ess.guide.year.line"
    _inherit = ["ess.guide.year.line", "ess.guide.theme.figure.source"]

    _figure_fields = ("in_scope", "progress_1y", "progress_3y", "achievement_1y", "partner_id")

    @api.model
    def _figure_aggregates(self):
        return {
            "__count": ("line_count",),
            "progress_1y:avg": ("progress_1y_sum", "line_count"),
            "progress_3y:avg": ("progress_3y_sum", "line_count"),
            "progress_1y:sum": ("progress_1y_sum",),
            "progress_3y:sum": ("progress_3y_sum",),
        }

    @api.model
    def _figure_scope(self):
        return [("in_scope", True)]


class EssGuideYear(models.Model):
    """Deleting a guide year deletes its themes and lines in the database
    (ondelete cascade), not through their ``unlink``: their figures are
    noted here."""

    _inherit = "ess.guide.year"

    def unlink(self):
        Figure = self.env["ess.guide.theme.figure"]
        Figure._note_children("ess.guide.year.theme", "year_id", self.ids)
        Figure._note_children("ess.guide.year.line", "year_id", self.ids)
        return super().unlink()
