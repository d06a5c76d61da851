from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .form import home_count


class EssNetworkPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_membership_count" in counters:
            values["ess_membership_count"] = home_count("ess.membership", [])
        return values

    @http.route(
        ["/my/membership", "/my/membership/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_memberships(self, page=1, **kwargs):
        Membership = request.env["ess.membership"]
        if not Membership.has_access("read"):
            return request.redirect("/my")
        domain = []
        count = Membership.search_count(domain)
        pager = portal_pager(
            url="/my/membership", total=count, page=page, step=self._items_per_page
        )
        memberships = Membership.search(domain, limit=self._items_per_page, offset=pager["offset"])
        # the previous and next files of a file's page
        request.session["my_memberships_history"] = memberships.ids[:100]
        if count == 1 and page == 1:
            return request.redirect(memberships.access_url)
        values = self._prepare_portal_layout_values()
        values.update(
            memberships=memberships,
            pager=pager,
            page_name="ess_membership",
            default_url="/my/membership",
        )
        return request.render("ess_network.portal_my_memberships", values)

    @http.route("/my/membership/<int:membership_id>", type="http", auth="user", website=True)
    def portal_my_membership(self, membership_id, access_token=None, **kwargs):
        try:
            membership_sudo = self._document_check_access(
                "ess.membership", membership_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            membership_sudo,
            access_token,
            {"membership": membership_sudo, "page_name": "ess_membership_detail"},
            "my_memberships_history",
            False,
            **kwargs,
        )
        return request.render("ess_network.portal_my_membership", values)
