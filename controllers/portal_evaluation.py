import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import is_html_empty

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import inputs
from .form import PortalForm, home_count, origin_field
from .portal_assessment import (
    COMMENT_LIMIT,
    answer_linked,
    assessment_canonical,
    assessment_form_values,
    read_grid,
)

EVALUATION_REPORT = "ess_network.ess_evaluation_report"
# The evaluation's form, beside the peer grid's fields (see portal_assessment):
# ``point_<id>_name``, ``_description``, ``_domain``, ``_remove`` for each
# point, ``new_<kind>_name``, ``_description``, ``_domain`` for a point to add
# of each kind, and ``summary``, the conclusion.
POINT_KEY = re.compile(r"^point_(\d{1,18})_(name|description|domain|remove)$")
NEW_POINT_KEY = re.compile(r"^new_(strong|improvement)_(name|description|domain)$")
POINT_KINDS = ("strong", "improvement")
POINT_NAME_LIMIT = 200
SUMMARY_LIMIT = 10000


def evaluation_form_values(evaluation_sudo):
    """What the evaluation's form shows in each of its fields, as text: the
    peer grid's answers, the points, an empty point to add of each kind, the
    conclusion."""
    values = assessment_form_values(evaluation_sudo.assessment_id)
    for point in evaluation_sudo.point_ids:
        key = f"point_{point.id}_"
        values[f"{key}name"] = point.name or ""
        values[f"{key}description"] = point.description or ""
        values[f"{key}domain"] = str(point.domain_id.id) if point.domain_id else ""
        values[f"{key}remove"] = "0"
    for kind in POINT_KINDS:
        for name in ("name", "description", "domain"):
            values[f"new_{kind}_{name}"] = ""
    values["summary"] = evaluation_sudo._portal_summary_text()
    return values


