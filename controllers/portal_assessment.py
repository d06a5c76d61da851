import re

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.ess_assessment_portal import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_FILES,
    EVIDENCE_MAX_SIZE,
)
from ..tools import inputs
from .form import (
    FORM_ERROR,
    PortalForm,
    attachment_download,
    home_count,
    origin_field,
    upload_filename,
)

# The grid's form: ``answer_<id>_level``, ``answer_<id>_na``,
# ``answer_<id>_comment``, ``answer_<id>_remove_<attachment id>`` (a file to
# remove), and the files of ``answer_<id>_evidence``.
ANSWER_KEY = re.compile(r"^answer_(\d{1,18})_(level|na|comment|remove_(\d{1,18}))$")
EVIDENCE_KEY = re.compile(r"^answer_(\d{1,18})_evidence$")
COMMENT_LIMIT = 2000


def assessment_form_values(assessment):
    """What the grid's form shows in each of its fields, as text."""
    values = {}
    for answer in assessment.answer_ids:
        key = f"answer_{answer.id}_"
        values[f"{key}level"] = str(answer.level_id.id) if answer.level_id else ""
        values[f"{key}na"] = "1" if answer.not_applicable else "0"
        values[f"{key}comment"] = answer.comment or ""
    return values


def assessment_canonical(key, value):
    """How the grid's form compares values: a tick box as 1 or 0."""
    if not key.endswith("_na"):
        return value
    try:
        return "1" if inputs.parse_checkbox(request.env, value) else "0"
    except inputs.InputError:
        return value


def answer_linked(key):
    """An answer's level and its "not applicable" box go together: a level
    chosen while somebody else ticked the box is a conflict (see
    ``PortalForm.changes``)."""
    base, _sep, name = key.rpartition("_")
    return {"level": (f"{base}_na",), "na": (f"{base}_level",)}.get(name, ())


# The name of an evidence file as kept (see controllers/form.py).
evidence_filename = upload_filename


def read_grid(assessment_sudo, form, posted):
    """The answers of the grid of ``assessment_sudo`` among the values
    ``posted`` (those its user changed, see ``PortalForm.changes``), as typed
    values by answer, and the evidence files ticked to be removed, by
    answer; errors go to ``form``. Shared by every page that fills in a
    grid: the self-assessment and the peer grid of a cross-evaluation."""
    env = request.env
    for key in form.errors:
        if key.endswith(("_level", "_na")):  # a level would show as its id
            form.errors[key] = env._("Somebody else changed this answer since you opened the page.")
    answers = {answer.id: answer for answer in assessment_sudo.answer_ids}
    levels = env["ess.maturity.level"].sudo().search([])
    level_keys = [str(level.id) for level in levels]
    changes, removals = {}, {}
    for key, raw in posted.items():
        match = ANSWER_KEY.match(key)
        if not match:
            continue
        answer = answers.get(int(match.group(1)))
        if not answer:
            form.form_error(unknown_field_message())
            continue
        name = match.group(2)
        try:
            if match.group(3):
                if inputs.parse_checkbox(env, raw):
                    removals.setdefault(answer, set()).add(int(match.group(3)))
            elif name == "na":
                changes.setdefault(answer, {})["not_applicable"] = inputs.parse_checkbox(env, raw)
            elif name == "level":
                level = parse_level(raw, level_keys)
                changes.setdefault(answer, {})["level_id"] = int(level) if level else False
            else:
                changes.setdefault(answer, {})["comment"] = inputs.clean_text(
                    env, raw, COMMENT_LIMIT, multiline=True
                )
        except inputs.InputError as error:
            # the boxes to remove files show their errors with the files
            form.error(f"answer_{answer.id}_evidence" if match.group(3) else key, error.args[0])
    return changes, removals


def parse_level(raw, level_keys):
    """The id (as text) of a level of the maturity scale among
    ``level_keys``, or False when none is chosen."""
    try:
        return inputs.parse_choice(request.env, raw, level_keys)
    except inputs.InputError as error:
        raise inputs.InputError(request.env._("Choose a level of the scale.")) from error


def unknown_field_message():
    return request.env._(
        "The form holds values that are not part of this grid: reload the page and try again."
    )


