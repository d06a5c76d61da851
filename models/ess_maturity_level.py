from odoo import api, fields, models, tools


class EssMaturityLevel(models.Model):
    """A level of the maturity scale of the self-assessment grid, described
    in words (from "not started" to "exemplary").

    One scale for the whole database, shared by every network on purpose
    (no ``company_id``): a level means the same for every member, the score
    of an answer is its level over the top of this scale, and a stored score
    would change meaning if a network changed the scale it was given on."""

    _name = "ess.maturity.level"
    _description = "Maturity level"
    _order = "value"

    name = fields.Char(required=True)
    value = fields.Integer(required=True, help="0 for the lowest level.")
    description = fields.Text(help="What an organisation at this level does.")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    @tools.ormcache()
    def _top_value(self):
        """The value of the highest level: it scores 100 %."""
        top = self.sudo().search([], order="value desc", limit=1)
        return top.value

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    _sql_constraints = [
        ("value_unique", "unique(value)", "Two maturity levels cannot have the same value."),
        ("value_positive", "check(value >= 0)", "A maturity level is 0 or more."),
    ]
