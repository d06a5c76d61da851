import functools
import unicodedata

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import html2plaintext, is_html_empty, plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.ess_practice_portal import PRACTICE_MAX_DOCUMENTS, PRACTICE_MAX_SIZE
from ..tools import inputs, uploads
from .form import PortalForm, attachment_download, home_count, origin_field, uploaded_files

# What a reader types in the search box: at most this many characters are
# searched (the rest of a pasted text is left out).
SEARCH_LIMIT = 100
NAME_LIMIT = 200
TEXT_LIMIT = 20000
# The form to propose a sheet: its fields, the boxes ticked in a list, the files.
PROPOSAL_FORM_FIELDS = (
    "name",
    "description",
    "theme_id",
    "domain_id",
    "kind_ids",
    "source_named",
    "theme_line",
)
PROPOSAL_LISTS = ("kind_ids",)
PICTURE_FIELD = "image"
DOCUMENTS_FIELD = "documents"


def search_text(env, raw):
    """The words a reader typed in the search box, fit for searching: never
    an error (a search box does not refuse what it is given) — control
    characters and invisible ones are dropped, letters of other scripts
    drawn like Latin ones read as those (by the full-text search), a long
    text cut."""
    if not isinstance(raw, str):
        return ""
    text = "".join(
        char for char in raw[: SEARCH_LIMIT * 4] if unicodedata.category(char) not in ("Cc", "Cs")
    )
    try:
        text = inputs.clean_text(env, text) or ""
    except inputs.InputError:
        return ""
    return text[:SEARCH_LIMIT].strip()


def filter_id(raw):
    """The id chosen in a filter of the library, or None (nothing chosen,
    or not an id: a filter does not refuse, it is left out)."""
    try:
        ids = inputs.parse_ids(request.env, raw if isinstance(raw, str) else "")
    except inputs.InputError:
        return None
    return next(iter(ids)) if len(ids) == 1 else None


def one_id(env, raw):
    """One record id chosen in a list, or False when none is."""
    ids = inputs.parse_ids(env, raw if raw is not None else "")
    if len(ids) > 1:
        raise inputs.InputError(env._("Choose a value in the list."))
    return next(iter(ids), False)


def proposal_form_values(practice):
    """What the form to propose a sheet shows, as text and lists of ids: a
    new sheet's (empty), or the sheet returned to its organisation."""
    if not practice:
        return {
            "name": "",
            "description": "",
            "theme_id": "",
            "domain_id": "",
            "kind_ids": [],
            "source_named": "0",
            "theme_line": "",
        }
    return {
        "name": practice.name or "",
        "description": html2plaintext(practice.description or "").strip()
        if not is_html_empty(practice.description)
        else "",
        "theme_id": str(practice.theme_id.id or ""),
        "domain_id": str(practice.domain_id.id or ""),
        "kind_ids": [str(i) for i in practice.kind_ids.ids],
        "source_named": "1" if practice.source_named else "0",
    }


def proposal_canonical(key, value):
    """How the form compares values: ticked boxes without the empty value
    posted before them, a tick box as 1 or 0."""
    if key in PROPOSAL_LISTS:
        items = value if isinstance(value, list | tuple) else [value]
        return [str(item).strip() for item in items if str(item).strip()]
    if key == "source_named":
        try:
            return "1" if inputs.parse_checkbox(request.env, value) else "0"
        except inputs.InputError:
            return value
    return value


