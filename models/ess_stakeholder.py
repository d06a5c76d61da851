from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError

STAKEHOLDER_CATEGORIES = [
    ("employees", "Employees"),
    ("volunteers", "Volunteers"),
    ("members", "Members"),
    ("users", "Users and beneficiaries"),
    ("governance", "Elected officers"),
    ("funders", "Funders"),
    ("local_authorities", "Local authorities"),
    ("suppliers", "Suppliers"),
    ("partners", "Partners"),
    ("other", "Other"),
]

DIALOGUE_FREQUENCIES = [
    ("continuous", "Continuous"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
    ("occasional", "Occasional"),
    ("none", "No dialogue yet"),
]

# Influence × importance, each 1–5: a score of 3 or more is "high".
QUADRANTS = [
    ("key_players", "Key players"),
    ("keep_satisfied", "Keep satisfied"),
    ("keep_informed", "Keep informed"),
    ("monitor", "Monitor"),
]

# The stakeholder map (see ``_matrix``): its side, the margin of the scales,
# the distance between two dots at the same place.
MATRIX_SIZE, MATRIX_MARGIN, MATRIX_SPREAD = 420, 40, 14

QUADRANT_COLORS = {
    "key_players": "#f8d7da",
    "keep_satisfied": "#fff3cd",
    "keep_informed": "#cff4fc",
    "monitor": "#e9ecef",
}


class EssStakeholder(models.Model):
    """A stakeholder of a member organisation (ESSpratiques' stakeholder
    map, seed 001): placed by its influence on the organisation and its
    importance for it, with the ways and rhythm of dialogue."""

    _name = "ess.stakeholder"
    _description = "Stakeholder"
    _inherit = ["ess.organisation.mixin", "mail.thread"]
    _order = "partner_id, influence desc, importance desc, name, id"

    name = fields.Char(required=True, tracking=True)
    scope = fields.Selection(
        [("internal", "Internal"), ("external", "External")],
        required=True,
        default="external",
        tracking=True,
    )
    category = fields.Selection(
        STAKEHOLDER_CATEGORIES, required=True, default="partners", tracking=True
    )
    influence = fields.Integer(required=True, default=3, tracking=True, help="1 (low) to 5 (high).")
    importance = fields.Integer(
        required=True, default=3, tracking=True, help="1 (low) to 5 (high)."
    )
    quadrant = fields.Selection(QUADRANTS, compute="_compute_quadrant", store=True)
    dialogue_mode_ids = fields.Many2many(
        "ess.dialogue.mode", string="Dialogue modes", check_company=True
    )
    frequency = fields.Selection(DIALOGUE_FREQUENCIES, "Dialogue frequency", default="yearly")
    contact_ids = fields.Many2many(
        "res.partner",
        "ess_stakeholder_contact_rel",
        "stakeholder_id",
        "partner_id",
        "Contacts",
        check_company=True,
    )
    expectations = fields.Text(help="What this stakeholder expects from the organisation.")
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()

    @api.depends("influence", "importance")
    def _compute_quadrant(self):
        for stakeholder in self:
            high_influence = stakeholder.influence >= 3
            high_importance = stakeholder.importance >= 3
            stakeholder.quadrant = (
                "key_players"
                if high_influence and high_importance
                else "keep_satisfied"
                if high_influence
                else "keep_informed"
                if high_importance
                else "monitor"
            )

    @api.constrains("influence", "importance")
    def _check_scales(self):
        for stakeholder in self:
            for value in (stakeholder.influence, stakeholder.importance):
                if not 1 <= value <= 5:
                    raise ValidationError(
                        self.env._("Influence and importance go from 1 to 5, not %s.", value)
                    )

    @api.model
    def _matrix(self, stakeholders):
        """The stakeholder map as numbers and texts: importance across,
        influence up, the four quadrants, the scales, a numbered dot per
        stakeholder (the legend lists them in the same order); dots at the
        same place are spread. The picture itself is the QWeb template
        ``ess_network.stakeholder_matrix``."""
        labels = dict(self._fields["quadrant"]._description_selection(self.env))
        size, margin = MATRIX_SIZE, MATRIX_MARGIN
        cell = size / 5
        # "high" is 3 or more: the low band holds values 1–2, the high one 3–5
        low = 2 * cell
        quadrants = []
        for key, x, y, width, height in (
            ("keep_satisfied", 0, 0, low, size - low),
            ("key_players", low, 0, size - low, size - low),
            ("monitor", 0, size - low, low, low),
            ("keep_informed", low, size - low, size - low, low),
        ):
            quadrants.append(
                {
                    "x": margin + x,
                    "y": y,
                    "width": width,
                    "height": height,
                    "fill": QUADRANT_COLORS[key],
                    "label": labels[key],
                    "label_x": margin + x + width / 2,
                    "label_y": y + 18,
                }
            )
        scale = [
            {
                "value": value,
                "x": margin + (value - 0.5) * cell,
                "y": size + 14,
                "left_x": margin - 6,
                "left_y": size - (value - 0.5) * cell + 4,
            }
            for value in range(1, 6)
        ]
        dots, placed = [], {}
        for index, stakeholder in enumerate(stakeholders, start=1):
            key = (stakeholder.importance, stakeholder.influence)
            offset = placed.get(key, 0)
            placed[key] = offset + 1
            cx = margin + (stakeholder.importance - 0.5) * cell + (offset % 3 - 1) * MATRIX_SPREAD
            cy = size - (stakeholder.influence - 0.5) * cell + (offset // 3) * MATRIX_SPREAD
            dots.append(
                {
                    "name": stakeholder.name,
                    "number": index,
                    "cx": round(cx, 1),
                    "cy": round(cy, 1),
                    "text_y": round(cy + 3.5, 1),
                    "fill": "#714B67" if stakeholder.scope == "internal" else "#017e84",
                }
            )
        return {
            "width": size + margin + 10,
            "height": size + margin + 10,
            "quadrants": quadrants,
            "scale": scale,
            "axis_x": margin + size / 2,
            "axis_y": size + 32,
            "axis_middle": size / 2,
            "dots": dots,
        }

    @api.model
    def _matrix_svg(self, stakeholders):
        """The stakeholder map as an SVG picture, shown on the organisation's
        form and its portal page."""
        return (
            self.env["ir.qweb"]
            ._render("ess_network.stakeholder_matrix", {"matrix": self._matrix(stakeholders)})
            .strip()
        )

    @api.model
    def _matrix_legend(self, stakeholders):
        """The legend of the map: per numbered dot, the stakeholder's full
        name, its influence and importance and its quadrant."""
        quadrants = dict(self._fields["quadrant"]._description_selection(self.env))
        return [
            {
                "number": index,
                "name": stakeholder.name,
                "scales": self.env._(
                    "Influence %(influence)s/5, importance %(importance)s/5",
                    influence=stakeholder.influence,
                    importance=stakeholder.importance,
                ),
                "quadrant": quadrants.get(stakeholder.quadrant, ""),
                "fill": "#714B67" if stakeholder.scope == "internal" else "#017e84",
            }
            for index, stakeholder in enumerate(stakeholders, start=1)
        ]

    @api.model
    def _matrix_with_legend_html(self, stakeholders, organisation):
        """The map and its legend, as the organisation's form shows them."""
        legend_id = f"o_ess_stakeholder_legend_{organisation.id or 'new'}"
        matrix = self._matrix(stakeholders)
        matrix["label"] = self.env._(
            "Stakeholder map of %s: importance across, influence up; the legend lists each "
            "numbered stakeholder.",
            organisation.display_name or "",
        )
        matrix["describedby"] = legend_id
        return (
            self.env["ir.qweb"]
            ._render(
                "ess_network.stakeholder_matrix_with_legend",
                {
                    "matrix": matrix,
                    "legend": self._matrix_legend(stakeholders),
                    "legend_id": legend_id,
                },
            )
            .strip()
        )

    # --------------------------------------------------------------------- portal
    def _portal_is_open(self):
        """An archived stakeholder is the network's history: it no longer
        changes from the portal."""
        return self.active

    def _portal_closed_message(self):
        return self.env._("This stakeholder is archived.")

    @api.model
    def _portal_contacts(self, organisation):
        """The contacts of ``organisation`` a member may link to its
        stakeholders, read with sudo."""
        return self._organisation_persons(organisation)

    @api.model
    def _portal_check_links(self, vals, organisation):
        """The dialogue modes and contacts of ``vals`` must be active modes
        and people of ``organisation``.

        :return: the errors by field name
        """
        errors = {}
        if "dialogue_mode_ids" in vals:
            mode_ids = set(vals["dialogue_mode_ids"])
            modes = (
                self.env["ess.dialogue.mode"]
                .sudo()
                ._network_search(
                    organisation.company_id or self.env.company, [("id", "in", list(mode_ids))]
                )
            )
            if set(modes.ids) != mode_ids:
                errors["dialogue_mode_ids"] = self.env._("Choose dialogue modes in the list.")
        if "contact_ids" in vals:
            if not set(vals["contact_ids"]) <= set(self._portal_contacts(organisation).ids):
                errors["contact_ids"] = self.env._(
                    "Choose contacts among the people of your organisation."
                )
        return errors

    def _portal_save(self, vals, user):
        """Create a stakeholder of the organisation of ``user``, a member
        (``self`` empty), or change this one as the user did on the portal,
        and tell its chatter.

        ``self`` is the stakeholder read with sudo by the portal controller
        after its access check; this checks again that it belongs to the
        user's organisation (else AccessError) and is not archived, that its
        dialogue modes and contacts are ones the member may choose, and
        writes nothing at all when anything is wrong.

        :param dict vals: typed values by field name (a new stakeholder needs
            its name, scope, category, influence and importance);
            ``dialogue_mode_ids`` and ``contact_ids`` are lists of ids
        :return: ``(stakeholder, errors)``: the stakeholder saved (with
            sudo), or the errors by field name (``form`` for the whole form)
        """
        organisation = user.commercial_partner_id
        if self:
            errors = self._portal_check_open(user)
            if errors:
                return self, errors
        elif not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation can map stakeholders.")
            )
        errors = self._portal_check_links(vals, organisation)
        if errors:
            return self, errors
        if not self:
            return self._portal_create(vals, user), {}
        differences = self._portal_differences(self, vals)
        if not differences:
            return self, {}
        labels = [self._fields[name].get_description(self.env)["string"] for name in differences]
        intro = self.env._(
            "Updated through the portal by %(user)s: %(fields)s.",
            user=user.name,
            fields=", ".join(labels),
        )
        errors = self._portal_write(
            user,
            {self: self._portal_commands(differences)},
            post=lambda stakeholder: stakeholder._portal_post_changes(
                user, intro, tracked=differences
            ),
        )
        return self, errors

    @api.model
    def _portal_commands(self, vals):
        """``vals`` as written: the lists of ids of relations set whole."""
        return {
            name: [Command.set(value)] if self._fields[name].type == "many2many" else value
            for name, value in vals.items()
        }

    @api.model
    def _portal_create(self, vals, user):
        """A new stakeholder of the organisation of ``user``, a member, with
        ``vals`` (checked by ``_portal_save``), created as the user.

        :return: the stakeholder, with sudo
        """
        stakeholder = (
            self.env["ess.stakeholder"]
            .with_user(user)
            .sudo()
            .with_context(mail_create_nolog=True)
            .create(
                {
                    **self._portal_commands(vals),
                    "partner_id": user.commercial_partner_id.id,
                }
            )
        )
        stakeholder._portal_post_changes(
            user, self.env._("Added to the stakeholder map through the portal by %s.", user.name)
        )
        return self.env["ess.stakeholder"].sudo().browse(stakeholder.id)

    def _portal_archive(self, user):
        """Archive this stakeholder (never delete it), as ``user``, a
        member, asked from the portal."""
        self.ensure_one()
        self._portal_check_organisation(user)
        if not self.active:
            return {}
        return self._portal_write(
            user,
            {self: {"active": False}},
            post=lambda stakeholder: stakeholder._portal_post_changes(
                user,
                self.env._("Archived through the portal by %s.", user.name),
                tracked=["active"],
            ),
        )