def evaluation_canonical(key, value):
    """How the evaluation's form compares values: a tick box as 1 or 0."""
    if key.endswith("_remove"):
        key = key.removesuffix("_remove") + "_na"
    return assessment_canonical(key, value)


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
            values["ess_evaluation_count"] = home_count(
                "ess.evaluation", self._ess_evaluation_domain()
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
    def portal_my_evaluation(self, evaluation_id, access_token=None, saved=None, **kwargs):
        try:
            evaluation_sudo = self._document_check_access(
                "ess.evaluation", evaluation_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._ess_render_evaluation(evaluation_sudo, access_token, saved=bool(saved))

    @http.route(
        "/my/evaluations/<int:evaluation_id>/save",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_evaluation_save(self, evaluation_id, **kwargs):
        """What an evaluator saves: the peer grid, the points, the
        conclusion; all of it or, when anything is refused, nothing."""
        try:
            evaluation_sudo = self._document_check_access("ess.evaluation", evaluation_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        env = request.env
        if not evaluation_sudo._portal_is_editable_by(env.user):
            form = PortalForm()
            if evaluation_sudo._portal_is_evaluator(env.user):
                form.form_error(evaluation_sudo._portal_closed_message())
                return self._ess_render_evaluation(evaluation_sudo, None, form=form, status=400)
            form.form_error(
                env._("Only the evaluators named by the network fill in this evaluation.")
            )
            return self._ess_render_evaluation(evaluation_sudo, None, form=form, status=403)
        levels = env["ess.maturity.level"].sudo().search([])
        form = PortalForm(
            canonical=evaluation_canonical,
            labels={
                "_level": {str(level.id): level.name for level in levels},
                "_na": None,
                "_remove": None,
                "_domain": {
                    str(domain.id): domain.display_name
                    for domain in self._ess_point_domains(evaluation_sudo)
                },
            },
        )
        posted = form.changes(evaluation_form_values(evaluation_sudo), linked=answer_linked)
        answers, evidence_removals = read_grid(evaluation_sudo.assessment_id, form, posted)
        if evidence_removals:  # a peer grid has no evidence files
            form.form_error(self._ess_unknown_evaluation_field())
        points, new_points, removed = self._ess_point_changes(evaluation_sudo, form, posted)
        summary = None
        if "summary" in posted:
            summary = form.typed(
                "summary",
                lambda env, raw: inputs.clean_text(env, raw, SUMMARY_LIMIT, multiline=True),
            )
        if not form.errors:
            errors = evaluation_sudo._portal_save(
                env.user, answers, points, new_points, removed, summary
            )
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_evaluation(evaluation_sudo, None, form=form, status=400)
        return request.redirect(f"{evaluation_sudo.access_url}?saved=1")

    @staticmethod
    def _ess_unknown_evaluation_field():
        return request.env._(
            "The form holds values that are not part of this evaluation: reload the page and "
            "try again."
        )

    @staticmethod
    def _ess_point_domains(evaluation_sudo):
        """The domains of action a point may be about: the network's, and
        those the points are already about."""
        Domain = request.env["ess.guide.domain"].sudo()
        return (
            Domain._network_search(evaluation_sudo.company_id) | evaluation_sudo.point_ids.domain_id
        )

    def _ess_point_changes(self, evaluation_sudo, form, posted):
        """The points the evaluator changed, added and removed among the
        values ``posted``, as typed values; errors go to ``form``.

        :return: ``(points, new_points, removed)``: values by point, a list
            of values of the points to add, the points to remove
        """
        env = request.env
        existing = {point.id: point for point in evaluation_sudo.point_ids}
        domain_keys = [str(domain.id) for domain in self._ess_point_domains(evaluation_sudo)]
        points, new = {}, {}
        removed = env["ess.evaluation.point"].sudo()
        for key, raw in posted.items():
            match, new_match = POINT_KEY.match(key), NEW_POINT_KEY.match(key)
            if match:
                point = existing.get(int(match.group(1)))
                if not point:
                    form.form_error(self._ess_unknown_evaluation_field())
                    continue
                vals, name = points.setdefault(point, {}), match.group(2)
            elif new_match:
                kind = new_match.group(1)
                vals, name = new.setdefault(kind, {"kind": kind}), new_match.group(2)
            else:
                continue
            try:
                if name == "remove":
                    if inputs.parse_checkbox(env, raw):
                        removed |= point
                elif name == "name":
                    vals["name"] = inputs.clean_text(
                        env,
                        raw,
                        POINT_NAME_LIMIT,
                        required=bool(match),
                        label=env._("The title of the point"),
                    )
                elif name == "description":
                    vals["description"] = inputs.clean_text(env, raw, COMMENT_LIMIT, multiline=True)
                else:
                    domain = inputs.parse_choice(env, raw, domain_keys)
                    vals["domain_id"] = int(domain) if domain else False
            except inputs.InputError as error:
                form.error(key, error.args[0])
        new_points = []
        for kind, vals in new.items():
            if vals.get("name"):
                new_points.append(vals)
            elif vals.get("description") or vals.get("domain_id"):
                form.error(f"new_{kind}_name", env._("Give the point its title."))
        points = {point: vals for point, vals in points.items() if vals and point not in removed}
        return points, new_points, removed

    def _ess_render_evaluation(
        self, evaluation_sudo, access_token, form=None, saved=False, status=200
    ):
        """The evaluation's page: what the user's organisation may read of
        it; for its evaluators, until it is completed, the form to fill it
        in; after a refused post, with the posted values and the errors."""
        env = request.env
        user = env.user
        shown = evaluation_sudo._results_shown_to(user)
        editable = shown and evaluation_sudo._portal_is_editable_by(user)
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
            "has_report": bool(env.ref(EVALUATION_REPORT, raise_if_not_found=False)),
            "is_html_empty": is_html_empty,
            "shown": shown,
            "editable": editable,
            "saved": saved,
            "errors": form.errors if form else {},
        }
        if shown:
            values["points_text"] = env._(
                "%(strong)s strong points, %(improvement)s improvement points",
                strong=len(evaluation_sudo.strong_point_ids),
                improvement=len(evaluation_sudo.improvement_point_ids),
            )
            values.update(self._ess_evaluation_grid_values(evaluation_sudo, form, editable))
        values = self._get_page_view_values(
            evaluation_sudo, access_token, values, "my_evaluations_history", False
        )
        return request.render("ess_network.portal_my_evaluation", values, status=status)

    def _ess_evaluation_grid_values(self, evaluation_sudo, form, editable):
        """What the peer grid's templates (shared with the self-assessment)
        and the form of the points and the conclusion need."""
        env = request.env
        grid = evaluation_sudo.assessment_id
        levels = env["ess.maturity.level"].sudo().search([])
        current = evaluation_form_values(evaluation_sudo)
        values = {
            "assessment": grid,
            "sections": grid._portal_grid(),
            "levels": levels,
            "level_help": {str(level.id): level.description or "" for level in levels},
            "evidence": {},
            "no_evidence": True,
            "comment_limit": COMMENT_LIMIT,
            "form": {**current, **(form.values if form and editable else {})},
        }
        if editable:
            domains = self._ess_point_domains(evaluation_sudo)
            values.update(
                form_origin=form.origin_field(current)
                if form
                else origin_field(current, evaluation_canonical),
                domain_groups=[
                    (theme, domains.filtered(lambda d, t=theme: d.theme_id == t))
                    for theme in domains.theme_id.sorted()
                ],
                point_kinds=[
                    ("strong", env._("Strong points"), evaluation_sudo.strong_point_ids),
                    (
                        "improvement",
                        env._("Improvement points"),
                        evaluation_sudo.improvement_point_ids,
                    ),
                ],
                point_name_limit=POINT_NAME_LIMIT,
                summary_limit=SUMMARY_LIMIT,
                answered_text=env._(
                    "%(answered)s of %(total)s questions answered",
                    answered=grid.answered_count,
                    total=grid.question_count,
                ),
            )
        return values

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
        if not evaluation_sudo._results_shown_to(request.env.user):
            # the evaluated organisation reads the report once completed
            return request.redirect(evaluation_sudo.access_url)
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
