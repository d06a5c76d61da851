from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from .portal_guide import EssGuidePortal

AG_REPORT = "ess_network.ess_guide_year_ag_report"


class EssGuideYearAgPortal(EssGuidePortal):
    """The general assembly report of a member's guide year, downloaded
    from its portal page by the organisation's own users."""

    @http.route("/my/guide/<int:guide_id>/ag-report", type="http", auth="user", website=True)
    def portal_my_guide_ag_report(self, guide_id, **kwargs):
        # no access token: the report is the organisation's, for its users
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # rendered with sudo, after the access check: the report reads the
        # organisation's stakeholders, self-assessment and cross-evaluation
        content, _kind = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(guide_sudo.company_id)
            ._render_qweb_pdf(AG_REPORT, guide_sudo.ids, data={"report_type": "pdf"})
        )
        if not content.startswith(b"%PDF-"):
            # tests render PDF reports as HTML
            return request.make_response(
                content, headers=[("Content-Type", "text/html; charset=utf-8")]
            )
        filename = guide_sudo.with_env(request.env)._ess_ag_report_filename()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(f"{filename}.pdf")),
            ],
        )
