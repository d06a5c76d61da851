import re

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from ..models.ess_guide_year_portal import MINUTES_MAX_SIZE
from ..tools import inputs, uploads
from ..wizards.spreadsheet_reader import MAX_FILE_SIZE
from .form import FORM_ERROR, PortalForm, origin_field, uploaded_files
from .portal_guide import XLSX_MIMETYPE, EssGuidePortal

# The implementation form: ``step_<id>_done``, ``step_<id>_done_date`` and
# the guide's presentation fields.
STEP_KEY = re.compile(r"^step_(\d{1,18})_(done|done_date)$")
DATE_FIELDS = ("employees_presentation_date", "general_assembly_date")
DEBATE_LIMIT = 10000
MINUTES_FIELD = "general_assembly_minutes"
REMOVE_MINUTES = "general_assembly_minutes_remove"
IMPORT_FIELD = "file"
# What the page says once a form of this controller is done, kept in the
# session across the redirection: ``[guide id, what, summary]``.
DONE_KEY = "ess_guide_year_done"


def implementation_form_values(guide):
    """What the steps and presentations form shows in each of its fields,
    as text (dates as the browser's date field posts them)."""
    values = {}
    for step in guide.step_ids:
        values[f"step_{step.id}_done"] = "1" if step.done else "0"
        values[f"step_{step.id}_done_date"] = str(step.done_date or "")
    for name in DATE_FIELDS:
        values[name] = str(guide[name] or "")
    values["general_assembly_debate"] = guide.general_assembly_debate or ""
    values[REMOVE_MINUTES] = "0"
    return values


def implementation_canonical(key, value):
    """How the form compares values: a date as a date (31/12/2025 is
    2025-12-31)."""
    if not key.endswith("_date"):
        return value
    try:
        return str(inputs.parse_date(request.env, value) or "")
    except inputs.InputError:
        return value


class EssGuideYearPortal(EssGuidePortal):
    """On a member's guide year page: the twelve steps, the presentations
    to the employees and the general assembly, and the import of the
    guide's spreadsheet. Saved by ``ess.guide.year``'s ``_portal_*``
    methods, which check the organisation again."""

    @http.route(
        "/my/guide/<int:guide_id>/implementation",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_guide_implementation(self, guide_id, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        form = PortalForm(canonical=implementation_canonical, labels={"_done": None, "_date": None})
        steps, vals = self._ess_implementation_changes(guide_sudo, form)
        minutes = self._ess_upload(form, MINUTES_FIELD, MINUTES_MAX_SIZE)
        if not form.errors:
            errors = guide_sudo._portal_save_implementation(
                steps, vals, request.env.user, minutes=minutes
            )
            for key, message in errors.items():
                form.error(self._ess_implementation_key(key), message)
        if form.errors:
            return self._ess_render_guide(guide_sudo, None, status=400, implementation_form=form)
        request.session[DONE_KEY] = [guide_sudo.id, "implementation", ""]
        return request.redirect(f"{guide_sudo.access_url}#o_ess_guide_implementation")

    @http.route("/my/guide/<int:guide_id>/minutes", type="http", auth="user", website=True)
    def portal_my_guide_minutes(self, guide_id, access_token=None, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not guide_sudo.general_assembly_minutes:
            return request.redirect(guide_sudo.access_url)
        stream = request.env["ir.binary"]._get_stream_from(
            guide_sudo,
            MINUTES_FIELD,
            filename=guide_sudo.general_assembly_minutes_name or "minutes",
        )
        return stream.get_response(as_attachment=True)

    @http.route(
        "/my/guide/<int:guide_id>/import",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_guide_import(self, guide_id, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        env = request.env
        form = PortalForm()
        upload = self._ess_upload(form, IMPORT_FIELD, MAX_FILE_SIZE)
        if form.errors:
            errors = list(form.errors.values())
        elif not upload:
            errors = [env._("Choose the spreadsheet to import.")]
        else:
            counts, errors = guide_sudo._portal_import(upload[1], upload[0], env.user)
        if errors:
            return self._ess_render_guide(guide_sudo, None, status=400, import_errors=errors)
        summary = env["ess.guide.year.import"]._ess_summary(counts)
        request.session[DONE_KEY] = [guide_sudo.id, "import", summary]
        return request.redirect(f"{guide_sudo.access_url}#o_ess_guide_import")

    # ---------------------------------------------------------------- helpers
    def _ess_implementation_changes(self, guide_sudo, form):
        """What the member changed in the steps and presentations, as typed
        values: ``({step: vals}, guide vals)``; errors go to ``form``."""
        env = request.env
        posted = form.changes(implementation_form_values(guide_sudo))
        steps_by_id = {step.id: step for step in guide_sudo.step_ids}
        steps, vals = {}, {}
        for key, raw in posted.items():
            match = STEP_KEY.match(key)
            step = steps_by_id.get(int(match.group(1))) if match else None
            known = step or key in (*DATE_FIELDS, "general_assembly_debate", REMOVE_MINUTES)
            if not known or not isinstance(raw, str):
                form.form_error(
                    env._(
                        "The form holds values that are not part of this guide: reload the page "
                        "and try again."
                    )
                )
                continue
            try:
                if step and match.group(2) == "done":
                    steps.setdefault(step, {})["done"] = inputs.parse_checkbox(env, raw)
                elif step:
                    steps.setdefault(step, {})["done_date"] = inputs.parse_date(env, raw)
                elif key in DATE_FIELDS:
                    vals[key] = inputs.parse_date(env, raw)
                elif key == REMOVE_MINUTES:
                    if inputs.parse_checkbox(env, raw):
                        vals[MINUTES_FIELD] = False
                else:
                    vals[key] = inputs.clean_text(env, raw, DEBATE_LIMIT, multiline=True)
            except inputs.InputError as error:
                form.error(key, error.args[0])
        return steps, vals

    @staticmethod
    def _ess_implementation_key(key):
        """The form field of an error of ``_portal_save_implementation``."""
        if key == FORM_ERROR:
            return key
        record, field = key
        if record._name == "ess.guide.year.step":
            return f"step_{record.id}_{field}"
        return field

    @staticmethod
    def _ess_upload(form, key, limit):
        """``(filename, content)`` of the file sent as ``key``, read up to
        one byte over ``limit`` (enough to tell that it is too large), or
        None when none was sent; errors go to ``form``."""
        files = uploaded_files(form, key, limit)
        return files[0] if files else None

    def _ess_render_guide(
        self, guide_sudo, access_token, form=None, saved=False, status=200, **extra
    ):
        implementation = extra.pop("implementation_form", None)
        current = implementation_form_values(guide_sudo)
        done = request.session.pop(DONE_KEY, None) if status == 200 else None
        if done and done[0] != guide_sudo.id:
            done = None
        extra = {
            "implementation": {**current, **(implementation.values if implementation else {})},
            "implementation_origin": implementation.origin_field(current)
            if implementation
            else origin_field(current, implementation_canonical),
            "implementation_errors": implementation.errors if implementation else {},
            "implementation_saved": bool(done) and done[1] == "implementation",
            "import_summary": done[2] if done and done[1] == "import" else "",
            "import_errors": [],
            "minutes_accept": uploads.MINUTES.accept,
            "minutes_max_mb": MINUTES_MAX_SIZE // (1024 * 1024),
            "xlsx_accept": f".xlsx,{XLSX_MIMETYPE}",
            "today": str(fields.Date.context_today(guide_sudo)),
            **extra,
        }
        return super()._ess_render_guide(
            guide_sudo, access_token, form=form, saved=saved, status=status, **extra
        )
