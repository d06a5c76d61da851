import functools

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools import inputs
from .form import PortalForm, home_count, origin_field, selection_labels

# Form fields posted once per ticked box.
STAKEHOLDER_LISTS = ("dialogue_mode_ids", "contact_ids")
NAME_LIMIT = 120
TEXT_LIMIT = 2000


def stakeholder_form_values(stakeholder):
    """What the form shows for ``stakeholder`` (or, for an empty recordset,
    for a new one), by field name, as text or lists of ids."""
    if not stakeholder:
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
    return {
        "name": stakeholder.name or "",
        "scope": stakeholder.scope or "",
        "category": stakeholder.category or "",
        "influence": str(stakeholder.influence),
        "importance": str(stakeholder.importance),
        "frequency": stakeholder.frequency or "",
        "expectations": stakeholder.expectations or "",
        "dialogue_mode_ids": [str(i) for i in stakeholder.dialogue_mode_ids.ids],
        "contact_ids": [str(i) for i in stakeholder.contact_ids.ids],
    }


def stakeholder_canonical(key, value):
    """How the form compares values: a list of ticked boxes without the
    empty value posted before them."""
    if key not in STAKEHOLDER_LISTS:
        return value
    items = value if isinstance(value, list | tuple) else [value]
    return [str(item).strip() for item in items if str(item).strip()]


