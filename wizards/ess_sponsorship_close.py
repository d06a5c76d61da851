from odoo import api, fields, models
from odoo.exceptions import UserError


class EssSponsorshipClose(models.TransientModel):
    """The pole records the end of a sponsorship (the modules done, the
    closing notes of both sides) or cancels it, with its reason."""

    _name = "ess.sponsorship.close"
    _description = "End or cancel a sponsorship"

    sponsorship_id = fields.Many2one("ess.sponsorship", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("end", "Record the end"), ("cancel", "Cancel")], required=True, default="end"
    )
    partner_id = fields.Many2one(related="sponsorship_id.partner_id", string="New member")
    sponsor_partner_id = fields.Many2one(related="sponsorship_id.sponsor_partner_id")
    hours_total = fields.Float(related="sponsorship_id.hours_total")
    end_date = fields.Date(default=fields.Date.context_today)
    module_line_ids = fields.Many2many(
        "ess.sponsorship.module.line",
        string="Modules done",
        compute="_compute_module_line_ids",
        store=True,
        readonly=False,
        domain="[('sponsorship_id', '=', sponsorship_id)]",
    )
    closing_note_member = fields.Text(
        "Closing note of the new member",
        compute="_compute_notes",
        store=True,
        readonly=False,
    )
    closing_note_sponsor = fields.Text(
        "Closing note of the sponsor", compute="_compute_notes", store=True, readonly=False
    )
    cancel_reason = fields.Text("Reason for cancelling")

    @api.depends("sponsorship_id")
    def _compute_module_line_ids(self):
        for wizard in self:
            lines = wizard.sponsorship_id.module_line_ids
            wizard.module_line_ids = lines.filtered(
                lambda line: line.done
                or (line.guideline_hours and line.hours >= line.guideline_hours)
            )

    @api.depends("sponsorship_id")
    def _compute_notes(self):
        for wizard in self:
            wizard.closing_note_member = wizard.sponsorship_id.closing_note_member
            wizard.closing_note_sponsor = wizard.sponsorship_id.closing_note_sponsor

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "cancel":
            self.sponsorship_id._record_cancel(self.cancel_reason)
        else:
            if not self.end_date or self.end_date > fields.Date.context_today(self):
                raise UserError(self.env._("The end date cannot be empty or in the future."))
            self.sponsorship_id._record_end(
                self.end_date,
                note_member=self.closing_note_member,
                note_sponsor=self.closing_note_sponsor,
                done_modules=self.module_line_ids,
            )
        return {"type": "ir.actions.act_window_close"}
