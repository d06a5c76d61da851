from odoo import fields, models


class ResPartner(models.Model):
    """An organisation's consent to the public page of its commitments.

    The consent is the organisation's, not a year's: one tick box covers
    every year it publishes, and unticking it takes every public page of
    the organisation down at once, whatever the years say."""

    _inherit = "res.partner"

    ess_public_opt_in = fields.Boolean(
        "Public commitments page",
        tracking=True,
        copy=False,
        help="The organisation agrees that the commitments of the guide years it publishes "
        "are shown on a public page, reachable by its address only.",
    )
    ess_public_names = fields.Boolean(
        "Show the pilots' names publicly",
        tracking=True,
        copy=False,
        help="The public page and the public synthesis name the pilots of the guide. "
        "By default they name nobody.",
    )
