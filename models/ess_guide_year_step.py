from markupsafe import Markup

from odoo import api, fields, models


class EssGuideYearStep(models.Model):
    """One of the twelve implementation steps, ticked in a guide year."""

    _name = "ess.guide.year.step"
    _description = "Step of a guide year"
    _order = "year_id, sequence, id"

    year_id = fields.Many2one(
        "ess.guide.year", "Guide year", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="year_id.partner_id", store=True, index=True)
    step_id = fields.Many2one(
        "ess.guide.step", "Reference step", required=True, ondelete="restrict"
    )
    name = fields.Char(related="step_id.name")
    description = fields.Text(related="step_id.description")
    sequence = fields.Integer(default=10)
    done = fields.Boolean()
    done_date = fields.Date("Done on")
    done_by_id = fields.Many2one("res.users", "Done by")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ess.guide.year"].browse(
            [v["year_id"] for v in vals_list if v.get("year_id")]
        )._check_unlocked()
        for vals in vals_list:
            if vals.get("done"):
                vals.setdefault("done_date", fields.Date.context_today(self))
                vals.setdefault("done_by_id", self.env.user.id)
        return super().create(vals_list)

    def write(self, vals):
        self.year_id._check_unlocked()
        if "done" in vals:
            if vals["done"]:
                vals.setdefault("done_date", fields.Date.context_today(self))
                vals.setdefault("done_by_id", self.env.user.id)
            else:
                vals.update(done_date=False, done_by_id=False)
            changed = self.filtered(lambda s: s.done != bool(vals["done"]))
        res = super().write(vals)
        if "done" in vals and changed:
            status = self.env._("done") if vals["done"] else self.env._("to do again")
            for guide in changed.year_id:
                names = changed.filtered(lambda s, g=guide: s.year_id == g).mapped("name")
                guide.message_post(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._("Steps updated (%s):", status),
                        Markup().join(Markup("<li>%s</li>") % name for name in names),
                    ),
                    message_type="notification",
                )
        return res
