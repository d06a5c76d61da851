from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.formats import format_number

# A module of seed 000 takes "2 to 3 hours of support"; no session lasts longer than a day.
MAX_MODULE_HOURS = 24.0


class EssSponsorshipModule(models.Model):
    """A module of the sponsorship of new members (seed 000): what the
    sponsor helps the new member with, and the hours it usually takes.

    The four modules of seed 000 ship as shared data; a network's
    administrators edit them and add their own ("à la carte"), see
    ``ess.reference.mixin``."""

    _name = "ess.sponsorship.module"
    _inherit = ["ess.reference.mixin"]
    _description = "Sponsorship module"
    _order = "sequence, id"

    name = fields.Char(translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="What the sponsor and the new member do.")
    guideline_hours_min = fields.Float(
        "Guideline (hours, from)", default=2.0, help="Hours of support the module usually takes."
    )
    guideline_hours = fields.Float(
        "Guideline (hours, up to)",
        default=3.0,
        help="When the hours spent on the module reach it, the pole is asked whether the "
        "module, and the sponsorship, can end.",
    )
    guideline = fields.Char(compute="_compute_guideline")

    @api.depends("guideline_hours_min", "guideline_hours")
    @api.depends_context("lang")
    def _compute_guideline(self):
        for module in self:
            module.guideline = self.env._(
                "%(low)s to %(high)s hours",
                low=format_number(self.env, module.guideline_hours_min),
                high=format_number(self.env, module.guideline_hours),
            )

    @api.constrains("guideline_hours_min", "guideline_hours")
    def _check_guideline(self):
        for module in self:
            if not (0 < module.guideline_hours_min <= module.guideline_hours <= MAX_MODULE_HOURS):
                raise ValidationError(
                    self.env._(
                        "The guideline of the module “%(module)s” must go from a number of "
                        "hours above 0 to a number not below it, at most %(max)s hours.",
                        module=module.name,
                        max=format_number(self.env, MAX_MODULE_HOURS),
                    )
                )
