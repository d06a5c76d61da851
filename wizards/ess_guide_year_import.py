import base64

from odoo import fields, models
from odoo.exceptions import UserError


class EssGuideYearImport(models.TransientModel):
    """Import a guide year's spreadsheet, filled in by the organisation."""

    _name = "ess.guide.year.import"
    _description = "Import a guide year spreadsheet"

    guide_year_id = fields.Many2one(
        "ess.guide.year",
        "Guide year",
        required=True,
        ondelete="cascade",
        default=lambda self: self._default_guide_year_id(),
        domain="[('state', '!=', 'closed')]",
    )
    file = fields.Binary("Spreadsheet", required=True, attachment=False)
    filename = fields.Char("File name")

    def _default_guide_year_id(self):
        """The guide year the action was started from (action menu)."""
        context = self.env.context
        if context.get("active_model") == "ess.guide.year" and context.get("active_id"):
            return context["active_id"]
        return False

    def action_import(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the spreadsheet to import."))
        guide = self.guide_year_id
        counts = guide._ess_import_xlsx(base64.b64decode(self.file), self.filename)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": guide.name,
                "message": guide._ess_xlsx_summary(counts),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
