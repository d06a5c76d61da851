import re

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import inputs
from .form import FORM_ERROR, PortalForm, home_count, origin_field, selection_labels

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The guide's form: ``theme_<id>_<field>`` and ``line_<id>_<field>``.
GUIDE_KEY = re.compile(r"^(theme|line)_(\d{1,18})_([a-z0-9_]+)$")
THEME_TEXT_LIMITS = {"reason": 2000, "good_practices": 10000, "progress_areas": 10000}
THEME_FIELDS = {"decision", *THEME_TEXT_LIMITS}
LINE_TEXT_LIMIT = 2000
LINE_MEASURES = ("baseline", "objective_1y", "objective_3y", "value")
LINE_FIELDS = {"retained", "reason", *LINE_MEASURES, "achievement_1y", "achievement_3y"}


def number_text(number):
    """A number as the guide's form shows it: 12.5, 40 (no trailing .0)."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def guide_field_name(record, field):
    """The form field of ``field`` of a theme line or question line."""
    kind = "theme" if record._name == "ess.guide.year.theme" else "line"
    return f"{kind}_{record.id}_{field}"


def guide_canonical(guide):
    """How the guide's form compares values: a figure as a number ("12,5"
    is "12.5"; empty is 0, as stored)."""
    number_keys = {
        f"line_{line.id}_{measure}"
        for line in guide.line_ids
        if line.question_id.kind == "quantitative"
        for measure in LINE_MEASURES
        if measure != "value"
    }

    def canonical(key, value):
        if key not in number_keys:
            return value
        try:
            number = inputs.parse_number(request.env, value)
        except inputs.InputError:
            return value
        return number_text(number) if number else ""

    return canonical


def guide_labels():
    """How the guide's form tells a member what somebody else chose."""
    (decisions,) = selection_labels("ess.guide.year.theme", "decision")
    (achievements,) = selection_labels("ess.guide.year.line", "achievement_1y")
    return {
        "_decision": decisions,
        "_achievement_1y": achievements,
        "_achievement_3y": achievements,
        "_retained": None,
    }


def guide_form_values(guide):
    """What the guide's form shows in each of its fields, as text."""
    values = {}
    for theme_line in guide.theme_line_ids:
        key = f"theme_{theme_line.id}_"
        values[f"{key}decision"] = theme_line.decision
        for name in THEME_TEXT_LIMITS:
            values[key + name] = theme_line[name] or ""
    for line in guide.line_ids:
        key = f"line_{line.id}_"
        values[f"{key}retained"] = "1" if line.retained else "0"
        values[f"{key}reason"] = line.reason or ""
        quantitative = line.question_id.kind == "quantitative"
        # a baseline or objective of 0 shows once the line has figures
        has_figures = bool(
            line.baseline or line.objective_1y or line.objective_3y or line.has_value
        )
        for measure in LINE_MEASURES:
            if not quantitative:
                values[key + measure] = line[f"{measure}_text"] or ""
            elif line.has_value if measure == "value" else has_figures:
                values[key + measure] = number_text(line[measure])
            else:
                values[key + measure] = ""
        values[f"{key}achievement_1y"] = line.achievement_1y or ""
        values[f"{key}achievement_3y"] = line.achievement_3y or ""
    return values


