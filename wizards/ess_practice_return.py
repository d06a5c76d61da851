from odoo import fields, models


class EssPracticeReturn(models.TransientModel):
    """Return proposed good-practice sheets to the organisation that
    proposed them, saying why and what to change (required): the comment is
    e-mailed to the organisation and kept on the sheet."""

    _name = "ess.practice.return"
    _description = "Return a good-practice sheet"

    practice_ids = fields.Many2many("ess.practice", string="Sheets", required=True)
    comment = fields.Text(
        required=True,
        help="Why the sheet is returned and what to change; the organisation reads it.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.practice_ids.action_return(self.comment)
        return {"type": "ir.actions.act_window_close"}
