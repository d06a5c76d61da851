import functools

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import is_html_empty, plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import inputs
from .form import PortalForm, home_count, origin_field, selection_labels

ACTION_COMMENT_LIMIT = 2000
ACTION_NAME_LIMIT = 200
ACTION_DESCRIPTION_LIMIT = 10000
ARCHIVE_REASON_LIMIT = 1000
# the fields of the form to create an action
NEW_ACTION_FIELDS = (
    "name",
    "pilot_id",
    "guide_year_id",
    "theme_id",
    "question_id",
    "date_start",
    "date_deadline",
    "budget",
    "description",
    # the library's sheet the action is inspired by (``?practice=<id>``)
    "practice_id",
)


def action_form_values(action):
    """What the progress form of an action shows, as text."""
    return {"progress": str(action.progress), "state": action.state}


class EssActionPortal(CustomerPortal):
    """A member's action plan on the portal: the list, an action's page
    (progress, comments), adding an action, archiving one and bringing it
    back.

    Every page shows only the actions of the user's organisation (record
    rules, then ``_document_check_access``); the controller reads what a
    member posts into typed values, which ``ess.action``'s ``_portal_*``
    methods check again and write."""

    def _ess_action_domain(self):
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ess_action_count" in counters:
            values["ess_action_count"] = home_count("ess.action", self._ess_action_domain())
        return values

    @staticmethod
    def _ess_can_create_action():
        user = request.env.user
        return user.share and user.commercial_partner_id.is_company

    # -------------------------------------------------------------------- list
    def _ess_action_searchbar(self):
        env = request.env
        sortings = {
            "deadline": {
                "label": env._("Deadline"),
                "order": "date_deadline asc nulls last, id desc",
            },
            "name": {"label": env._("Action"), "order": "name, id"},
            "state": {"label": env._("Status"), "order": "state, date_deadline asc nulls last"},
        }
        filters = {
            "open": {
                "label": env._("To carry out"),
                "domain": [("state", "in", ("todo", "in_progress"))],
            },
            "all": {"label": env._("All"), "domain": []},
            "archived": {"label": env._("Archived"), "domain": [("active", "=", False)]},
        }
        return sortings, filters

    @http.route(
        ["/my/actions", "/my/actions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_actions(self, page=1, sortby=None, filterby=None, archived=None, **kwargs):
        Action = request.env["ess.action"]
        if not Action.has_access("read"):
            return request.redirect("/my")
        sortings, filters = self._ess_action_searchbar()
        sortby = sortby if sortby in sortings else "deadline"
        filterby = filterby if filterby in filters else "open"
        domain = self._ess_action_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/actions",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Action.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        actions = Action.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_actions_history"] = actions.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            # found with the user's rights; read with sudo for the names of
            # pilots and themes
            actions=actions.sudo(),
            pager=pager,
            page_name="ess_action",
            default_url="/my/actions",
            searchbar_sortings=sortings,
            searchbar_filters=filters,
            sortby=sortby,
            filterby=filterby,
            archived=bool(archived),
            can_create=self._ess_can_create_action(),
            state_labels=dict(Action._fields["state"]._description_selection(request.env)),
        )
        return request.render("ess_network.portal_my_actions", values)

    # --------------------------------------------------------------------- new
    @http.route("/my/actions/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_my_action_new(self, guide_year_id=None, practice=None, **kwargs):
        if not request.env["ess.action"].has_access("read") or not self._ess_can_create_action():
            return request.redirect("/my/actions")
        if request.httprequest.method != "POST":
            return self._ess_render_action_new(guide_year_id=guide_year_id, practice=practice)
        form = PortalForm()
        vals = self._ess_new_action_vals(form)
        if not form.errors:
            action_sudo, errors = request.env["ess.action"]._portal_create(vals, request.env.user)
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_action_new(form=form, status=400)
        return request.redirect(f"{action_sudo.access_url}?created=1")

    def _ess_new_action_vals(self, form):
        """What the member typed for a new action, as typed values by field
        name; errors go to ``form``."""
        env = request.env
        posted = form.values
        unknown = set(posted) - set(NEW_ACTION_FIELDS)
        if unknown:
            form.form_error(
                env._(
                    "The form holds values that are not part of it: reload the page and try again."
                )
            )
        vals = {}

        read = functools.partial(form.read_into, vals, posted=posted)

        read("name", inputs.clean_text, ACTION_NAME_LIMIT)
        if "name" in vals and not vals["name"]:
            form.error("name", env._("Give the action a name."))
        messages = {
            "pilot_id": env._("Choose the pilot among the people of your organisation."),
            "guide_year_id": env._(
                "Choose one of your organisation's guide years that is not closed."
            ),
            "theme_id": env._("Choose a theme of this guide year."),
            "question_id": env._("Choose a question or indicator this guide year works on."),
        }
        for name, message in messages.items():
            read(name, self._ess_one_id, message=message)
        if "pilot_id" in vals and not vals["pilot_id"]:
            form.error("pilot_id", env._("Choose who pilots the action."))
        read("date_start", inputs.parse_date)
        read("date_deadline", inputs.parse_date)
        if "date_deadline" in vals and not vals["date_deadline"]:
            form.error("date_deadline", env._("Give the action a deadline."))
        read("budget", inputs.parse_number)
        if vals.get("budget") is None:
            vals["budget"] = 0.0
        read("description", inputs.clean_text, ACTION_DESCRIPTION_LIMIT, multiline=True)
        if "description" in vals:
            vals["description"] = (
                plaintext2html(vals["description"]) if vals["description"] else False
            )
        message = env._("Choose a sheet of the good-practice library.")
        read("practice_id", self._ess_one_id, message=message)
        if vals.get("practice_id") and not self._ess_practice(vals["practice_id"]):
            form.form_error(message)
        if not vals.get("practice_id"):
            vals.pop("practice_id", None)
        return vals

    @staticmethod
    def _ess_practice(practice_id):
        """The library's sheet ``practice_id`` when it is published and the
        user reads it, else an empty recordset."""
        if not practice_id:
            return request.env["ess.practice"]
        return request.env["ess.practice"].search(
            [("id", "=", practice_id), ("state", "=", "published")]
        )

    @staticmethod
    def _ess_ids(raw):
        """The ids of a query argument, none when it is not ids."""
        try:
            return inputs.parse_ids(request.env, raw if isinstance(raw, str) else "")
        except inputs.InputError:
            return set()

    @staticmethod
    def _ess_one_id(env, raw):
        """One record id chosen in a list, or False when none is."""
        ids = inputs.parse_ids(env, raw if raw is not None else "")
        if len(ids) > 1:
            raise inputs.InputError(env._("Choose a value in the list."))
        return next(iter(ids), False)

    def _ess_action_choices(self):
        """The pilots, guide years, themes and questions a member may choose
        for a new action of its organisation."""
        Action = request.env["ess.action"]
        organisation = request.env.user.commercial_partner_id
        guides = Action._portal_guide_years(organisation)
        themes = Action._portal_theme_lines(guides).theme_id.sorted(
            lambda t: (t.sequence, t.code or "", t.id)
        )
        questions = Action._portal_question_lines(guides).question_id.sorted(
            lambda q: (q.theme_sequence, q.domain_sequence, q.sequence, q.code or "", q.id)
        )
        return {
            "pilots": Action._portal_pilots(organisation),
            "guides": guides,
            "themes": themes,
            "question_groups": [
                (theme, questions.filtered(lambda q, theme=theme: q.theme_id == theme))
                for theme in questions.theme_id.sorted(lambda t: (t.sequence, t.code or "", t.id))
            ],
        }

    @staticmethod
    def _ess_shown(values):
        """Posted values as a refused form shows them again: without NUL
        bytes, which no page may hold."""
        return {
            key: value.replace("\x00", "") if isinstance(value, str) else value
            for key, value in values.items()
        }

    def _ess_render_action_new(self, form=None, guide_year_id=None, status=200, practice=None):
        """The form to add an action; after a refused post, with the posted
        values and the errors. From a sheet of the library (``practice``,
        its id), the action takes its title and theme."""
        env = request.env
        choices = self._ess_action_choices()
        guides = choices["guides"]
        guide = guides[:1]
        if guide_year_id and str(guide_year_id).isdecimal():
            guide = guides.filtered(lambda g: g.id == int(guide_year_id)) or guide
        pilot = env.user.partner_id if env.user.partner_id in choices["pilots"] else None
        defaults = dict.fromkeys(NEW_ACTION_FIELDS, "")
        defaults.update(
            guide_year_id=str(guide.id) if guide else "",
            pilot_id=str(pilot.id) if pilot else "",
        )
        sheet = self._ess_practice(next(iter(self._ess_ids(practice)), None)).sudo()
        if sheet:
            defaults.update(
                name=sheet.name[:ACTION_NAME_LIMIT],
                practice_id=str(sheet.id),
                theme_id=str(sheet.theme_id.id) if sheet.theme_id in choices["themes"] else "",
            )
        elif form and form.values.get("practice_id"):
            sheet = self._ess_practice(
                next(iter(self._ess_ids(form.values["practice_id"])), None)
            ).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            choices,
            page_name="ess_action_new",
            form={**defaults, **(self._ess_shown(form.values) if form else {})},
            errors=form.errors if form else {},
            practice=sheet,
            name_limit=ACTION_NAME_LIMIT,
            description_limit=ACTION_DESCRIPTION_LIMIT,
            currency=env.user.commercial_partner_id.company_id.currency_id
            or env.company.currency_id,
        )
        return request.render("ess_network.portal_my_action_new", values, status=status)

    # ------------------------------------------------------------------ detail
    @http.route("/my/actions/<int:action_id>", type="http", auth="user", website=True)
    def portal_my_action(
        self, action_id, access_token=None, saved=None, created=None, restored=None, **kwargs
    ):
        try:
            action_sudo = self._document_check_access("ess.action", action_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._ess_render_action(
            action_sudo,
            access_token,
            notice="saved" if saved else "created" if created else "restored" if restored else None,
        )

    @http.route(
        "/my/actions/<int:action_id>/progress",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_action_progress(self, action_id, **kwargs):
        try:
            action_sudo = self._document_check_access("ess.action", action_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        env = request.env
        (states,) = selection_labels("ess.action", "state")
        form = PortalForm(labels={"state": states})
        posted = form.changes(action_form_values(action_sudo))
        vals = {}
        if "progress" in posted:
            vals["progress"] = form.typed("progress", inputs.parse_integer, 0, 100)
            if vals["progress"] is None and "progress" not in form.errors:
                form.error("progress", env._("Enter a whole number from 0 to 100."))
        if "state" in posted:
            try:
                vals["state"] = inputs.parse_choice(
                    env, posted["state"], env["ess.action"]._fields["state"].selection, True
                )
            except inputs.InputError:
                form.error("state", env._("Choose a status in the list."))
        comment = form.typed("comment", inputs.clean_text, ACTION_COMMENT_LIMIT, multiline=True)
        if not form.errors:
            errors = action_sudo._portal_update_progress(vals, comment, env.user)
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_action(action_sudo, None, form=form, status=400)
        return request.redirect(f"{action_sudo.access_url}?saved=1")

    @http.route(
        "/my/actions/<int:action_id>/archive",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_action_archive(self, action_id, **kwargs):
        try:
            action_sudo = self._document_check_access("ess.action", action_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        form = PortalForm()
        reason = form.typed(
            "archive_reason", inputs.clean_text, ARCHIVE_REASON_LIMIT, multiline=True
        )
        if not form.errors:
            errors = action_sudo._portal_archive(reason, request.env.user)
            for key, message in errors.items():
                form.error(key, message)
        if form.errors:
            return self._ess_render_action(action_sudo, None, form=form, status=400)
        return request.redirect("/my/actions?archived=1")

    @http.route(
        "/my/actions/<int:action_id>/unarchive",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_action_unarchive(self, action_id, **kwargs):
        try:
            action_sudo = self._document_check_access("ess.action", action_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        errors = action_sudo._portal_unarchive(request.env.user)
        if errors:
            form = PortalForm()
            for key, message in errors.items():
                form.error(key, message)
            return self._ess_render_action(action_sudo, None, form=form, status=400)
        return request.redirect(f"{action_sudo.access_url}?restored=1")

    def _ess_render_action(self, action_sudo, access_token, form=None, notice=None, status=200):
        env = request.env
        current = action_form_values(action_sudo)
        user = env.user
        values = {
            "action": action_sudo,
            "page_name": "ess_action_detail",
            "editable": action_sudo._portal_is_editable_by(user),
            # archiving and bringing back: the organisation's users, while
            # the action's guide is open
            "can_archive": action_sudo.active and action_sudo._portal_is_editable_by(user),
            "can_unarchive": not action_sudo.active
            and action_sudo.guide_year_id.state != "closed"
            and action_sudo._portal_organisation() == user.commercial_partner_id,
            "form": {
                **current,
                "comment": "",
                "archive_reason": "",
                **(self._ess_shown(form.values) if form else {}),
            },
            "form_origin": form.origin_field(current) if form else origin_field(current),
            "errors": form.errors if form else {},
            "saved": notice == "saved",
            "notice": notice,
            "archive_reason_limit": ARCHIVE_REASON_LIMIT,
            "state_labels": env["ess.action"]._fields["state"]._description_selection(env),
            "is_html_empty": is_html_empty,
        }
        values = self._get_page_view_values(
            action_sudo, access_token, values, "my_actions_history", False
        )
        return request.render("ess_network.portal_my_action", values, status=status)
