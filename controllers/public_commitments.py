"""The public page of an organisation's commitments for a guide year, at
an address only its organisation gives out (``/engagements/<token>``, no
login), and, on the member's portal page of the guide year, the card that
publishes it, shows its address and QR code and downloads the public
synthesis (PDF)."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from ..tools import inputs
from .form import FORM_ERROR, PortalForm, origin_field
from .portal_guide_year import EssGuideYearPortal

PUBLIC_SYNTHESIS_REPORT = "ess_network.ess_guide_year_public_report"
PUBLICATION_FIELDS = ("opt_in", "names", "published")
# What the guide page says once the publication form is done, or why the
# synthesis could not be downloaded: ``[guide id, message kind]``.
PUBLICATION_DONE_KEY = "ess_guide_year_publication"


def publication_form_values(guide):
    """What the publication form shows in each of its fields."""
    organisation = guide.partner_id
    return {
        "opt_in": "1" if organisation.ess_public_opt_in else "0",
        "names": "1" if organisation.ess_public_names else "0",
        "published": "1" if guide.public_published else "0",
    }


class EssPublicCommitments(http.Controller):
    """The public page: the commitments of a published guide year."""

    @http.route(
        "/engagements/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def public_commitments(self, token, **kwargs):
        guide = request.env["ess.guide.year"]._public_find(token)
        if not guide:
            # as any unknown address: nothing tells that the organisation exists
            raise NotFound()
        guide = guide.with_context(lang=guide.partner_id.lang or request.env.lang)
        values = {
            "guide": guide,
            "organisation": guide.partner_id,
            "sections": guide._public_sections(),
            "pilots": guide._public_pilots(),
        }
        response = request.render("ess_network.public_commitments_page", values)
        # an address that is not to be indexed nor kept by shared caches
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


class EssGuideYearPublicationPortal(EssGuideYearPortal):
    """On a member's guide year page: publish or unpublish its commitments,
    see their public address and QR code, download the public synthesis."""

    @http.route(
        "/my/guide/<int:guide_id>/publication",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_guide_publication(self, guide_id, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        env = request.env
        form = PortalForm(labels={"opt_in": None, "names": None, "published": None})
        current = publication_form_values(guide_sudo)
        vals = {}
        for key, raw in form.changes(current).items():
            if key not in PUBLICATION_FIELDS or not isinstance(raw, str):
                form.form_error(
                    env._(
                        "The form holds values that are not part of this guide: reload the page "
                        "and try again."
                    )
                )
                continue
            form.read_into(vals, key, inputs.parse_checkbox, posted={key: raw})
        if not form.errors:
            for key, message in guide_sudo._portal_publication(env.user, vals).items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_guide(guide_sudo, None, status=400, publication_form=form)
        request.session[PUBLICATION_DONE_KEY] = [guide_sudo.id, "saved"]
        return request.redirect(f"{guide_sudo.access_url}#o_ess_guide_publication")

    @http.route("/my/guide/<int:guide_id>/public-synthesis", type="http", auth="user", website=True)
    def portal_my_guide_public_synthesis(self, guide_id, access_token=None, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not guide_sudo._public_is_visible():
            request.session[PUBLICATION_DONE_KEY] = [guide_sudo.id, "not_published"]
            return request.redirect(f"{guide_sudo.access_url}#o_ess_guide_publication")
        Report = request.env["ir.actions.report"].sudo().with_company(guide_sudo.company_id)
        pdf = Report._render_qweb_pdf(
            PUBLIC_SYNTHESIS_REPORT, guide_sudo.ids, data={"report_type": "pdf"}
        )[0]
        filename = guide_sudo.with_user(request.env.user)._ess_public_synthesis_filename()
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(f"{filename}.pdf")),
            ],
        )

    def _ess_render_guide(
        self, guide_sudo, access_token, form=None, saved=False, status=200, **extra
    ):
        publication = extra.pop("publication_form", None)
        current = publication_form_values(guide_sudo)
        done = request.session.pop(PUBLICATION_DONE_KEY, None) if status == 200 else None
        if done and done[0] != guide_sudo.id:
            done = None
        errors = publication.errors if publication else {}
        extra = {
            "publication": {**current, **(publication.values if publication else {})},
            "publication_origin": publication.origin_field(current)
            if publication
            else origin_field(current),
            "publication_errors": errors,
            "publication_saved": bool(done) and done[1] == "saved",
            "publication_not_published": bool(done) and done[1] == "not_published",
            "publication_editable": guide_sudo._portal_organisation()
            == request.env.user.commercial_partner_id,
            "publication_qr": guide_sudo._public_qr_data_uri()
            if guide_sudo._public_is_visible()
            else False,
            "publication_form_error": errors.get(FORM_ERROR),
            **extra,
        }
        return super()._ess_render_guide(
            guide_sudo, access_token, form=form, saved=saved, status=status, **extra
        )