class EssGuidePortal(CustomerPortal):
    """A member's guide of good practices on the portal (its action plan:
    ``portal_action``).

    Every page shows only the records of the user's organisation (record
    rules, then ``_document_check_access``); what a member posts is saved by
    the models' ``_portal_*`` methods, which check the organisation again."""

    # ----------------------------------------------------------------- helpers
    def _ess_organisation_domain(self):
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_guide_year_count" in counters:
            values["ess_guide_year_count"] = home_count(
                "ess.guide.year", self._ess_organisation_domain()
            )
        return values

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
        form = PortalForm(canonical=guide_canonical(guide_sudo), labels=guide_labels())
        changes = self._ess_guide_changes(guide_sudo, form)
        if not form.errors:
            errors = guide_sudo._portal_save(changes, request.env.user)
            for key, message in errors.items():
                form.error(key if key == FORM_ERROR else guide_field_name(*key), message)
        if form.errors:
            return self._ess_render_guide(guide_sudo, None, form=form, status=400)
        return request.redirect(f"{guide_sudo.access_url}?saved=1")

    @http.route("/my/guide/<int:guide_id>/xlsx", type="http", auth="user", website=True)
    def portal_my_guide_xlsx(self, guide_id, access_token=None, **kwargs):
        try:
            guide_sudo = self._document_check_access("ess.guide.year", guide_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        content, filename = request.env["report.ess_network.guide_year_xlsx"]._ess_render(
            guide_sudo
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    def _ess_guide_changes(self, guide_sudo, form):
        """What the member changed on the guide page, as typed values by
        theme line and question line of the guide; errors go to ``form``."""
        env = request.env
        posted = form.changes(guide_form_values(guide_sudo))
        records = {
            "theme": {theme_line.id: theme_line for theme_line in guide_sudo.theme_line_ids},
            "line": {line.id: line for line in guide_sudo.line_ids},
        }
        decisions = env["ess.guide.year.theme"]._fields["decision"].selection
        achievements = env["ess.guide.year.line"]._fields["achievement_1y"].selection
        changes = {}
        for key, raw in posted.items():
            match = GUIDE_KEY.match(key)
            if not match:
                continue
            kind, name = match.group(1), match.group(3)
            record = records[kind].get(int(match.group(2)))
            known = THEME_FIELDS if kind == "theme" else LINE_FIELDS
            if not record or name not in known or not isinstance(raw, str):
                form.form_error(
                    env._(
                        "The form holds values that are not part of this guide: reload the page "
                        "and try again."
                    )
                )
                continue
            vals = changes.setdefault(record, {})
            quantitative = kind == "line" and record.question_id.kind == "quantitative"
            try:
                if name == "decision":
                    vals[name] = self._ess_choice(
                        raw, decisions, env._("Choose a decision in the list.")
                    )
                elif kind == "theme":
                    vals[name] = inputs.clean_text(
                        env, raw, THEME_TEXT_LIMITS[name], multiline=True
                    )
                elif name == "retained":
                    vals[name] = inputs.parse_checkbox(env, raw)
                elif name == "reason":
                    vals[name] = inputs.clean_text(env, raw, LINE_TEXT_LIMIT, multiline=True)
                elif name in LINE_MEASURES and quantitative:
                    number = inputs.parse_number(env, raw)
                    vals[name] = number or 0.0
                    if name == "value":
                        vals["has_value"] = number is not None
                elif name in LINE_MEASURES:
                    text = inputs.clean_text(env, raw, LINE_TEXT_LIMIT, multiline=True)
                    vals[f"{name}_text"] = text
                    if name == "value":
                        vals["has_value"] = bool(text)
                elif quantitative:  # indicators have no such field on the page
                    if raw:
                        form.form_error(
                            env._(
                                "The form holds values that are not part of this guide: reload "
                                "the page and try again."
                            )
                        )
                else:
                    vals[name] = inputs.parse_choice(env, raw, achievements)
            except inputs.InputError as error:
                form.error(key, error.args[0])
        return {record: vals for record, vals in changes.items() if vals}

    @staticmethod
    def _ess_choice(raw, choices, message):
        try:
            return inputs.parse_choice(request.env, raw, choices, required=True)
        except inputs.InputError as error:
            raise inputs.InputError(message) from error

    def _ess_render_guide(
        self, guide_sudo, access_token, form=None, saved=False, status=200, **extra
    ):
        """The guide page; after a refused post, with the posted values and
        the errors. ``extra``: more values for the page's template."""
        env = request.env
        current = guide_form_values(guide_sudo)
        Line = env["ess.guide.year.line"]
        values = {
            "guide": guide_sudo,
            "page_name": "ess_guide_detail",
            "sections": guide_sudo._portal_sections(),
            "editable": guide_sudo._portal_is_editable_by(env.user),
            "form": {**current, **(form.values if form else {})},
            "form_origin": form.origin_field(current)
            if form
            else origin_field(current, guide_canonical(guide_sudo)),
            "errors": form.errors if form else {},
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
            "theme_text_limits": THEME_TEXT_LIMITS,
            "line_text_limit": LINE_TEXT_LIMIT,
            **extra,
        }
        values = self._get_page_view_values(
            guide_sudo, access_token, values, "my_guides_history", False
        )
        return request.render("ess_network.portal_my_guide", values, status=status)
