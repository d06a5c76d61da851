from odoo import api, fields, models
from odoo.exceptions import UserError

# From the validation of its request on, an organisation's people may follow
# its file on the portal (integration meeting, signature), then its guide.
PORTAL_STATES = ("validated", "meeting", "signature", "member")


class EssMembership(models.Model):
    """Portal access of an organisation's contact persons, given from its
    membership file with Odoo's own portal access wizard (``portal.wizard``):
    the file lists who has access."""

    _inherit = "ess.membership"

    portal_contact_ids = fields.Many2many(
        "res.partner",
        compute="_compute_portal_access",
        string="Contact persons",
        help="The people of the organisation, and whether they can log in to the portal.",
    )
    portal_access_count = fields.Integer(
        compute="_compute_portal_access",
        string="Portal access",
        help="How many people of the organisation can log in to the portal.",
    )

    @api.depends(
        "partner_id.child_ids.type",
        "partner_id.child_ids.user_ids",
        "contact_id",
    )
    def _compute_portal_access(self):
        for membership in self:
            contacts = membership._portal_contacts()
            membership.portal_contact_ids = contacts
            membership.portal_access_count = len(
                contacts.filtered(lambda p: p.ess_portal_status == "portal")
            )

    def _portal_contacts(self):
        """The contact persons of the organisation, as Odoo's portal access
        wizard lists those of a company (its people and other addresses),
        the contact person of the file first."""
        self.ensure_one()
        people = self.partner_id.child_ids.filtered(
            lambda p: p.active and p.type in ("contact", "other")
        )
        return (self.contact_id | people).filtered("active")

    def action_grant_portal_access(self):
        """Open Odoo's portal access wizard on the organisation's contact
        persons: staff grant (or revoke) access person by person, and the
        invitation e-mail is sent in each person's language."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in PORTAL_STATES:
            raise UserError(
                self.env._(
                    "The people of %s get portal access once its adhesion request is validated.",
                    self.partner_id.display_name,
                )
            )
        contacts = self._portal_contacts()
        if not contacts:
            raise UserError(
                self.env._(
                    "%s has no contact person yet: add its people, with their e-mail "
                    "address, to the organisation first.",
                    self.partner_id.display_name,
                )
            )
        wizard = (
            self.env["portal.wizard"]
            .with_context(
                active_model="res.partner", active_ids=contacts.ids, active_id=contacts[0].id
            )
            .create({})
        )
        return wizard._action_open_modal()
