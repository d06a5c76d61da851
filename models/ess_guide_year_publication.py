import base64
import io
import re
import secrets

import qrcode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# The public page of a guide year's commitments: /engagements/<token>.
PUBLIC_PATH = "/engagements/"
# secrets.token_urlsafe(24): 32 characters of [A-Za-z0-9_-]; nothing else
# is looked up.
TOKEN_BYTES = 24
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
# How much of a theme's texts the public synthesis (PDF) shows, to stay
# within two pages; the public page shows them whole.
SYNTHESIS_TEXT_LIMIT = 420
SYNTHESIS_LINES_PER_THEME = 5


def shorten(text, limit):
    """``text`` cut at the last word before ``limit`` characters, with "…"."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


class EssGuideYearPublication(models.Model):
    """The published commitments of a guide year: a public page
    (``/engagements/<token>``, no login) and a public synthesis (PDF) with a
    QR code to it, for the organisation's external communication (seed 002,
    step 12 "keep and publish"; seed 001's visual identity).

    A year is public only while the organisation has opted in
    (``res.partner.ess_public_opt_in``), the year is published and the
    organisation is not archived. Its address holds a random token, made
    when first published and changed by the network's staff on demand;
    nothing in it comes from ids. The pilots are named only when the
    organisation chose to (``ess_public_names``); budgets, the working
    group and the staff's notes never show."""

    _inherit = "ess.guide.year"

    public_published = fields.Boolean(
        "Published", tracking=True, copy=False, help="The commitments of this year are public."
    )
    public_published_date = fields.Datetime("Published on", readonly=True, copy=False)
    public_published_uid = fields.Many2one("res.users", "Published by", readonly=True, copy=False)
    public_token = fields.Char(
        "Public address token", readonly=True, copy=False, index="btree_not_null"
    )
    public_opt_in = fields.Boolean(
        related="partner_id.ess_public_opt_in", readonly=False, string="Public commitments page"
    )
    public_names = fields.Boolean(
        related="partner_id.ess_public_names", readonly=False, string="Show the pilots' names"
    )
    public_url = fields.Char("Public address", compute="_compute_public_url")
    public_visible = fields.Boolean("Public now", compute="_compute_public_url")

    _sql_constraints = [
        ("public_token_unique", "unique(public_token)", "Public addresses are unique."),
    ]

    @api.depends("public_token", "public_published", "partner_id.ess_public_opt_in")
    def _compute_public_url(self):
        for guide in self:
            guide.public_url = (
                guide.get_base_url() + PUBLIC_PATH + guide.public_token
                if guide.public_token
                else False
            )
            guide.public_visible = guide._public_is_visible()

    def _check_unlocked(self, vals=None):
        """Publishing is no change of the guide: a closed year is published
        and unpublished like any other."""
        if vals is not None:
            vals = {name: value for name, value in vals.items() if not name.startswith("public_")}
            if not vals:
                return
        return super()._check_unlocked(vals)

    # ------------------------------------------------------------------ reading
    def _public_is_visible(self):
        """Whether anybody may read this year's commitments at its address."""
        self.ensure_one()
        return bool(
            self.public_published
            and self.public_token
            and self.partner_id.active
            and self.partner_id.ess_public_opt_in
        )

    @api.model
    def _public_find(self, token):
        """The guide year shown at ``/engagements/<token>``, read with sudo,
        or an empty recordset: wrong token, not published, not opted in,
        archived organisation all look alike."""
        Guide = self.sudo()
        if not isinstance(token, str) or not TOKEN_RE.match(token):
            return Guide.browse()
        guide = Guide.search([("public_token", "=", token)], limit=1)
        if not guide or not secrets.compare_digest(guide.public_token, token):
            return Guide.browse()
        return guide if guide._public_is_visible() else Guide.browse()

    def _public_sections(self, text_limit=None, lines_limit=None):
        """The commitments as the public page and synthesis show them, per
        theme in the reference order: ``[{"theme": theme line, "retained":
        bool, "reason", "good_practices", "progress_areas": text, "lines":
        [question lines worked on], "more": lines left out}]``.

        Reads in batch: the number of queries does not grow with the number
        of questions. ``text_limit``/``lines_limit`` shorten it (synthesis)."""
        self.ensure_one()
        by_theme = {}
        # in the reference order (the lines' own order): theme, domain, question
        for line in self.line_ids.filtered("in_scope"):
            by_theme.setdefault(line.theme_line_id.id, []).append(line)

        def text(value):
            value = (value or "").strip()
            return shorten(value, text_limit) if text_limit and value else value

        sections = []
        for theme_line in self.theme_line_ids:
            if theme_line.decision == "pending":
                continue
            retained = theme_line.decision == "retained"
            theme_lines = by_theme.get(theme_line.id, []) if retained else []
            shown = theme_lines
            if lines_limit:
                # the lines with figures first: those are the commitments
                order = {line: index for index, line in enumerate(theme_lines)}
                shown = sorted(
                    sorted(theme_lines, key=lambda line: not line._public_has_figures())[
                        :lines_limit
                    ],
                    key=order.get,
                )
            sections.append(
                {
                    "theme": theme_line.theme_id,
                    "retained": retained,
                    "reason": "" if retained else text(theme_line.reason),
                    "good_practices": text(theme_line.good_practices),
                    "progress_areas": text(theme_line.progress_areas),
                    "lines": shown,
                    "more": len(theme_lines) - len(shown),
                }
            )
        return sections

    def _public_pilots(self):
        """The pilots' names the public may read: none unless the
        organisation chose to show them."""
        self.ensure_one()
        if not self.partner_id.ess_public_names:
            return []
        return self.pilot_ids.mapped("name")

    def _public_qr_data_uri(self):
        """The QR code of the public address, as a PNG data URI."""
        self.ensure_one()
        if not self.public_url:
            return False
        code = qrcode.QRCode(
            border=2, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M
        )
        code.add_data(self.public_url)
        code.make(fit=True)
        stream = io.BytesIO()
        code.make_image().save(stream, format="PNG")
        return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode()

    def _public_check_printable(self):
        """The public synthesis shows published commitments only."""
        for guide in self:
            if not guide._public_is_visible():
                raise UserError(
                    self.env._(
                        "The public synthesis of %s cannot be printed: its commitments are not "
                        "published. The organisation must agree to a public page, and the year "
                        "must be published.",
                        guide.name,
                    )
                )

    # ---------------------------------------------------------------- changing
    def _public_values(self, published, user):
        """The values that publish (or unpublish) these guide years by
        ``user``; a first publication makes the address's token."""
        self.ensure_one()
        vals = {"public_published": published}
        if published:
            vals.update(public_published_date=fields.Datetime.now(), public_published_uid=user.id)
            if not self.public_token:
                vals["public_token"] = secrets.token_urlsafe(TOKEN_BYTES)
        return vals

    def _public_check_staff(self):
        if not self.env.user.has_group("ess_network.group_ess_user"):
            raise AccessError(self.env._("Only the network's staff can do this."))
        self.check_access("write")

    def action_public_publish(self):
        self._public_check_staff()
        for guide in self:
            if not guide.partner_id.ess_public_opt_in:
                raise UserError(
                    self.env._(
                        "%s has not agreed to a public page of its commitments: tick “Public "
                        "commitments page” first, with the organisation's consent.",
                        guide.partner_id.name,
                    )
                )
            if guide.state == "draft":
                raise UserError(self.env._("Start the guide before publishing its commitments."))
            guide.write(guide._public_values(True, self.env.user))
        return True

    def action_public_unpublish(self):
        self._public_check_staff()
        self.write({"public_published": False})
        return True

    def action_public_open(self):
        """The public page, in a new tab."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": PUBLIC_PATH + self.public_token,
            "target": "new",
        }

    def action_public_new_token(self):
        """A new public address: the former one answers 404 from now on
        (a leaked address, a QR code printed by mistake)."""
        self._public_check_staff()
        for guide in self:
            guide.public_token = secrets.token_urlsafe(TOKEN_BYTES)
            guide.message_post(
                body=self.env._(
                    "New public address: the former one no longer opens the commitments."
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _portal_publication(self, user, vals):
        """Save what ``user``, a member, chose for the publication of this
        year from its portal page: ``vals`` may hold ``opt_in``,
        ``names`` (the organisation's choices) and ``published``.

        ``self`` is the guide read with sudo by the portal controller after
        its access check; this checks again that it belongs to the user's
        organisation (else AccessError). A closed year may be published.

        :return: the errors by form field (``form``), empty when saved
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        organisation = self.partner_id
        opt_in = vals.get("opt_in", organisation.ess_public_opt_in)
        published = vals.get("published", self.public_published)
        if published and not opt_in:
            return {
                "opt_in": self.env._(
                    "To publish, tick that your organisation agrees to a public page."
                )
            }
        if published and self.state == "draft":
            return {"form": self.env._("Start the guide before publishing its commitments.")}
        partner_vals = {}
        if "opt_in" in vals:
            partner_vals["ess_public_opt_in"] = vals["opt_in"]
        if "names" in vals:
            partner_vals["ess_public_names"] = vals["names"]
        partner_vals = self._portal_differences(organisation, partner_vals)
        guide_vals = {}
        if published != self.public_published:
            guide_vals = self._public_values(published, user)
        if not partner_vals and not guide_vals:
            return {}
        items = []
        if "ess_public_opt_in" in partner_vals:
            items.append(
                self.env._("The organisation agrees to a public page of its commitments.")
                if partner_vals["ess_public_opt_in"]
                else self.env._("The organisation withdrew its consent to a public page.")
            )
        if "ess_public_names" in partner_vals:
            items.append(
                self.env._("The pilots' names are shown publicly.")
                if partner_vals["ess_public_names"]
                else self.env._("The pilots' names are no longer shown publicly.")
            )
        intro = self.env._("Publication changed through the portal by %s.", user.name)

        def work(record):
            if partner_vals:
                record.partner_id.write(partner_vals)
            if guide_vals:
                record.write(guide_vals)
            record._portal_post_changes(user, intro, items, tracked=guide_vals)

        return self._portal_run(user, work)[1]

    # ------------------------------------------------------------------- report
    def _ess_public_synthesis_filename(self):
        """``Synthèse publique 2025 - Scop Impulsion`` for a French reader
        (print_report_name of the public synthesis; the portal's download)."""
        self.ensure_one()
        guide = self.with_context(lang=self.env.user.lang or self.env.lang)
        name = "".join(" " if char in '\\/:*?"<>|' else char for char in self.partner_id.name or "")
        return guide.env._(
            "Public synthesis %(year)s - %(organisation)s",
            year=self.year,
            organisation=" ".join(name.split()),
        )