class EssAssessmentPortal(CustomerPortal):
    """A member's self-assessment grids on the portal.

    Every page shows only the records of the user's organisation (record
    rules, then ``_document_check_access``); the controller reads what a
    member posts into typed values, which the models' ``_portal_*`` methods
    check again and write."""

    # ----------------------------------------------------------------- helpers
    def _ess_organisation(self):
        return request.env.user.commercial_partner_id

    def _ess_assessment_domain(self):
        return [("partner_id", "=", self._ess_organisation().id), ("kind", "=", "self")]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_assessment_count" in counters:
            values["ess_assessment_count"] = home_count(
                "ess.assessment", self._ess_assessment_domain()
            )
        return values

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
        assessment_sudo = request.env["ess.assessment"]._portal_start(request.env.user)
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
        levels = request.env["ess.maturity.level"].sudo().search([])
        form = PortalForm(
            canonical=assessment_canonical,
            labels={"_level": {str(level.id): level.name for level in levels}, "_na": None},
        )
        changes, removals = self._ess_grid_changes(assessment_sudo, form)
        uploads = self._ess_grid_uploads(assessment_sudo, form)
        if not form.errors:
            errors = assessment_sudo._portal_save(changes, request.env.user, uploads, removals)
            for key, message in errors.items():
                name = key if key == FORM_ERROR else f"answer_{key[0].id}_{key[1]}"
                form.error(name, message)
        if form.errors:
            return self._ess_render_assessment(assessment_sudo, None, form=form, status=400)
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
        errors = assessment_sudo._portal_complete(request.env.user)
        if errors:
            return self._ess_render_refused(assessment_sudo, errors)
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
        action_sudo, errors = assessment_sudo._portal_create_action(score_id, request.env.user)
        if errors:
            return self._ess_render_refused(assessment_sudo, errors)
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
        return attachment_download(attachment_sudo)

    def _ess_grid_changes(self, assessment_sudo, form):
        """What the member changed on the grid, as typed values by answer,
        and the evidence files ticked to be removed, by answer; errors go to
        ``form``."""
        posted = form.changes(assessment_form_values(assessment_sudo), linked=answer_linked)
        return read_grid(assessment_sudo, form, posted)

    def _ess_grid_uploads(self, assessment_sudo, form):
        """The evidence files sent with the grid, by answer, each a list of
        ``(filename, content)``; a file is read up to one byte over the size
        limit, enough to tell that it is too large. Errors go to ``form``."""
        answers = {answer.id: answer for answer in assessment_sudo.answer_ids}
        uploads = {}
        for key, storages in request.httprequest.files.lists():
            storages = [storage for storage in storages if storage.filename]
            match = EVIDENCE_KEY.match(key)
            answer = answers.get(int(match.group(1))) if match else None
            if not storages:
                continue
            if not answer:
                form.form_error(unknown_field_message())
                continue
            try:
                uploads[answer] = [
                    (
                        evidence_filename(request.env, storage.filename),
                        storage.stream.read(EVIDENCE_MAX_SIZE + 1),
                    )
                    for storage in storages
                ]
            except inputs.InputError as error:
                form.error(key, error.args[0])
        return uploads

    def _ess_render_refused(self, assessment_sudo, errors):
        """The grid page after a refused action (complete it, create an
        action): the errors, nothing of a form."""
        form = PortalForm()
        for key, message in errors.items():
            form.error(key, message)
        return self._ess_render_assessment(assessment_sudo, None, form=form, status=400)

    def _ess_render_assessment(
        self, assessment_sudo, access_token, form=None, saved=False, completed=False, status=200
    ):
        """The grid page; after a refused post, with the posted values and
        the errors."""
        env = request.env
        current = assessment_form_values(assessment_sudo)
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
            "editable": assessment_sudo._portal_is_editable_by(env.user),
            "form": {**current, **(form.values if form else {})},
            "form_origin": form.origin_field(current)
            if form
            else origin_field(current, assessment_canonical),
            "errors": form.errors if form else {},
            "saved": saved,
            "completed": completed,
            "progress_areas": assessment_sudo.progress_area_ids,
            "actions_by_domain": assessment_sudo._portal_actions_by_domain(),
            "scores_chart": assessment_sudo._scores_svg(),
            "benchmark": assessment_sudo._benchmark_html(),
            "comment_limit": COMMENT_LIMIT,
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
            "evidence_accept": ",".join(EVIDENCE_EXTENSIONS),
        }
        values = self._get_page_view_values(
            assessment_sudo, access_token, values, "my_assessments_history", False
        )
        return request.render("ess_network.portal_my_assessment", values, status=status)