class EssLibraryPortal(CustomerPortal):
    """The network's good-practice library on the portal: the published
    sheets (search by words, filters by theme, domain of action and kind of
    organisation, suggested reading), a sheet's page and its documents, the
    sheets the member's organisation proposed, and the form to propose one
    (also from the good practices of its guide year) or to change one the
    network returned.

    A member reads the published sheets and its own organisation's (record
    rules, then ``_document_check_access``); ``ess.practice``'s
    ``_portal_propose`` checks everything posted again and writes."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_practice_count" in counters:
            values["ess_practice_count"] = home_count("ess.practice", [("state", "=", "published")])
        return values

    @staticmethod
    def _ess_can_propose():
        user = request.env.user
        return user.share and user.commercial_partner_id.is_company

    # ------------------------------------------------------------------ list
    @http.route(
        ["/my/library", "/my/library/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_library(
        self, page=1, search=None, theme=None, domain=None, kind=None, tab=None, **kwargs
    ):
        env = request.env
        Practice = env["ess.practice"]
        if not Practice.has_access("read"):
            return request.redirect("/my")
        terms = search_text(env, search)
        theme_id, domain_id, kind_id = filter_id(theme), filter_id(domain), filter_id(kind)
        tab = "mine" if tab == "mine" else "all"
        url_args = {
            key: value
            for key, value in {
                "search": terms,
                "theme": theme_id,
                "domain": domain_id,
                "kind": kind_id,
            }.items()
            if value
        }
        library_domain = Practice._portal_library_domain(terms, theme_id, domain_id, kind_id)
        total = Practice.search_count(library_domain)
        pager = portal_pager(
            url="/my/library",
            url_args=url_args,
            total=total,
            page=page,
            step=self._items_per_page,
        )
        # found with the user's rights; read with sudo for the names of
        # themes, domains and kinds (reference data)
        practices = (
            Practice.search(library_domain, limit=self._items_per_page, offset=pager["offset"])
            .sudo()
            ._portal_library_rows()
        )
        filtered = bool(terms or theme_id or domain_id or kind_id)
        organisation = env.user.commercial_partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_library",
            tab=tab,
            practices=practices,
            total=total,
            pager=pager,
            search=terms,
            filters={"theme": theme_id, "domain": domain_id, "kind": kind_id},
            filtered=filtered,
            themes=env["ess.guide.theme"].search([]),
            domains=env["ess.guide.domain"].search([]),
            kinds=env["ess.organisation.kind"].search([]),
            proposals=Practice._portal_organisation_sheets(env.user)
            if organisation.is_company
            else Practice.sudo().browse(),
            suggestions=[] if filtered or page != 1 else self._ess_suggestions(organisation),
            can_propose=self._ess_can_propose(),
            state_labels=dict(Practice._fields["state"]._description_selection(env)),
            result_text=env._("Sheets found: %s", total),
        )
        return request.render("ess_network.portal_my_library", values)

    @staticmethod
    def _ess_suggestions(organisation, limit=3):
        """The published sheets suggested to ``organisation`` (the weakest
        domains of its self-assessment, its progress areas), each with why
        (``ess.practice._suggested_for``), the sheets read with sudo."""
        if not organisation.is_company:
            return []
        suggestions = request.env["ess.practice"]._suggested_for(organisation, limit)
        return [
            dict(suggestion, practice=suggestion["practice"].sudo()) for suggestion in suggestions
        ]

    # ---------------------------------------------------------------- detail
    def _ess_practice_check(self, practice_id):
        """The sheet ``practice_id`` read with sudo when the user may read
        it (published, or its organisation's); else 404 — whether it exists
        is not told."""
        try:
            return self._document_check_access("ess.practice", practice_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error

    @http.route("/my/library/<int:practice_id>", type="http", auth="user", website=True)
    def portal_my_practice(self, practice_id, proposed=None, **kwargs):
        practice_sudo = self._ess_practice_check(practice_id)
        env = request.env
        user = env.user
        own = practice_sudo.partner_id == user.commercial_partner_id and user.share
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_library_detail",
            practice=practice_sudo,
            own=own,
            editable=own and practice_sudo._portal_is_editable_by(user),
            proposed=bool(proposed),
            state_labels=dict(practice_sudo._fields["state"]._description_selection(env)),
            picture_alt=env._("Picture of the sheet “%s”", practice_sudo.name),
            can_add_action=env["ess.action"].has_access("read")
            and user.share
            and user.commercial_partner_id.is_company
            and practice_sudo.state == "published",
            is_html_empty=is_html_empty,
        )
        return request.render("ess_network.portal_my_practice", values)

    @http.route(
        "/my/library/<int:practice_id>/document/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_practice_document(self, practice_id, attachment_id, **kwargs):
        practice_sudo = self._ess_practice_check(practice_id)
        attachment = practice_sudo.attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise NotFound()
        return attachment_download(attachment)

    # --------------------------------------------------------------- propose
    @http.route(
        "/my/library/propose", type="http", auth="user", methods=["GET", "POST"], website=True
    )
    def portal_my_library_propose(self, theme_line=None, **kwargs):
        env = request.env
        if not env["ess.practice"].has_access("read") or not self._ess_can_propose():
            return request.redirect("/my/library")
        Practice = env["ess.practice"].sudo().browse()
        if request.httprequest.method != "POST":
            return self._ess_render_propose(Practice, theme_line=theme_line)
        form = PortalForm(lists=PROPOSAL_LISTS, canonical=proposal_canonical)
        return self._ess_propose(Practice, form)

    @http.route(
        "/my/library/<int:practice_id>/edit",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_my_practice_edit(self, practice_id, **kwargs):
        practice_sudo = self._ess_practice_check(practice_id)
        if not practice_sudo._portal_is_editable_by(request.env.user):
            return request.redirect(practice_sudo.access_url)
        if request.httprequest.method != "POST":
            return self._ess_render_propose(practice_sudo)
        form = PortalForm(lists=PROPOSAL_LISTS, canonical=proposal_canonical)
        return self._ess_propose(practice_sudo, form)

    def _ess_propose(self, practice_sudo, form):
        """Read the posted form and give it to ``_portal_propose``: the
        sheet's page once proposed, else the form again with the errors."""
        vals = self._ess_proposal_vals(practice_sudo, form)
        files = {
            "image": next(iter(uploaded_files(form, PICTURE_FIELD, PRACTICE_MAX_SIZE)), None),
            "documents": uploaded_files(form, DOCUMENTS_FIELD, PRACTICE_MAX_SIZE),
        }
        if not form.errors:
            sheet, errors = practice_sudo._portal_propose(request.env.user, vals, files)
            for key, message in errors.items():
                form.error("theme_line" if key == "guide_year_theme_id" else key, message)
        if form.errors:
            return self._ess_render_propose(practice_sudo, form=form, status=400)
        return request.redirect(f"{sheet.access_url}?proposed=1")

    def _ess_proposal_vals(self, practice_sudo, form):
        """What the member typed for a new sheet (every field), or changed
        on the sheet returned to it since the page was loaded, as typed
        values by field name; errors go to ``form``."""
        env = request.env
        creating = not practice_sudo
        posted = form.values if creating else form.changes(proposal_form_values(practice_sudo))
        if set(posted) - set(PROPOSAL_FORM_FIELDS):
            form.form_error(
                env._(
                    "The form holds values that are not part of it: reload the page and try again."
                )
            )
        vals = {}
        read = functools.partial(form.read_into, vals, posted=posted)
        if "name" in posted or creating:
            read("name", inputs.clean_text, NAME_LIMIT)
        if "description" in posted or creating:
            read("description", inputs.clean_text, TEXT_LIMIT, multiline=True)
            if vals.get("description"):
                vals["description"] = plaintext2html(vals["description"])
        messages = {
            "theme_id": env._("Choose a theme of the guide in the list."),
            "domain_id": env._("Choose a domain of action of the guide in the list."),
        }
        if creating:
            messages["theme_line"] = env._(
                "These good practices are not those of one of your organisation's guide years."
            )
        for key, message in messages.items():
            if key in posted:
                read(key, one_id, message=message)
        if "theme_line" in vals:
            vals["guide_year_theme_id"] = vals.pop("theme_line")
        if "kind_ids" in posted:
            read(
                "kind_ids",
                inputs.parse_ids,
                message=env._("Choose kinds of organisation in the list."),
            )
            if "kind_ids" in vals:
                vals["kind_ids"] = sorted(vals["kind_ids"])
        if "source_named" in posted:
            read("source_named", inputs.parse_checkbox)
        return vals

    def _ess_render_propose(self, practice_sudo, form=None, theme_line=None, status=200):
        """The form to propose a sheet, or to change the sheet returned;
        prefilled from the good practices of a theme of the member's guide
        year (``theme_line``); after a refused post, with the posted values
        and the errors."""
        env = request.env
        Practice = env["ess.practice"]
        current = proposal_form_values(practice_sudo)
        errors = dict(form.errors) if form else {}
        line = env["ess.guide.year.theme"].sudo()
        if theme_line is not None and not practice_sudo:
            line_id = filter_id(theme_line)
            line = Practice._portal_theme_line(env.user, line_id) if line_id else line
            if not line:
                errors["theme_line"] = env._(
                    "These good practices are not those of one of your organisation's guide years."
                )
                status = 400
            else:
                text = (line.good_practices or "").strip()
                # the title: the first line, without its final full stop
                first = text.split("\n", 1)[0].strip().rstrip(".").strip()
                if len(first) > NAME_LIMIT:
                    first = first[: NAME_LIMIT - 1].rsplit(" ", 1)[0] + "…"
                current = dict(
                    current,
                    name=first,
                    description=text,
                    theme_id=str(line.theme_id.id),
                    theme_line=str(line.id),
                )
        shown = {
            key: value.replace("\x00", "") if isinstance(value, str) else value
            for key, value in (form.values if form else {}).items()
        }
        if form and not practice_sudo and shown.get("theme_line"):
            line_id = filter_id(shown["theme_line"])
            line = Practice._portal_theme_line(env.user, line_id) if line_id else line
        themes = env["ess.guide.theme"].search([])
        domains = env["ess.guide.domain"].search([])
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="ess_library_propose",
            practice=practice_sudo,
            theme_line=line,
            form={**current, **shown},
            form_origin=form.origin_field(current)
            if form and practice_sudo
            else origin_field(current, proposal_canonical)
            if practice_sudo
            else "",
            errors=errors,
            themes=themes,
            domain_groups=[
                (theme, domains.filtered(lambda d, theme=theme: d.theme_id == theme))
                for theme in themes
            ],
            kinds=env["ess.organisation.kind"].search([]),
            name_limit=NAME_LIMIT,
            text_limit=TEXT_LIMIT,
            picture_accept=uploads.PICTURE.accept,
            documents_accept=uploads.DOCUMENT.accept,
            files_note=env._(
                "Picture: PNG, JPEG or WebP. Documents: PDF, ODT, DOCX, XLSX or pictures, "
                "%(count)s at most. %(size)s MB per file.",
                count=PRACTICE_MAX_DOCUMENTS,
                size=PRACTICE_MAX_SIZE // uploads.MB,
            ),
            action_url=f"/my/library/{practice_sudo.id}/edit"
            if practice_sudo
            else "/my/library/propose",
        )
        return request.render("ess_network.portal_my_library_propose", values, status=status)
