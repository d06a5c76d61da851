import re

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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


# What a member may post from the portal (see ``_portal_save``).
PORTAL_NAME_LIMIT = 120
PORTAL_TEXT_LIMIT = 2000
PORTAL_SCALE = re.compile(r"^[1-5]$")
PORTAL_ID = re.compile(r"^\d{1,18}$")

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
    def _matrix_svg(self, stakeholders):
        """The stakeholder map as an SVG picture: importance across, influence
        up, the four quadrants named, a numbered dot per stakeholder (the legend
        lists them)."""
        labels = dict(self._fields["quadrant"]._description_selection(self.env))
        size, margin, cell = 420, 40, 420 / 5
        parts = [
            Markup(
                '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
                'class="o_ess_stakeholder_matrix" '
                'viewBox="0 0 {w} {h}" width="100%" style="max-width: {w}px" '
                'font-family="sans-serif" font-size="12">'
            ).format(w=size + margin + 10, h=size + margin + 10)
        ]
        parts.append(Markup("<title>%s</title>") % self.env._("Stakeholder map"))
        # "high" is 3 or more: the low band holds values 1–2, the high one 3–5
        low = 2 * cell
        quadrants = [
            ("keep_satisfied", 0, 0, low, size - low),
            ("key_players", low, 0, size - low, size - low),
            ("monitor", 0, size - low, low, low),
            ("keep_informed", low, size - low, size - low, low),
        ]
        for key, x, y, width, height in quadrants:
            parts.append(
                Markup(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"/>'
                    '<text x="{tx}" y="{ty}" text-anchor="middle" fill="#495057" '
                    'font-weight="bold">{label}</text>'
                ).format(
                    x=margin + x,
                    y=y,
                    w=width,
                    h=height,
                    c=QUADRANT_COLORS[key],
                    tx=margin + x + width / 2,
                    ty=y + 18,
                    label=labels[key],
                )
            )
        for value in range(1, 6):
            center = (value - 0.5) * cell
            parts.append(
                Markup(
                    '<text x="{x}" y="{y}" text-anchor="middle" fill="#6c757d">{v}</text>'
                    '<text x="{lx}" y="{ly}" text-anchor="end" fill="#6c757d">{v}</text>'
                ).format(
                    x=margin + center, y=size + 14, lx=margin - 6, ly=size - center + 4, v=value
                )
            )
        parts.append(
            Markup(
                '<text x="{x}" y="{y}" text-anchor="middle" fill="#212529">{imp} →</text>'
                '<text x="12" y="{my}" text-anchor="middle" fill="#212529" '
                'transform="rotate(-90 12 {my})">{inf} →</text>'
            ).format(
                x=margin + size / 2,
                y=size + 32,
                my=size / 2,
                imp=self.env._("Importance"),
                inf=self.env._("Influence"),
            )
        )
        placed = {}
        for index, stakeholder in enumerate(stakeholders, start=1):
            key = (stakeholder.importance, stakeholder.influence)
            offset = placed.get(key, 0)
            placed[key] = offset + 1
            cx = margin + (stakeholder.importance - 0.5) * cell + (offset % 3 - 1) * 14
            cy = size - (stakeholder.influence - 0.5) * cell + (offset // 3) * 14
            parts.append(
                Markup(
                    '<g><title>{name}</title><circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" '
                    'fill="{fill}" stroke="#fff"/><text x="{cx:.1f}" y="{ty:.1f}" '
                    'text-anchor="middle" fill="#fff" font-size="10">{n}</text></g>'
                ).format(
                    name=stakeholder.name,
                    cx=cx,
                    cy=cy,
                    ty=cy + 3.5,
                    n=index,
                    fill="#714B67" if stakeholder.scope == "internal" else "#017e84",
                )
            )
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    # --------------------------------------------------------------------- portal
    def _portal_check_organisation(self, user):
        """Raise AccessError unless this stakeholder belongs to the
        organisation of ``user``, a member."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        if not organisation or self.partner_id != organisation:
            raise AccessError(self.env._("This stakeholder belongs to another organisation."))

    @api.model
    def _portal_contacts(self, organisation):
        """The contacts of ``organisation`` a member may link to its
        stakeholders, read with sudo."""
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", organisation.id),
                    ("id", "!=", organisation.id),
                    ("is_company", "=", False),
                ],
                order="name, id",
            )
        )

    def _portal_form_values(self):
        """What the portal form shows for this stakeholder (or, on an empty
        recordset, for a new one), by field name, as text or lists of ids."""
        if not self:
            return {
                "name": "",
                "scope": "external",
                "category": "",
                "influence": "3",
                "importance": "3",
                "frequency": "yearly",
                "expectations": "",
                "dialogue_mode_ids": [],
                "contact_ids": [],
            }
        self.ensure_one()
        return {
            "name": self.name or "",
            "scope": self.scope or "",
            "category": self.category or "",
            "influence": str(self.influence),
            "importance": str(self.importance),
            "frequency": self.frequency or "",
            "expectations": self.expectations or "",
            "dialogue_mode_ids": [str(i) for i in self.dialogue_mode_ids.ids],
            "contact_ids": [str(i) for i in self.contact_ids.ids],
        }

    def _portal_parse(self, values, organisation):
        """Validate a portal post for this stakeholder, or for a new one
        when ``self`` is empty (then every required field must be posted).

        :param dict values: the posted form; ``dialogue_mode_ids`` and
            ``contact_ids`` are lists of ids (as text)
        :return: ``(vals, errors)``: the values to write, and the errors by
            form field name
        """
        creating = not self
        vals, errors = {}, {}
        choose = self.env._("Choose a value in the list.")

        def text(name):
            value = values.get(name)
            return value if isinstance(value, str) else None

        if "name" in values or creating:
            name = " ".join((text("name") or "").split())
            if not name:
                errors["name"] = self.env._("Give the stakeholder a name.")
            elif len(name) > PORTAL_NAME_LIMIT:
                errors["name"] = self.env._("At most %s characters.", PORTAL_NAME_LIMIT)
            else:
                vals["name"] = name
        for name in ("scope", "category", "frequency"):
            if name not in values and not (creating and name != "frequency"):
                continue
            choice = (text(name) or "").strip()
            if name == "frequency" and not choice and text(name) is not None:
                vals[name] = False
            elif choice in dict(self._fields[name].selection):
                vals[name] = choice
            else:
                errors[name] = choose
        for name in ("influence", "importance"):
            if name in values or creating:
                level = (text(name) or "").strip()
                if PORTAL_SCALE.match(level):
                    vals[name] = int(level)
                else:
                    errors[name] = self.env._("Choose a value from 1 to 5.")
        if "expectations" in values:
            expectations = (text("expectations") or "").replace("\r\n", "\n").strip()
            if text("expectations") is None or len(expectations) > PORTAL_TEXT_LIMIT:
                errors["expectations"] = self.env._("At most %s characters.", PORTAL_TEXT_LIMIT)
            else:
                vals["expectations"] = expectations or False

        def ids(name):
            raw = values.get(name)
            raw = [raw] if isinstance(raw, str) else raw
            if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
                return None
            raw = [v.strip() for v in raw if v.strip()]
            return {int(v) for v in raw} if all(PORTAL_ID.match(v) for v in raw) else None

        if "dialogue_mode_ids" in values:
            mode_ids = ids("dialogue_mode_ids")
            modes = (
                self.env["ess.dialogue.mode"].sudo().search([("id", "in", list(mode_ids or ()))])
            )
            if mode_ids is None or set(modes.ids) != mode_ids:
                errors["dialogue_mode_ids"] = self.env._("Choose dialogue modes in the list.")
            else:
                vals["dialogue_mode_ids"] = modes.ids
        if "contact_ids" in values:
            contact_ids = ids("contact_ids")
            contacts = self._portal_contacts(organisation).filtered(
                lambda c: c.id in (contact_ids or ())
            )
            if contact_ids is None or set(contacts.ids) != contact_ids:
                errors["contact_ids"] = self.env._(
                    "Choose contacts among the people of your organisation."
                )
            else:
                vals["contact_ids"] = contacts.ids
        return vals, errors

    def _portal_save(self, values, user):
        """Create a stakeholder of the organisation of ``user``, a member
        (``self`` empty), or update this one, as posted from the portal, and
        tell its chatter.

        ``self`` is the stakeholder read with sudo by the portal controller
        after its access check. This checks again that it belongs to the
        user's organisation (else AccessError), validates every posted value
        and writes nothing at all when anything is wrong. Only the posted
        fields are saved.

        :return: ``(stakeholder, errors)``: the stakeholder saved (with
            sudo), or the errors by form field name
        """
        organisation = user.commercial_partner_id
        if self:
            self._portal_check_organisation(user)
            if not self.active:
                return self, {"form": self.env._("This stakeholder is archived.")}
        elif not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation can map stakeholders.")
            )
        vals, errors = self._portal_parse(values, organisation)
        if errors:
            return self, errors
        Stakeholder = self.env["ess.stakeholder"].with_user(user).sudo()
        try:
            with self.env.cr.savepoint():
                if not self:
                    stakeholder = Stakeholder.with_context(mail_create_nolog=True).create(
                        {
                            **{
                                name: value
                                for name, value in vals.items()
                                if not name.endswith("_ids")
                            },
                            "partner_id": organisation.id,
                            "dialogue_mode_ids": [Command.set(vals.get("dialogue_mode_ids", []))],
                            "contact_ids": [Command.set(vals.get("contact_ids", []))],
                        }
                    )
                    body = self.env._(
                        "Added to the stakeholder map through the portal by %s.", user.name
                    )
                    changes = {}
                else:
                    stakeholder = Stakeholder.browse(self.id)
                    changes = {}
                    for name, value in vals.items():
                        if name.endswith("_ids"):
                            if set(value) != set(self[name].ids):
                                changes[name] = [Command.set(value)]
                        elif value != (self[name] or False):
                            changes[name] = value
                    if not changes:
                        return self, {}
                    stakeholder.write(changes)
                    labels = [
                        self._fields[name].get_description(self.env)["string"] for name in changes
                    ]
                    body = self.env._(
                        "Updated through the portal by %(user)s: %(fields)s.",
                        user=user.name,
                        fields=", ".join(labels),
                    )
                stakeholder._portal_log(user, body, set(changes))
        except (UserError, ValidationError) as error:
            return self, {"form": str(error.args[0])}
        return self.env["ess.stakeholder"].sudo().browse(stakeholder.id), {}

    def _portal_archive(self, user):
        """Archive this stakeholder (never delete it), as ``user``, a
        member, asked from the portal."""
        self.ensure_one()
        self._portal_check_organisation(user)
        if not self.active:
            return
        stakeholder = self.with_user(user).sudo()
        stakeholder.write({"active": False})
        stakeholder._portal_log(
            user, self.env._("Archived through the portal by %s.", user.name), {"active"}
        )

    def _portal_log(self, user, body, changed):
        """Tell the chatter what ``user``, a member, did through the portal:
        in the message that tracks the ``changed`` fields when some are
        tracked, else in a note of its own; either way authored by the user."""
        self.ensure_one()
        if changed & set(self._track_get_fields()):
            self._track_set_author(user.partner_id)
            self._track_set_log_message(Markup("<p>%s</p>") % body)
            return
        self.message_post(
            body=body,
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )


class EssDialogueMode(models.Model):
    """A way of holding dialogue with stakeholders: meetings, surveys…

    Shared by every network, or a network's own addition: see
    ``ess.reference.mixin``."""

    _name = "ess.dialogue.mode"
    _inherit = ["ess.reference.mixin"]
    _description = "Dialogue mode"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
