from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The portal pages of the add-on show Odoo's chatter (the ``mail``
        module's interface) and the add-on's own scripts: their texts are
        translated in the member's language too ("La conversation est
        vide.", not "The conversation is empty.")."""
        return [*super()._get_translation_frontend_modules_name(), "mail", "ess_network"]
