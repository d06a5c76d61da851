from odoo import api, fields, models


class ResPartner(models.Model):
    """Whether a person can log in to the portal, as staff see it on a
    membership file."""

    _inherit = "res.partner"

    ess_portal_status = fields.Selection(
        [("portal", "Portal access"), ("internal", "Network staff"), ("none", "No access")],
        "Portal",
        compute="_compute_ess_portal_access",
        compute_sudo=True,
    )
    ess_portal_login_date = fields.Datetime(
        "Last portal login", compute="_compute_ess_portal_access", compute_sudo=True
    )

    @api.depends("user_ids.active", "user_ids.groups_id", "user_ids.login_date")
    def _compute_ess_portal_access(self):
        for partner in self:
            # the active users only: an access revoked archives the user
            users = partner.user_ids.filtered("active")
            if any(user._is_internal() for user in users):
                partner.ess_portal_status = "internal"
            elif any(user._is_portal() for user in users):
                partner.ess_portal_status = "portal"
            else:
                partner.ess_portal_status = "none"
            partner.ess_portal_login_date = max(
                users.filtered("login_date").mapped("login_date"), default=False
            )
