from odoo import fields, models

PHASES = [
    ("integration", "Integration"),
    ("appropriation", "Appropriation"),
    ("operational", "Operational"),
]


class EssPhaseItem(models.Model):
    """Reference checklist of a membership phase (seed 000): its objectives
    and contents. Each new membership file gets its own copy to tick.

    Shared by every network, or a network's own addition (an objective of
    its own process): see ``ess.reference.mixin``."""

    _name = "ess.phase.item"
    _inherit = ["ess.reference.mixin"]
    _description = "Membership phase checklist item"
    _order = "phase, kind desc, sequence, id"

    name = fields.Char(translate=True)
    phase = fields.Selection(PHASES, required=True, index=True)
    kind = fields.Selection(
        [("objective", "Objective"), ("content", "Content")],
        required=True,
        default="content",
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
