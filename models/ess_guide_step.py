from odoo import fields, models


class EssGuideStep(models.Model):
    """Reference step of the implementation of the guide (seed 002, 2.1:
    the twelve steps from choosing a pilot to keeping the steering tool).
    Every guide year gets its own copy to tick.

    Shared by every network, or a network's own addition (a step of its
    own): see ``ess.reference.mixin``."""

    _name = "ess.guide.step"
    _inherit = ["ess.reference.mixin"]
    _description = "Good-practice guide implementation step"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    description = fields.Text()
