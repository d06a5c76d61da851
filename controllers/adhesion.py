from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

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


class EssAdhesionController(http.Controller):
    """Public page where a prospective organisation asks to join (no login)."""

    def _render_form(self, post=None, errors=None):
        Membership = request.env["ess.membership"]
        values = {
            "post": {key: post.get(key) for key in FORM_FIELDS if isinstance(post.get(key), str)}
            if post
            else {},
            "errors": errors or {},
            **Membership._public_form_options(),
        }
        return request.render("ess_network.adhesion_form", values)

    @http.route(
        "/adhesion", type="http", auth="public", methods=["GET"], website=True, sitemap=True
    )
    def adhesion_form(self, **kwargs):
        return self._render_form()

    @http.route("/adhesion", type="http", auth="public", methods=["POST"], website=True)
    def adhesion_submit(self, **post):
        Membership = request.env["ess.membership"]
        values, errors = Membership._clean_public_form(post)
        if errors:
            response = self._render_form(post, errors)
            response.status_code = 400
            return response
        try:
            membership = Membership._create_adhesion(values)
        except ValidationError as error:
            response = self._render_form(post, {"form": str(error.args[0])})
            response.status_code = 400
            return response
        return request.render(
            "ess_network.adhesion_thanks", {"organisation": membership.sudo().partner_id.name}
        )
