from odoo import api, fields, models


class EssEmploymentArea(models.Model):
    """An employment area ("bassin d'emploi") and the areas near it.

    Nearness is symmetric: when A lists B as a neighbour, B lists A.

    Shared by every network, or a regional network's own: see
    ``ess.reference.mixin``. A request sent through the public form goes to
    the network of the employment area chosen (to the current one for a
    shared area). A network's area may neighbour a shared one.
    """

    _name = "ess.employment.area"
    _inherit = ["ess.reference.mixin"]
    _description = "Employment area"
    _order = "name"
    _reference_unique = ("code",)

    code = fields.Char(help="INSEE code of the employment area, when known.")
    state_id = fields.Many2one("res.country.state", string="Region or department")
    neighbour_ids = fields.Many2many(
        "ess.employment.area",
        "ess_employment_area_neighbour_rel",
        "area_id",
        "neighbour_id",
        string="Neighbouring areas",
        help="Employment areas close enough for members to work together, e.g. for sponsorship.",
    )
    partner_ids = fields.One2many("res.partner", "ess_employment_area_id", string="Organisations")
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        (
            "code_uniq",
            "unique(code, company_id)",
            "Two employment areas cannot share a code.",
        ),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("ess_employment_area_id", "in", self.ids)],
                ["ess_employment_area_id"],
                ["__count"],
            )
        )
        for area in self:
            area.partner_count = counts.get(area, 0)

    @api.model_create_multi
    def create(self, vals_list):
        areas = super().create(vals_list)
        areas._sync_neighbours()
        return areas

    def write(self, vals):
        if "neighbour_ids" not in vals or self.env.context.get("ess_area_sync"):
            return super().write(vals)
        before = {area: area.neighbour_ids for area in self}
        res = super().write(vals)
        for area, old in before.items():
            for other in old - area.neighbour_ids:
                if area in other.neighbour_ids:
                    other._sync_write([fields.Command.unlink(area.id)])
        self._sync_neighbours()
        return res

    def _sync_write(self, commands):
        self.with_context(ess_area_sync=True).write({"neighbour_ids": commands})

    def _sync_neighbours(self):
        """Make nearness symmetric and never reflexive."""
        for area in self:
            if area in area.neighbour_ids:
                area._sync_write([fields.Command.unlink(area.id)])
            for other in area.neighbour_ids:
                if area not in other.neighbour_ids:
                    other._sync_write([fields.Command.link(area.id)])

    def is_near(self, other):
        """True when ``other`` is this area or one of its neighbours."""
        self.ensure_one()
        return bool(other) and (other == self or other in self.neighbour_ids)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_member_action")
        action["domain"] = [("ess_employment_area_id", "=", self.id)]
        action["context"] = {"default_ess_employment_area_id": self.id}
        return action
