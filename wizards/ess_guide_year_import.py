import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import guide_spreadsheet
from .guide_spreadsheet_reader import GuideSpreadsheetReader
from .spreadsheet_reader import open_workbook


class EssGuideYearImport(models.TransientModel):
    """Import a guide year's spreadsheet, filled in by the organisation:
    every error of the file reported at once, and nothing written unless
    the whole file is right. The layout is ``tools/guide_spreadsheet.py``,
    the reading ``guide_spreadsheet_reader.py``."""

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
        counts = self._ess_import(guide, base64.b64decode(self.file), self.filename)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": guide.name,
                "message": self._ess_summary(counts),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _ess_import(self, guide, content, filename=None, post=None):
        """Update ``guide`` from its spreadsheet ``content``. Returns the
        counts of what changed; raises a UserError listing every error of the
        file (a ``SpreadsheetErrors`` for the errors of its cells), and then
        writes nothing.

        :param post: ``post(guide, summary, attachments)`` tells the guide's
            chatter what was imported (the portal's message); by default, a
            note of the network's staff with the file attached
        """
        guide.ensure_one()
        guide = guide.with_env(self.env)
        if guide.state == "closed" and not self.env.user.has_group("ess_network.group_ess_manager"):
            raise UserError(
                self.env._(
                    "%s is closed: only a network administrator can import a spreadsheet into it.",
                    guide.name,
                )
            )
        workbook = open_workbook(self.env, content)
        try:
            plan, errors = GuideSpreadsheetReader(guide).read_workbook(workbook)
        finally:
            workbook.close()
        if errors:
            raise errors.user_error()
        counts = plan.counts()
        try:
            with self.env.cr.savepoint():
                for record, vals in (
                    *plan.themes.items(),
                    *plan.lines.items(),
                    *plan.actions.items(),
                ):
                    record.write(vals)
                self.env["ess.action"].create(plan.new_actions)
                attachments = [(filename or guide_spreadsheet.filename(guide), content)]
                if post:
                    post(guide, self._ess_summary(counts), attachments)
                else:
                    guide.message_post(body=self._ess_summary(counts), attachments=attachments)
        except UserError as error:
            raise UserError(
                self.env._(
                    "The spreadsheet was not imported and nothing was changed: %s", error.args[0]
                )
            ) from error
        return counts

    @api.model
    def _ess_summary(self, counts):
        return self.env._(
            "Spreadsheet imported: %(themes)s theme(s), %(lines)s question(s) or indicator(s) "
            "and %(actions)s action(s) updated, %(new)s action(s) created.",
            themes=counts["themes"],
            lines=counts["lines"],
            actions=counts["actions_updated"],
            new=counts["actions_created"],
        )
