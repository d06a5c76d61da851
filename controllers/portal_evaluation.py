from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import is_html_empty

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

EVALUATION_REPORT = "ess_network.ess_evaluation_report"


class EssEvaluationPortal(CustomerPortal):
    """The cross-evaluations of a member organisation on the portal: those
    it receives and those it conducts at a peer.

    Every page shows only the evaluations of the user's organisation (record
    rules, then ``_document_check_access``)."""

    # ----------------------------------------------------------------- helpers
    def _ess_evaluation_organisation(self):
        return request.env.user.commercial_partner_id

    def _ess_evaluation_domain(self):
        organisation = self._ess_evaluation_organisation().id
        return [
            "|",
            ("partner_id", "=", organisation),
            ("evaluator_partner_id", "=", organisation),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_evaluation_count" in counters:
            Evaluation = request.env["ess.evaluation"]
            values["ess_evaluation_count"] = (
                Evaluation.search_count(self._ess_evaluation_domain())
                if Evaluation.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------- evaluations
    @http.route(
        ["/my/evaluations", "/my/evaluations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_evaluations(self, page=1, **kwargs):
        Evaluation = request.env["ess.evaluation"]
        if not Evaluation.has_access("read"):
            return request.redirect("/my")
        domain = self._ess_evaluation_domain()
        pager = portal_pager(
            url="/my/evaluations",
            total=Evaluation.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        evaluations = Evaluation.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_evaluations_history"] = evaluations.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            # found with the user's rights; read with sudo for the scores of
            # the grids
            evaluations=evaluations.sudo(),
            organisation=self._ess_evaluation_organisation(),
            pager=pager,
            page_name="ess_evaluation",
            default_url="/my/evaluations",
        )
        return request.render("ess_network.portal_my_evaluations", values)

    @http.route("/my/evaluations/<int:evaluation_id>", type="http", auth="user", website=True)
    def portal_my_evaluation(self, evaluation_id, access_token=None, **kwargs):
        try:
            evaluation_sudo = self._document_check_access(
                "ess.evaluation", evaluation_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        env = request.env
        values = {
            "evaluation": evaluation_sudo,
            "organisation": self._ess_evaluation_organisation(),
            "page_name": "ess_evaluation_detail",
            "title": env._("Cross-evaluation %s", evaluation_sudo.year),
            "subtitle": env._(
                "%(evaluated)s evaluated by %(evaluator)s",
                evaluated=evaluation_sudo.partner_id.name,
                evaluator=evaluation_sudo.evaluator_partner_id.name,
            ),
            "points_text": env._(
                "%(strong)s strong points, %(improvement)s improvement points",
                strong=len(evaluation_sudo.strong_point_ids),
                improvement=len(evaluation_sudo.improvement_point_ids),
            ),
            "has_report": bool(env.ref(EVALUATION_REPORT, raise_if_not_found=False)),
            "is_html_empty": is_html_empty,
        }
        values = self._get_page_view_values(
            evaluation_sudo, access_token, values, "my_evaluations_history", False
        )
        return request.render("ess_network.portal_my_evaluation", values)

    @http.route(
        "/my/evaluations/<int:evaluation_id>/report", type="http", auth="user", website=True
    )
    def portal_my_evaluation_report(self, evaluation_id, access_token=None, **kwargs):
        try:
            evaluation_sudo = self._document_check_access(
                "ess.evaluation", evaluation_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not request.env.ref(EVALUATION_REPORT, raise_if_not_found=False):
            raise NotFound()
        # rendered with sudo, after the access check: the report reads the
        # grids, points and scores of both organisations
        return self._show_report(evaluation_sudo, "pdf", EVALUATION_REPORT, download=True)

    def _get_http_headers(self, model, report_type, report, download):
        headers = super()._get_http_headers(model, report_type, report, download)
        if model._name == "ess.evaluation" and not report.startswith(b"%PDF-"):
            # tests render PDF reports as HTML
            headers["Content-Type"] = "text/html; charset=utf-8"
            headers.pop("Content-Disposition", None)
        return headers
