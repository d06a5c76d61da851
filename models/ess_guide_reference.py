from odoo import api, fields, models

# Where a reference record comes from: the CSESS guide itself, a proposal
# shipped with this add-on (built from the published key ideas and the
# seeds), or an addition of the network that runs this database.
PROVENANCES = [
    ("official", "Official guide"),
    ("proposed", "Proposed"),
    ("network", "Added by the network"),
]


class EssGuideReference(models.AbstractModel):
    """A numbered part of the guide of good practices: a theme (1), a domain
    of action (1.3), a question or indicator (1.3.2). Shared by every
    network, or a network's own addition (see ``ess.reference.mixin``): its
    number is unique among what one network sees. It is named by its number
    and title, and it says where it comes from."""

    _name = "ess.guide.reference"
    _inherit = ["ess.reference.mixin"]
    _description = "Numbered part of the good-practice guide"
    _rec_names_search = ["code", "name"]
    _reference_unique = ("code",)
    # between the number and the title in the display name: "1.3 Title"
    _code_separator = " "

    code = fields.Char(required=True)
    name = fields.Char("Title")
    sequence = fields.Integer(default=10)
    provenance = fields.Selection(PROVENANCES, required=True, default="network")

    _sql_constraints = [
        (
            "code_unique",
            "unique(code, company_id)",
            "Two themes, two domains of action or two questions cannot have the same number.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = (
                f"{record.code}{self._code_separator}{record.name}" if record.code else record.name
            )
