from odoo import fields, models


class EssDialogueMode(models.Model):
    """A way of holding dialogue with stakeholders: meetings, surveys…"""

    _name = "ess.dialogue.mode"
    _description = "Dialogue mode"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
