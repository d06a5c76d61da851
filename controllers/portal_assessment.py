import re

from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request
from odoo.tools import is_html_empty

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.ess_assessment import (
    EVIDENCE_MAX_FILES,
    EVIDENCE_MAX_SIZE,
    EVIDENCE_TYPES,
    PORTAL_COMMENT_LIMIT,
)
from ..models.ess_stakeholder import PORTAL_NAME_LIMIT, PORTAL_TEXT_LIMIT

EVALUATION_REPORT = "ess_network.ess_evaluation_report"
# Form fields posted once per ticked box.
STAKEHOLDER_LISTS = ("dialogue_mode_ids", "contact_ids")


class EssAssessmentPortal(CustomerPortal):
    """A member's self-assessment grids, stakeholder map and
    cross-evaluations on the portal.

    Every page shows only the records of the user's organisation (record
    rules, then ``_document_check_access``); what a member posts is saved by
    the models' ``_portal_*`` methods, which check the organisation again and
    write with sudo only the values they validated."""

    # ----------------------------------------------------------------- helpers
    def _ess_organisation(self):
        return request.env.user.commercial_partner_id

    def _ess_assessment_domain(self):
        return [("partner_id", "=", self._ess_organisation().id), ("kind", "=", "self")]

    def _ess_stakeholder_domain(self):
        return [("partner_id", "=", self._ess_organisation().id)]

    def _ess_evaluation_domain(self):
        organisation = self._ess_organisation().id
        return [
            "|",
            ("partner_id", "=", organisation),
            ("evaluator_partner_id", "=", organisation),
        ]

    def _ess_search_count(self, model, domain):
        Model = request.env[model]
        return Model.search_count(domain) if Model.has_access("read") else 0

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_assessment_count" in counters:
            values["ess_assessment_count"] = self._ess_search_count(
                "ess.assessment", self._ess_assessment_domain()
            )
        if "ess_stakeholder_count" in counters:
            values["ess_stakeholder_count"] = self._ess_search_count(
                "ess.stakeholder", self._ess_stakeholder_domain()
            )
        if "ess_evaluation_count" in counters:
            values["ess_evaluation_count"] = self._ess_search_count(
                "ess.evaluation", self._ess_evaluation_domain()
            )
        return values

    def _ess_form(self, lists=()):
        """The posted form as a dict: for a key posted several times (a
        hidden "0" followed by its checkbox), the last value wins, but for
        the keys of ``lists``, which keep all their values."""
        form = {
            key: values if key in lists else values[-1]
            for key, values in request.httprequest.form.lists()
        }
        form.pop("csrf_token", None)
        return form

    def _ess_files(self):
        """The uploaded files by form field name, each a list of
        ``(filename, content)``; a file is read up to one byte over the size
        limit, enough to tell that it is too large."""
        files = {}
        for key, storages in request.httprequest.files.lists():
            uploaded = [
                (storage.filename, storage.stream.read(EVIDENCE_MAX_SIZE + 1))
                for storage in storages
                if storage.filename
            ]
            if uploaded:
                files[key] = uploaded
        return files

    # ------------------------------------------------------------- assessments
    @http.route(
        ["/my/assessments", "/my/assessments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_assessments(self, page=1, **kwargs):
        Assessment = request.env["ess.assessment"]
        if not Assessment.has_access("read"):
            return request.redirect("/my")
        domain = self._ess_assessment_domain()
        pager = portal_pager(
            url="/my/assessments",
            total=Assessment.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        assessments = Assessment.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_assessments_history"] = assessments.ids[:100]
        year = fields.Date.context_today(Assessment).year
        organisation = self._ess_organisation()
        values = self._prepare_portal_layout_values()
        values.update(
            assessments=assessments,
            pager=pager,
            page_name="ess_assessment",
            default_url="/my/assessments",
            start_text=request.env._(
                "Assess your organisation's practices for %s, question by question: you can "
                "save as you go and come back later.",
                year,
            ),
            start_button=request.env._("Start the self-assessment %s", year),
            can_start=request.env.user.share
            and organisation.is_company
            and not Assessment.search_count([*domain, ("year", "=", year)]),
        )
        return request.render("ess_network.portal_my_assessments", values)

    @http.route("/my/assessments/new", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_assessment_new(self, **kwargs):
        if not request.env["ess.assessment"].has_access("read"):
            return request.redirect("/my")
        try:
            assessment_sudo = request.env["ess.assessment"]._portal_start(request.env.user)
        except AccessError as error:
            raise Forbidden() from error
        return request.redirect(assessment_sudo.access_url)

    @http.route("/my/assessments/<int:assessment_id>", type="http", auth="user", website=True)
    def portal_my_assessment(
        self, assessment_id, access_token=None, saved=None, completed=None, **kwargs
    ):
        try:
            assessment_sudo = self._document_check_access(
                "ess.assessment", assessment_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._ess_render_assessment(
            assessment_sudo, access_token, saved=bool(saved), completed=bool(completed)
        )

    @http.route(
        "/my/assessments/<int:assessment_id>/save",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_assessment_save(self, assessment_id, **kwargs):
        try:
            assessment_sudo = self._document_check_access("ess.assessment", assessment_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        form = self._ess_form()
        try:
            errors = assessment_sudo._portal_save(form, self._ess_files(), request.env.user)
        except AccessError as error:
            raise Forbidden() from error
        if errors:
            return self._ess_render_assessment(
                assessment_sudo, None, form=form, errors=errors, status=400
            )
        return request.redirect(f"{assessment_sudo.access_url}?saved=1")

    @http.route(
        "/my/assessments/<int:assessment_id>/complete",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_assessment_complete(self, assessment_id, **kwargs):
        try:
            assessment_sudo = self._document_check_access("ess.assessment", assessment_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            errors = assessment_sudo._portal_complete(request.env.user)
        except AccessError as error:
            raise Forbidden() from error
        if errors:
            return self._ess_render_assessment(assessment_sudo, None, errors=errors, status=400)
        return request.redirect(f"{assessment_sudo.access_url}?completed=1")

    @http.route(
        "/my/assessments/<int:assessment_id>/action/<int:score_id>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_assessment_action(self, assessment_id, score_id, **kwargs):
        try:
            assessment_sudo = self._document_check_access("ess.assessment", assessment_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            action_sudo, errors = assessment_sudo._portal_create_action(score_id, request.env.user)
        except AccessError as error:
            raise Forbidden() from error
        if errors:
            return self._ess_render_assessment(assessment_sudo, None, errors=errors, status=400)
        return request.redirect(action_sudo.access_url)

    @http.route(
        "/my/assessments/<int:assessment_id>/evidence/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_assessment_evidence(self, assessment_id, attachment_id, **kwargs):
        # no access token here: only the organisation's users (and the
        # network's staff) read its evidence
        try:
            assessment_sudo = self._document_check_access("ess.assessment", assessment_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # only a file linked to an answer of this very assessment
        attachment_sudo = assessment_sudo._portal_evidence_attachment(attachment_id)
        if not attachment_sudo:
            raise NotFound()
        stream = request.env["ir.binary"]._get_stream_from(attachment_sudo)
        return stream.get_response(as_attachment=True)

    def _ess_render_assessment(
        self,
        assessment_sudo,
        access_token,
        form=None,
        errors=None,
        saved=False,
        completed=False,
        status=200,
    ):
        """The grid page; after a refused post, with the posted values and
        the errors."""
        env = request.env
        form_values = assessment_sudo._portal_form_values()
        form_values.update(form or {})
        editable = assessment_sudo._portal_is_editable_by(env.user)
        levels = env["ess.maturity.level"].sudo().search([])
        counts = {
            "answered": assessment_sudo.answered_count,
            "total": assessment_sudo.question_count,
        }
        values = {
            "assessment": assessment_sudo,
            "page_name": "ess_assessment_detail",
            "sections": assessment_sudo._portal_grid(),
            "levels": levels,
            "level_help": {str(level.id): level.description or "" for level in levels},
            "evidence": assessment_sudo._portal_evidence(),
            "editable": editable,
            "form": form_values,
            "errors": errors or {},
            "saved": saved,
            "completed": completed,
            "progress_areas": assessment_sudo.progress_area_ids,
            "actions_by_domain": assessment_sudo._portal_actions_by_domain(),
            "scores_chart": assessment_sudo._scores_svg(),
            "benchmark": assessment_sudo._benchmark_html(),
            "comment_limit": PORTAL_COMMENT_LIMIT,
            "answered_text": env._("%(answered)s of %(total)s questions answered", **counts),
            "complete_text": env._(
                "%(answered)s of %(total)s questions are answered. Save your last changes "
                "first: once completed, the grid is read-only and only the network can reopen it.",
                **counts,
            ),
            "evidence_note": env._(
                "Evidence files: PDF, images, office documents or text, %(size)s MB each, "
                "%(count)s files per question at most. Choose a level, or tick “Not applicable” "
                "when the question does not concern your organisation.",
                size=EVIDENCE_MAX_SIZE // (1024 * 1024),
                count=EVIDENCE_MAX_FILES,
            ),
            "evidence_accept": ",".join(sorted(EVIDENCE_TYPES)),
            # the chatter posts with the token: members read the grid but
            # have no write access to it
            "token": assessment_sudo._portal_ensure_token(),
        }
        values = self._get_page_view_values(
            assessment_sudo, access_token, values, "my_assessments_history", False
        )
        return request.render("ess_network.portal_my_assessment", values, status=status)

    # ------------------------------------------------------------ stakeholders
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
        form = self._ess_form(lists=STAKEHOLDER_LISTS)
        stakeholder_id = str(form.pop("stakeholder_id", "") or "").strip()
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
        try:
            saved_sudo, errors = stakeholder_sudo._portal_save(form, request.env.user)
        except AccessError as error:
            raise Forbidden() from error
        if errors:
            if stakeholder_sudo:
                return self._ess_render_stakeholder(
                    stakeholder_sudo, form=form, errors=errors, status=400
                )
            return self._ess_render_stakeholders(form=form, errors=errors, status=400)
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
        try:
            stakeholder_sudo._portal_archive(request.env.user)
        except AccessError as error:
            raise Forbidden() from error
        return request.redirect("/my/stakeholders?archived=1")

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
            "contacts": Stakeholder._portal_contacts(self._ess_organisation()),
            "scale": [
                ("1", env._("1 – Very low")),
                ("2", env._("2 – Low")),
                ("3", env._("3 – Medium")),
                ("4", env._("4 – High")),
                ("5", env._("5 – Very high")),
            ],
            "name_limit": PORTAL_NAME_LIMIT,
            "text_limit": PORTAL_TEXT_LIMIT,
        }

    def _ess_render_stakeholders(
        self, form=None, errors=None, saved=False, archived=False, status=200
    ):
        """The stakeholder map; after a refused new stakeholder, with the
        posted values and the errors in the form to add one."""
        Stakeholder = request.env["ess.stakeholder"]
        # found with the user's rights; read with sudo for the names of the
        # dialogue modes and contacts
        stakeholders = Stakeholder.search(self._ess_stakeholder_domain()).sudo()
        form_values = Stakeholder._portal_form_values()
        form_values.update(form or {})
        values = self._prepare_portal_layout_values()
        values.update(
            self._ess_stakeholder_options(),
            stakeholders=stakeholders,
            matrix=Stakeholder._matrix_svg(stakeholders),
            page_name="ess_stakeholder",
            form=form_values,
            errors=errors or {},
            saved=saved,
            archived=archived,
            can_edit=request.env.user.share and self._ess_organisation().is_company,
        )
        return request.render("ess_network.portal_my_stakeholders", values, status=status)

    def _ess_render_stakeholder(self, stakeholder_sudo, form=None, errors=None, status=200):
        """The page of one stakeholder, with the form to change it."""
        form_values = stakeholder_sudo._portal_form_values()
        form_values.update(form or {})
        values = self._prepare_portal_layout_values()
        values.update(
            self._ess_stakeholder_options(),
            stakeholder=stakeholder_sudo,
            page_name="ess_stakeholder_detail",
            form=form_values,
            errors=errors or {},
            editable=stakeholder_sudo.active
            and stakeholder_sudo.partner_id == self._ess_organisation(),
            archive_text=request.env._(
                "%s leaves your stakeholder map. The network keeps its history and can bring it "
                "back.",
                stakeholder_sudo.name,
            ),
        )
        return request.render("ess_network.portal_my_stakeholder", values, status=status)

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
            organisation=self._ess_organisation(),
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
            "organisation": self._ess_organisation(),
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
        content, report_format = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(EVALUATION_REPORT, evaluation_sudo.ids)
        )
        if report_format != "pdf":  # tests render reports as HTML
            return request.make_response(
                content, headers=[("Content-Type", "text/html; charset=utf-8")]
            )
        filename = re.sub(r"[^\w\- ]+", "_", evaluation_sudo.name).strip()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(f"{filename}.pdf")),
            ],
        )
