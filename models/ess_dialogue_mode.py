from odoo import fields, models


class EssDialogueMode(models.Model):
    """A way of holding dialogue with stakeholders: meetings, surveys…

    Shared by every network, or a network's own addition: see
    ``ess.reference.mixin``."""

    _name = "ess.dialogue.mode"
    _inherit = ["ess.reference.mixin"]
    _description = "Dialogue mode"
    _order = "sequence, name"

    sequence = fields.Integer(default=10)
