from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request
from odoo.tools import is_html_empty

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.ess_guide_year import PORTAL_LINE_TEXT_LIMIT, PORTAL_THEME_TEXTS

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EssGuidePortal(CustomerPortal):
    """A member's guide of good practices and action plan on the portal.

    Every page shows only the records of the user's organisation (record
    rules, then ``_document_check_access``); what a member posts is saved by
    the models' ``_portal_*`` methods, which check the organisation again."""

    # ----------------------------------------------------------------- helpers
    def _ess_organisation_domain(self):
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _ess_count(self, model):
        Model = request.env[model]
        if not Model.has_access("read"):
            return 0
        return Model.search_count(self._ess_organisation_domain())

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_guide_year_count" in counters:
            values["ess_guide_year_count"] = self._ess_count("ess.guide.year")
        if "ess_action_count" in counters:
            values["ess_action_count"] = self._ess_count("ess.action")
        return values

    def _ess_posted_form(self):
        """The posted form as a dict; for a key posted several times (a
        hidden "0" followed by its checkbox), the last value wins."""
        form = {key: values[-1] for key, values in request.httprequest.form.lists()}
        form.pop("csrf_token", None)
        return form

    # ------------------------------------------------------------------ guides
    @http.route(
        ["/my/guide", "/my/guide/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_guides(self, page=1, **kwargs):
        Guide = request.env["ess.guide.year"]
        if not Guide.has_access("read"):
            return request.redirect("/my")
        domain = self._ess_organisation_domain()
        pager = portal_pager(
            url="/my/guide",
            total=Guide.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        guides = Guide.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_guides_history"] = guides.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            guides=guides,
            pager=pager,
            page_name="ess_guide",
            default_url="/my/guide",
        )
        return request.render("ess_network.portal_my_guides", values)

    @http.route("/my/guide/<int:guide_id>", type="http", auth="user", website=True)
    def portal_my_guide(self, guide_id, access_token=None, saved=None, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._ess_render_guide(guide_sudo, access_token, saved=bool(saved))

    @http.route(
        "/my/guide/<int:guide_id>/save",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_guide_save(self, guide_id, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        form = self._ess_posted_form()
        try:
            errors = guide_sudo._portal_save(form, request.env.user)
        except AccessError as error:
            raise Forbidden() from error
        if errors:
            return self._ess_render_guide(guide_sudo, None, form=form, errors=errors, status=400)
        return request.redirect(f"{guide_sudo.access_url}?saved=1")

    @http.route("/my/guide/<int:guide_id>/xlsx", type="http", auth="user", website=True)
    def portal_my_guide_xlsx(self, guide_id, access_token=None, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        content, filename = guide_sudo._ess_render_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    def _ess_render_guide(
        self, guide_sudo, access_token, form=None, errors=None, saved=False, status=200
    ):
        """The guide page; after a refused post, with the posted values and
        the errors."""
        env = request.env
        form_values = guide_sudo._portal_form_values()
        form_values.update(form or {})
        Line = env["ess.guide.year.line"]
        values = {
            "guide": guide_sudo,
            "page_name": "ess_guide_detail",
            "sections": guide_sudo._portal_sections(),
            "editable": guide_sudo._portal_is_editable_by(env.user),
            "form": form_values,
            "errors": errors or {},
            "saved": saved,
            "state_labels": dict(guide_sudo._fields["state"]._description_selection(env)),
            "decision_labels": dict(
                env["ess.guide.year.theme"]._fields["decision"]._description_selection(env)
            ),
            "achievement_options": [
                ("", ""),
                *Line._fields["achievement_1y"]._description_selection(env),
            ],
            "decimal_point": env["res.lang"]._get_data(code=env.lang).decimal_point or ".",
            "theme_text_limits": PORTAL_THEME_TEXTS,
            "line_text_limit": PORTAL_LINE_TEXT_LIMIT,
            # the chatter posts with the token: members read the guide but
            # have no write access to it
            "token": guide_sudo._portal_ensure_token(),
        }
        values = self._get_page_view_values(
            guide_sudo, access_token, values, "my_guides_history", False
        )
        return request.render("ess_network.portal_my_guide", values, status=status)

    # ----------------------------------------------------------------- actions
    def _ess_action_searchbar(self):
        sortings = {
            "deadline": {
                "label": request.env._("Deadline"),
                "order": "date_deadline asc nulls last, id desc",
            },
            "name": {"label": request.env._("Action"), "order": "name, id"},
            "state": {
                "label": request.env._("Status"),
                "order": "state, date_deadline asc nulls last",
            },
        }
        filters = {
            "open": {
                "label": request.env._("To carry out"),
                "domain": [("state", "in", ("todo", "in_progress"))],
            },
            "all": {"label": request.env._("All"), "domain": []},
        }
        return sortings, filters

    @http.route(
        ["/my/actions", "/my/actions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_actions(self, page=1, sortby=None, filterby=None, **kwargs):
        Action = request.env["ess.action"]
        if not Action.has_access("read"):
            return request.redirect("/my")
        sortings, filters = self._ess_action_searchbar()
        sortby = sortby if sortby in sortings else "deadline"
        filterby = filterby if filterby in filters else "open"
        domain = self._ess_organisation_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/actions",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Action.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        actions = Action.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_actions_history"] = actions.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            # found with the user's rights; read with sudo for the names of
            # pilots and themes
            actions=actions.sudo(),
            pager=pager,
            page_name="ess_action",
            default_url="/my/actions",
            searchbar_sortings=sortings,
            searchbar_filters=filters,
            sortby=sortby,
            filterby=filterby,
            state_labels=dict(Action._fields["state"]._description_selection(request.env)),
        )
        return request.render("ess_network.portal_my_actions", values)

    @http.route("/my/actions/<int:action_id>", type="http", auth="user", website=True)
    def portal_my_action(self, action_id, access_token=None, saved=None, **kwargs):
        try:
            action_sudo = self._document_check_access("ess.action", action_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._ess_render_action(action_sudo, access_token, saved=bool(saved))

    @http.route(
        "/my/actions/<int:action_id>/progress",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_action_progress(
        self, action_id, progress=None, state=None, comment=None, **kwargs
    ):
        try:
            action_sudo = self._document_check_access("ess.action", action_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            errors = action_sudo._portal_update_progress(
                progress or "", state or "", comment or "", request.env.user
            )
        except AccessError as error:
            raise Forbidden() from error
        if errors:
            form = {"progress": progress or "", "state": state or "", "comment": comment or ""}
            return self._ess_render_action(action_sudo, None, form=form, errors=errors, status=400)
        return request.redirect(f"{action_sudo.access_url}?saved=1")

    def _ess_render_action(
        self, action_sudo, access_token, form=None, errors=None, saved=False, status=200
    ):
        env = request.env
        values = {
            "action": action_sudo,
            "page_name": "ess_action_detail",
            "editable": action_sudo._portal_is_editable_by(env.user),
            "form": form
            or {"progress": str(action_sudo.progress), "state": action_sudo.state, "comment": ""},
            "errors": errors or {},
            "saved": saved,
            "state_labels": env["ess.action"]._fields["state"]._description_selection(env),
            "is_html_empty": is_html_empty,
            "token": action_sudo._portal_ensure_token(),
        }
        values = self._get_page_view_values(
            action_sudo, access_token, values, "my_actions_history", False
        )
        return request.render("ess_network.portal_my_action", values, status=status)
