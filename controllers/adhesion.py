"""The public adhesion form: a prospective organisation asks to join the
network, without an account.

The controller reads what the visitor posted, checks it — every text
through :func:`~odoo.addons.ess_network.tools.inputs.clean_text`, then the
form's own rules (e-mail address, phone, postcode, website, choices, markup
characters, the honeypot) — and gives typed values to
``ess.membership._create_adhesion``, which creates the organisation, its
contact person and the request, or says why it cannot (already a member).
A refused post is answered 400 with the form again and a message by field.
"""

import re
import unicodedata

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools import inputs
from .form import PortalForm

TEXT_LIMIT = 128
LIMITS = {"zip": 5, "phone": 32, "motivation": 4000}
PHONE_RE = re.compile(r"^[0-9+(). -]{6,32}$")
ZIP_RE = re.compile(r"^[0-9]{5}$")
# The domain of an e-mail address or a website: labels of letters, digits
# and hyphens (international ones too), separated by dots.
DOMAIN = r"[^\W_]([\w-]*[^\W_])?(\.[^\W_]([\w-]*[^\W_])?)+"
EMAIL_RE = re.compile(rf"^[^@\s]+@{DOMAIN}$")
# A website: an http(s) address, the scheme optional (Odoo adds http://);
# no other scheme (javascript:, data:, ftp:…), no user name, no space.
WEBSITE_RE = re.compile(
    rf"^(https?://)?{DOMAIN}(:(?P<port>[0-9]{{1,5}}))?([/?#]\S*)?$", re.IGNORECASE
)
# No markup in the one-line texts: they end up in e-mails and documents.
MARKUP_RE = re.compile(r"[<>{}]")
# A hidden field that only robots fill in.
HONEYPOT = "company_fax"
FORM_FIELDS = (
    "name",
    "kind",
    "industry_id",
    "employment_area_id",
    "size",
    "street",
    "zip",
    "city",
    "website",
    "contact_name",
    "function",
    "email",
    "phone",
    "motivation",
    "accept",
)


def shown(raw):
    """A posted text as the form shows it again: without the control
    characters that have no business in a page."""
    if not isinstance(raw, str):
        return ""
    return "".join(
        char for char in raw if char in "\r\n\t" or unicodedata.category(char) not in ("Cc", "Cs")
    )


