from odoo import models

from .ess_sponsor import ACTIVE_STATES

# What an organisation changes that may break a rule of sponsorship (seed
# 000): a commercial relationship declared (rule 3), its sector (rule 4),
# its employment area (rule 5).
SPONSORSHIP_RULE_FIELDS = (
    "ess_commercial_relation_ids",
    "industry_id",
    "ess_employment_area_id",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        res = super().write(vals)
        if any(field in vals for field in SPONSORSHIP_RULE_FIELDS):
            self._ess_check_sponsorship_rules()
        return res

    def _ess_check_sponsorship_rules(self):
        """The sponsorships under way in which one of these organisations is
        the new member or the sponsor are checked again: a rule that no
        longer holds flags them for the pole. A commercial relationship
        counts whichever side declared it: the declaring organisation is one
        of the two, so searching both roles finds every sponsorship
        concerned. One search for the whole batch."""
        organisations = self.filtered("is_company")
        if not organisations:
            return
        sponsorships = (
            self.env["ess.sponsorship"]
            .sudo()
            .search(
                [
                    ("state", "in", ACTIVE_STATES),
                    "|",
                    ("partner_id", "in", organisations.ids),
                    ("sponsor_partner_id", "in", organisations.ids),
                ]
            )
        )
        sponsorships._check_rules_still_hold()