class EssStakeholderPortal(CustomerPortal):
    """A member's stakeholder map on the portal: the map, a stakeholder's
    page, adding, changing and archiving stakeholders.

    Every page shows only the stakeholders of the user's organisation
    (record rules, then ``_document_check_access``); the controller reads
    what a member posts into typed values, which ``ess.stakeholder``'s
    ``_portal_*`` methods check again and write."""

    def _ess_stakeholder_domain(self):
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_stakeholder_count" in counters:
            values["ess_stakeholder_count"] = home_count(
                "ess.stakeholder", self._ess_stakeholder_domain()
            )
        return values

    @http.route("/my/stakeholders", type="http", auth="user", website=True)
    def portal_my_stakeholders(self, saved=None, archived=None, **kwargs):
        if not request.env["ess.stakeholder"].has_access("read"):
            return request.redirect("/my")
        return self._ess_render_stakeholders(saved=bool(saved), archived=bool(archived))

    @http.route("/my/stakeholders/<int:stakeholder_id>", type="http", auth="user", website=True)
    def portal_my_stakeholder(self, stakeholder_id, **kwargs):
        try:
            stakeholder_sudo = self._document_check_access("ess.stakeholder", stakeholder_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._ess_render_stakeholder(stakeholder_sudo)

    @http.route("/my/stakeholders/save", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_stakeholder_save(self, **kwargs):
        Stakeholder = request.env["ess.stakeholder"]
        if not Stakeholder.has_access("read"):
            return request.redirect("/my")
        scopes, categories, frequencies = selection_labels(
            "ess.stakeholder", "scope", "category", "frequency"
        )
        form = PortalForm(
            lists=STAKEHOLDER_LISTS,
            canonical=stakeholder_canonical,
            labels={"scope": scopes, "category": categories, "frequency": frequencies},
        )
        stakeholder_id = str(form.values.pop("stakeholder_id", "") or "").strip()
        stakeholder_sudo = Stakeholder.sudo()
        if stakeholder_id:
            try:
                if not stakeholder_id.isdecimal():
                    raise MissingError(stakeholder_id)
                stakeholder_sudo = self._document_check_access(
                    "ess.stakeholder", int(stakeholder_id)
                )
            except (AccessError, MissingError, ValueError):
                return request.redirect("/my")
        vals = self._ess_stakeholder_vals(stakeholder_sudo, form)
        if not form.errors:
            saved_sudo, errors = stakeholder_sudo._portal_save(vals, request.env.user)
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            if stakeholder_sudo:
                return self._ess_render_stakeholder(stakeholder_sudo, form=form, status=400)
            return self._ess_render_stakeholders(form=form, status=400)
        return request.redirect(f"/my/stakeholders?saved={saved_sudo.id}#stakeholder_list")

    @http.route(
        "/my/stakeholders/<int:stakeholder_id>/archive",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_stakeholder_archive(self, stakeholder_id, **kwargs):
        try:
            stakeholder_sudo = self._document_check_access("ess.stakeholder", stakeholder_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        stakeholder_sudo._portal_archive(request.env.user)
        return request.redirect("/my/stakeholders?archived=1")

    def _ess_stakeholder_vals(self, stakeholder_sudo, form):
        """What the member typed for a new stakeholder (every field), or
        changed for ``stakeholder_sudo`` since the page was loaded, as typed
        values by field name; errors go to ``form``."""
        env = request.env
        creating = not stakeholder_sudo
        posted = (
            form.values if creating else form.changes(stakeholder_form_values(stakeholder_sudo))
        )
        Stakeholder = env["ess.stakeholder"]
        vals = {}

        read = functools.partial(form.read_into, vals, posted=posted)

        if "name" in posted or creating:
            read("name", inputs.clean_text, NAME_LIMIT)
            if "name" in vals and not vals["name"]:
                form.error("name", env._("Give the stakeholder a name."))
        for name in ("scope", "category"):
            if name in posted or creating:
                read(name, inputs.parse_choice, Stakeholder._fields[name].selection, required=True)
        if "frequency" in posted:
            read("frequency", inputs.parse_choice, Stakeholder._fields["frequency"].selection)
        for name in ("influence", "importance"):
            if name in posted or creating:
                read(name, inputs.parse_integer, 1, 5, message=env._("Choose a value from 1 to 5."))
                if name in vals and vals[name] is None:
                    form.error(name, env._("Choose a value from 1 to 5."))
        if "expectations" in posted:
            read("expectations", inputs.clean_text, TEXT_LIMIT, multiline=True)
        messages = {
            "dialogue_mode_ids": env._("Choose dialogue modes in the list."),
            "contact_ids": env._("Choose contacts among the people of your organisation."),
        }
        for name, message in messages.items():
            if name in posted:
                read(name, inputs.parse_ids, message=message)
                if name in vals:
                    vals[name] = sorted(vals[name])
        return vals

    def _ess_stakeholder_options(self):
        env = request.env
        Stakeholder = env["ess.stakeholder"]

        def selection(name):
            return Stakeholder._fields[name]._description_selection(env)

        return {
            "scope_options": selection("scope"),
            "category_options": selection("category"),
            "frequency_options": selection("frequency"),
            "quadrant_labels": dict(selection("quadrant")),
            # shared modes and those of the member's network (record rules)
            "dialogue_modes": env["ess.dialogue.mode"].search([]),
            "contacts": Stakeholder._portal_contacts(env.user.commercial_partner_id),
            "scale": [
                ("1", env._("1 – Very low")),
                ("2", env._("2 – Low")),
                ("3", env._("3 – Medium")),
                ("4", env._("4 – High")),
                ("5", env._("5 – Very high")),
            ],
            "name_limit": NAME_LIMIT,
            "text_limit": TEXT_LIMIT,
        }

    def _ess_render_stakeholders(self, form=None, saved=False, archived=False, status=200):
        """The stakeholder map; after a refused new stakeholder, with the
        posted values and the errors in the form to add one."""
        Stakeholder = request.env["ess.stakeholder"]
        # found with the user's rights; read with sudo for the names of the
        # dialogue modes and contacts
        stakeholders = Stakeholder.search(self._ess_stakeholder_domain()).sudo()
        organisation = request.env.user.commercial_partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            self._ess_stakeholder_options(),
            stakeholders=stakeholders,
            matrix=Stakeholder._matrix_svg(stakeholders),
            page_name="ess_stakeholder",
            form={**stakeholder_form_values(Stakeholder), **(form.values if form else {})},
            errors=form.errors if form else {},
            saved=saved,
            archived=archived,
            can_edit=request.env.user.share and organisation.is_company,
        )
        return request.render("ess_network.portal_my_stakeholders", values, status=status)

    def _ess_render_stakeholder(self, stakeholder_sudo, form=None, status=200):
        """The page of one stakeholder, with the form to change it."""
        current = stakeholder_form_values(stakeholder_sudo)
        values = self._prepare_portal_layout_values()
        values.update(
            self._ess_stakeholder_options(),
            stakeholder=stakeholder_sudo,
            page_name="ess_stakeholder_detail",
            form={**current, **(form.values if form else {})},
            form_origin=form.origin_field(current)
            if form
            else origin_field(current, stakeholder_canonical),
            errors=form.errors if form else {},
            editable=stakeholder_sudo._portal_is_editable_by(request.env.user),
            archive_text=request.env._(
                "%s leaves your stakeholder map. The network keeps its history and can bring it "
                "back.",
                stakeholder_sudo.name,
            ),
        )
        return request.render("ess_network.portal_my_stakeholder", values, status=status)