class EssAdhesionPortal(CustomerPortal):
    """The portal home invites a person whose organisation is not a member
    of the network to ask to join it."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the home page itself, not the counters of its cards
            user = request.env.user
            organisation = user.partner_id.commercial_partner_id.sudo()
            values["ess_adhesion_invite"] = (
                user.share
                and not user._is_public()
                and organisation.ess_member_state in ("none", "refused", "former")
            )
        return values


class EssAdhesionController(http.Controller):
    """Public page where a prospective organisation asks to join (no login)."""

    @staticmethod
    def _options():
        """The choices the form offers."""
        env = request.env
        partner_fields = env["res.partner"]._fields
        return {
            "kinds": partner_fields["ess_organization_kind"]._description_selection(env),
            "sizes": partner_fields["ess_size"]._description_selection(env),
            "industries": env["res.partner.industry"].sudo().search([]),
            "areas": env["ess.employment.area"].sudo().search([]),
        }

    def _render_form(self, form=None, options=None):
        values = {
            "post": {key: shown(form.values.get(key)) for key in FORM_FIELDS} if form else {},
            "errors": form.errors if form else {},
            **(options or self._options()),
        }
        response = request.render("ess_network.adhesion_form", values)
        if form:
            response.status_code = 400
        return response

    @http.route(
        "/adhesion", type="http", auth="public", methods=["GET"], website=True, sitemap=True
    )
    def adhesion_form(self, **kwargs):
        return self._render_form()

    @http.route("/adhesion", type="http", auth="public", methods=["POST"], website=True)
    def adhesion_submit(self, **kwargs):
        form = PortalForm()
        options = self._options()
        values = self._read(form, options)
        if not form.errors:
            try:
                with request.env.cr.savepoint():
                    membership = request.env["ess.membership"]._create_adhesion(values)
            except UserError as error:
                form.form_error(error.args[0])
        if form.errors:
            return self._render_form(form, options)
        return request.render(
            "ess_network.adhesion_thanks", {"organisation": membership.sudo().partner_id.name}
        )

    # ------------------------------------------------------------------
    # reading the form
    # ------------------------------------------------------------------
    def _read(self, form, options):
        """The typed values of the posted ``form``; what is wrong goes in
        ``form.errors``, by field."""
        env = form.env
        values = {
            "name": self._text(form, "name", env._("The name of the organisation"), required=True),
            "street": self._text(form, "street", env._("The address")),
            "zip": self._text(form, "zip", env._("The postcode")),
            "city": self._text(form, "city", env._("The city"), required=True),
            "website": self._text(form, "website", env._("The website")),
            "contact_name": self._text(form, "contact_name", env._("Your name"), required=True),
            "function": self._text(form, "function", env._("Your position")),
            "phone": self._text(form, "phone", env._("The phone number")),
            "motivation": self._text(form, "motivation", env._("Your motivation"), multiline=True),
            "email": self._email(form),
        }
        if values["name"] and not inputs.comparable(values["name"]):
            form.error(
                "name",
                env._("%s must contain letters or digits.", env._("The name of the organisation")),
            )
        if values["zip"] and not ZIP_RE.match(values["zip"]):
            form.error("zip", env._("A French postcode has 5 digits."))
        if values["phone"] and not PHONE_RE.match(values["phone"]):
            form.error("phone", env._("The phone number is not valid."))
        website = values["website"] and WEBSITE_RE.match(values["website"])
        if values["website"] and not (website and int(website["port"] or 80) <= 65535):
            form.error(
                "website",
                env._(
                    "The website is not valid: write a web address, such as "
                    "https://www.example.org."
                ),
            )

        values["kind"] = self._choice(
            form,
            "kind",
            options["kinds"],
            env._("Choose the kind of organisation in the list."),
            required=True,
        )
        values["size"] = self._choice(
            form,
            "size",
            options["sizes"],
            env._("Choose the size of the organisation in the list."),
        )
        values["industry_id"] = self._record(
            form,
            "industry_id",
            options["industries"],
            env._("Choose the %s in the list.", env._("sector of activity")),
        )
        values["employment_area_id"] = self._record(
            form,
            "employment_area_id",
            options["areas"],
            env._("Choose the %s in the list.", env._("employment area")),
            required=True,
        )
        try:
            accepted = inputs.parse_checkbox(env, form.values.get("accept"))
        except inputs.InputError:
            accepted = False
        if not accepted:
            form.error("accept", env._("Please accept that the network processes your request."))
        if form.values.get(HONEYPOT):
            form.form_error(env._("Your request could not be accepted."))
        return values

    @staticmethod
    def _text(form, key, label, required=False, multiline=False):
        """A text of the form, cleaned; one-line texts without markup."""
        text = form.typed(
            key,
            inputs.clean_text,
            LIMITS.get(key, TEXT_LIMIT),
            multiline=multiline,
            required=required,
            label=label,
        )
        if text and not multiline and MARKUP_RE.search(text):
            form.error(
                key,
                form.env._("%s contains characters that are not allowed (< > { }).", label),
            )
        return text or False

    @classmethod
    def _email(cls, form):
        """The e-mail address, normalised (lower case, without a name)."""
        env = form.env
        invalid = env._("The e-mail address is not valid.")
        try:
            inputs.clean_text(env, form.values.get("email"))
        except inputs.InputError:
            # a line break in an address would add a header to the e-mails sent to it
            form.error("email", invalid)
            return False
        text = cls._text(form, "email", env._("The e-mail address"), required=True)
        if not text or "email" in form.errors:
            return False
        email = email_normalize(text, strict=True)
        if not email or not EMAIL_RE.match(email):
            form.error("email", invalid)
            return False
        return email

    @staticmethod
    def _choice(form, key, choices, message, required=False):
        """The key of one of ``choices``."""
        try:
            return inputs.parse_choice(form.env, form.values.get(key), choices, required=required)
        except inputs.InputError:
            form.error(key, message)
            return False

    @staticmethod
    def _record(form, key, records, message, required=False):
        """One of ``records``, chosen by its id (none when not ``required``)."""
        try:
            ids = inputs.parse_ids(form.env, form.values.get(key) or "")
        except inputs.InputError:
            ids = {0}
        record = records.browse(ids) & records
        if len(ids) > 1 or len(record) != len(ids) or (required and not record):
            form.error(key, message)
            return records.browse()
        return record
