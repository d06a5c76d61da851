import math
import re

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

GUIDE_STATES = [
    ("draft", "In preparation"),
    ("in_progress", "In progress"),
    ("closed", "Closed"),
]

# Fields a closed guide year still lets anybody write: mail and activity
# bookkeeping, portal token.
UNLOCKED_PREFIXES = ("message_", "activity_", "access_token", "website_message")

# What a member may change through the portal (see ``_portal_save``), and how
# long its texts may be.
PORTAL_KEY = re.compile(r"^(theme|line)_(\d+)_([a-z0-9_]+)$")
PORTAL_THEME_TEXTS = {"reason": 2000, "good_practices": 10000, "progress_areas": 10000}
PORTAL_LINE_TEXT_LIMIT = 2000
PORTAL_LINE_FIELDS = {
    "retained",
    "reason",
    "baseline",
    "objective_1y",
    "objective_3y",
    "value",
    "achievement_1y",
    "achievement_3y",
}
PORTAL_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?$")
PORTAL_NUMBER_MAX = 1e15


class EssGuideYear(models.Model):
    """The steering record ("outil de pilotage", seed 002) of one member
    organisation's guide of good practices for one year: pilots and working
    group, the twelve steps, the themes retained or not, baselines and
    objectives of every retained question, and the presentations to the
    employees and the general assembly."""

    _name = "ess.guide.year"
    _description = "Good-practice guide year"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, partner_id, id desc"
    _rec_names_search = ["name", "partner_id"]

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    partner_id = fields.Many2one(
        "res.partner",
        "Organisation",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    year = fields.Integer(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).year,
        aggregator=False,
    )
    state = fields.Selection(
        GUIDE_STATES, "Status", required=True, default="draft", tracking=True, copy=False
    )
    user_id = fields.Many2one(
        "res.users",
        "Followed by",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Network staff member who follows this organisation's guide.",
    )
    pilot_ids = fields.Many2many(
        "res.partner",
        "ess_guide_year_pilot_rel",
        "year_id",
        "partner_id",
        "Pilots",
        domain="[('parent_id', '=', partner_id)]",
        help="Who steers the guide, e.g. an employee and elected officer pair.",
    )
    working_group_ids = fields.Many2many(
        "res.partner",
        "ess_guide_year_working_group_rel",
        "year_id",
        "partner_id",
        "Working group",
        help="Stakeholders who cross their views on the guide: employees, volunteers, users…",
    )
    method = fields.Html(help="How the organisation worked on its guide this year.")
    step_ids = fields.One2many("ess.guide.year.step", "year_id", "Steps")
    theme_line_ids = fields.One2many("ess.guide.year.theme", "year_id", "Themes")
    line_ids = fields.One2many("ess.guide.year.line", "year_id", "Questions and indicators")
    action_ids = fields.One2many("ess.action", "guide_year_id", "Action plan")
    previous_year_id = fields.Many2one(
        "ess.guide.year", "Previous year", readonly=True, copy=False, index="btree_not_null"
    )
    employees_presentation_date = fields.Date("Presented to the employees on", tracking=True)
    general_assembly_date = fields.Date("Presented to the general assembly on", tracking=True)
    general_assembly_minutes = fields.Binary(
        "General assembly minutes", attachment=True, copy=False
    )
    general_assembly_minutes_name = fields.Char("Minutes file name", copy=False)
    general_assembly_debate = fields.Text(
        "Debate at the general assembly",
        help="What the general assembly said of the results and progress objectives "
        "(law of 31 July 2014, art. 3 II).",
    )
    step_progress = fields.Integer("Steps done (%)", compute="_compute_counts", store=True)
    theme_retained_count = fields.Integer("Themes retained", compute="_compute_counts", store=True)
    theme_pending_count = fields.Integer("Themes to decide", compute="_compute_counts", store=True)
    line_retained_count = fields.Integer(
        "Questions retained", compute="_compute_counts", store=True
    )
    action_count = fields.Integer(compute="_compute_action_count", string="Actions")

    _sql_constraints = [
        (
            "partner_year_unique",
            "unique(partner_id, year)",
            "An organisation has one guide per year.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id.name", "year")
    def _compute_name(self):
        for guide in self:
            guide.name = self.env._(
                "Guide %(year)s – %(organisation)s",
                year=guide.year,
                organisation=guide.partner_id.name or "",
            )

    @api.depends(
        "step_ids.done",
        "theme_line_ids.decision",
        "line_ids.retained",
        "line_ids.theme_line_id.decision",
    )
    def _compute_counts(self):
        for guide in self:
            steps = guide.step_ids
            guide.step_progress = (
                round(100 * len(steps.filtered("done")) / len(steps)) if steps else 0
            )
            guide.theme_retained_count = len(
                guide.theme_line_ids.filtered(lambda t: t.decision == "retained")
            )
            guide.theme_pending_count = len(
                guide.theme_line_ids.filtered(lambda t: t.decision == "pending")
            )
            guide.line_retained_count = len(guide.line_ids.filtered("in_scope"))

    def _compute_action_count(self):
        counts = dict(
            self.env["ess.action"]._read_group(
                [("guide_year_id", "in", self.ids)], ["guide_year_id"], ["__count"]
            )
        )
        for guide in self:
            guide.action_count = counts.get(guide, 0)

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for guide in self:
            guide.access_url = f"/my/guide/{guide.id}"

    # --------------------------------------------------------------- constraints
    @api.constrains("year")
    def _check_year(self):
        for guide in self:
            if not 2014 <= guide.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "%s is not a valid guide year: the guide exists since the law of "
                        "31 July 2014.",
                        guide.year,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_is_organisation(self):
        for guide in self:
            if not guide.partner_id.is_company:
                raise ValidationError(
                    self.env._("A guide belongs to an organisation, not to a person.")
                )

    # ----------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        guides = super().create(vals_list)
        guides._fill_from_reference()
        return guides

    def write(self, vals):
        self._check_unlocked(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_empty_drafts(self):
        for guide in self:
            if guide.state != "draft" or guide.line_ids.filtered("has_data"):
                raise UserError(
                    self.env._(
                        "%s holds the organisation's work and cannot be deleted; close it instead.",
                        guide.name,
                    )
                )

    def _is_locked_for_user(self):
        """A closed year is read-only, but for network administrators."""
        return (
            any(guide.state == "closed" for guide in self)
            and not self.env.su
            and not self.env.user.has_group("ess_network.group_ess_manager")
        )

    def _check_unlocked(self, vals=None):
        if vals is not None and all(name.startswith(UNLOCKED_PREFIXES) for name in vals):
            return
        if self._is_locked_for_user():
            closed = self.filtered(lambda g: g.state == "closed")[:1]
            raise UserError(
                self.env._("%s is closed: only a network administrator can change it.", closed.name)
            )

    def _fill_from_reference(self):
        """Give every guide its twelve steps, a line per active theme and a
        line per active question of the reference, keeping what exists."""
        steps = self.env["ess.guide.step"].search([])
        themes = self.env["ess.guide.theme"].search([])
        questions = self.env["ess.guide.question"].search([("domain_id.active", "=", True)])
        step_vals, theme_vals = [], []
        for guide in self:
            have_steps = set(guide.step_ids.step_id.ids)
            step_vals += [
                {"year_id": guide.id, "step_id": step.id, "sequence": step.sequence}
                for step in steps
                if step.id not in have_steps
            ]
            have_themes = set(guide.theme_line_ids.theme_id.ids)
            theme_vals += [
                {"year_id": guide.id, "theme_id": theme.id}
                for theme in themes
                if theme.id not in have_themes
            ]
        self.env["ess.guide.year.step"].create(step_vals)
        self.env["ess.guide.year.theme"].create(theme_vals)
        line_vals = []
        for guide in self:
            guide_themes = set(guide.theme_line_ids.theme_id.ids)
            have_questions = set(guide.line_ids.question_id.ids)
            line_vals += [
                {"year_id": guide.id, "question_id": question.id, "baseline_year": guide.year}
                for question in questions
                if question.id not in have_questions and question.theme_id.id in guide_themes
            ]
        self.env["ess.guide.year.line"].create(line_vals)

    # -------------------------------------------------------------------- actions
    def action_start(self):
        for guide in self:
            if guide.state != "draft":
                raise UserError(self.env._("%s is already started.", guide.name))
        self.state = "in_progress"

    def action_close(self):
        for guide in self:
            if guide.state != "in_progress":
                raise UserError(self.env._("Only a guide in progress can be closed."))
            pending = guide.theme_line_ids.filtered(lambda t: t.decision == "pending")
            if pending:
                raise UserError(
                    self.env._(
                        "Decide whether each theme is retained before closing %(guide)s. "
                        "Still to decide: %(themes)s.",
                        guide=guide.name,
                        themes=", ".join(pending.theme_id.mapped("display_name")),
                    )
                )
        self.state = "closed"

    def action_reopen(self):
        if not self.env.user.has_group("ess_network.group_ess_manager"):
            raise UserError(self.env._("Only a network administrator can reopen a closed guide."))
        for guide in self:
            if guide.state != "closed":
                raise UserError(self.env._("%s is not closed.", guide.name))
        self.state = "in_progress"

    def action_prepare_next_year(self):
        """Start next year's guide from this one (seed 002, 2.6: keep the same
        tools year after year)."""
        self.ensure_one()
        next_year = self.year + 1
        existing = self.search([("partner_id", "=", self.partner_id.id), ("year", "=", next_year)])
        if existing:
            raise UserError(
                self.env._(
                    "%(organisation)s already has a guide for %(year)s.",
                    organisation=self.partner_id.name,
                    year=next_year,
                )
            )
        new = self.create(self._next_year_values())
        new.message_post(
            body=self.env._("Prepared from the guide of %s.", self.year),
            message_type="notification",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def _next_year_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "year": self.year + 1,
            "user_id": self.user_id.id,
            "previous_year_id": self.id,
            "method": self.method,
            "pilot_ids": [Command.set(self.pilot_ids.ids)],
            "working_group_ids": [Command.set(self.working_group_ids.ids)],
            "theme_line_ids": [
                Command.create(line._next_year_values())
                for line in self.theme_line_ids.filtered("theme_id.active")
            ],
            "line_ids": [
                Command.create(line._next_year_values())
                for line in self.line_ids.filtered("question_id.active")
            ],
        }

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_action_action")
        action.update(
            domain=[("guide_year_id", "=", self.id)],
            context={
                "default_guide_year_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        )
        return action

    def action_view_previous_year(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.previous_year_id.id,
            "view_mode": "form",
        }

    # --------------------------------------------------------------------- portal
    def _portal_sections(self):
        """The guide as its portal page shows it: each theme of the year with
        its domains of action and their questions, in the reference order,
        as ``[(theme_line, [(domain, [lines])])]``.

        Reads everything in batch (the lines, then their questions, domains
        and themes once each): the number of queries does not grow with the
        number of questions."""
        self.ensure_one()
        by_theme = {}
        for line in self.line_ids:
            domains = by_theme.setdefault(line.theme_line_id, {})
            domains.setdefault(line.question_id.domain_id, []).append(line)
        return [
            (
                theme_line,
                sorted(
                    by_theme.get(theme_line, {}).items(),
                    key=lambda item: (item[0].sequence, item[0].code or "", item[0].id),
                ),
            )
            for theme_line in self.theme_line_ids
        ]

    def _portal_is_editable_by(self, user):
        """Whether ``user`` may change this guide through the portal: the
        guide belongs to the user's organisation and is not closed."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        return bool(organisation) and self.partner_id == organisation and self.state != "closed"

    @api.model
    def _portal_number_text(self, number):
        """A number as a number input shows it: 12.5, 40 (no trailing .0)."""
        return str(int(number)) if float(number).is_integer() else repr(float(number))

    def _portal_form_values(self):
        """What the portal form shows in each of its fields, by field name
        (``theme_<id>_<field>``, ``line_<id>_<field>``), as text."""
        self.ensure_one()
        values = {}
        for theme_line in self.theme_line_ids:
            key = f"theme_{theme_line.id}_"
            values[f"{key}decision"] = theme_line.decision
            for name in PORTAL_THEME_TEXTS:
                values[key + name] = theme_line[name] or ""
        for line in self.line_ids:
            key = f"line_{line.id}_"
            values[f"{key}retained"] = "1" if line.retained else "0"
            values[f"{key}reason"] = line.reason or ""
            quantitative = line.question_id.kind == "quantitative"
            # a baseline or objective of 0 shows once the line has figures
            has_figures = bool(
                line.baseline or line.objective_1y or line.objective_3y or line.has_value
            )
            for measure in ("baseline", "objective_1y", "objective_3y", "value"):
                if not quantitative:
                    values[key + measure] = line[f"{measure}_text"] or ""
                elif line.has_value if measure == "value" else has_figures:
                    values[key + measure] = self._portal_number_text(line[measure])
                else:
                    values[key + measure] = ""
            values[f"{key}achievement_1y"] = line.achievement_1y or ""
            values[f"{key}achievement_3y"] = line.achievement_3y or ""
        return values

    @api.model
    def _portal_parse_number(self, text):
        """A number typed by a member, "12,5" as well as "12.5"; None when
        the text is empty. Raises ValueError when it is not a number."""
        text = "".join(text.split())  # also drops thousands separators (spaces)
        if not text:
            return None
        if not PORTAL_NUMBER.match(text):
            raise ValueError(text)
        number = float(text.replace(",", "."))
        if not math.isfinite(number) or abs(number) >= PORTAL_NUMBER_MAX:
            raise ValueError(text)
        return number

    @api.model
    def _portal_parse_text(self, text, limit):
        """A text typed by a member, without surrounding blanks; False when
        empty. Raises ValueError when longer than ``limit`` characters."""
        text = text.replace("\r\n", "\n").strip()
        if len(text) > limit:
            raise ValueError(text)
        return text or False

    def _portal_save(self, values, user):
        """Save what ``user``, a member, posted from the portal page of this
        guide, and tell the guide's chatter what changed.

        ``self`` is the guide read with sudo by the portal controller after
        its access check. This checks again that the guide belongs to the
        user's organisation (else AccessError) and is not closed, validates
        every posted value and writes nothing at all when anything is wrong.
        Only the posted fields are saved.

        :param dict values: the posted form: ``theme_<id>_<field>`` and
            ``line_<id>_<field>`` keys, other keys are ignored
        :param user: the portal user who posts
        :return: the errors by form field name (``form`` for the whole
            form); empty when saved
        :rtype: dict
        """
        self.ensure_one()
        organisation = user.commercial_partner_id
        if not organisation or self.partner_id != organisation:
            raise AccessError(self.env._("This guide belongs to another organisation."))
        if self.state == "closed":
            return {"form": self.env._("This guide is closed: it can no longer be changed.")}
        theme_changes, line_changes, errors = self._portal_parse(values)
        if errors:
            return errors
        if not theme_changes and not line_changes:
            return {}
        guide = self.with_user(user).sudo()
        try:
            with self.env.cr.savepoint():
                for theme_line, vals in theme_changes.items():
                    theme_line.with_env(guide.env).write(vals)
                groups = {}
                for line, vals in line_changes.items():
                    groups.setdefault(tuple(sorted(vals.items())), []).append(line.id)
                for vals, line_ids in groups.items():
                    guide.env["ess.guide.year.line"].browse(line_ids).write(dict(vals))
                guide._portal_post_changes(user, theme_changes, line_changes)
        except (UserError, ValidationError) as error:
            return {"form": str(error.args[0])}
        return {}

    def _portal_parse(self, values):
        """Validate a portal post against this guide.

        :return: ``(theme_changes, line_changes, errors)``: the values to
            write by theme line and by question line (only what differs
            from the database), and the errors by form field name
        """
        self.ensure_one()
        themes = {theme_line.id: theme_line for theme_line in self.theme_line_ids}
        lines = {line.id: line for line in self.line_ids}
        posted_themes, posted_lines, errors = {}, {}, {}
        unknown_field = self.env._(
            "The form holds values that are not part of this guide: reload the page and try again."
        )
        for key, raw in values.items():
            match = PORTAL_KEY.match(key)
            if not match:
                continue
            kind, record_id, name = match.group(1), int(match.group(2)), match.group(3)
            known, names, posted = (
                (themes, PORTAL_THEME_TEXTS.keys() | {"decision"}, posted_themes)
                if kind == "theme"
                else (lines, PORTAL_LINE_FIELDS, posted_lines)
            )
            if record_id not in known or name not in names or not isinstance(raw, str):
                errors["form"] = unknown_field
                continue
            posted.setdefault(record_id, {})[name] = raw

        decisions = dict(self.env["ess.guide.year.theme"]._fields["decision"].selection)
        theme_vals = {}
        for theme_id, posted in posted_themes.items():
            theme_line, key, vals = themes[theme_id], f"theme_{theme_id}_", {}
            if "decision" in posted:
                if posted["decision"] in decisions:
                    vals["decision"] = posted["decision"]
                else:
                    errors[f"{key}decision"] = self.env._("Choose a decision in the list.")
            for name, limit in PORTAL_THEME_TEXTS.items():
                if name in posted:
                    try:
                        vals[name] = self._portal_parse_text(posted[name], limit)
                    except ValueError:
                        errors[key + name] = self.env._("At most %s characters.", limit)
            theme_vals[theme_line] = vals

        def decision_of(theme_line):
            return theme_vals.get(theme_line, {}).get("decision", theme_line.decision)

        for theme_line, vals in theme_vals.items():
            key = f"theme_{theme_line.id}_reason"
            if decision_of(theme_line) != "not_retained":
                vals["reason"] = False
            elif not vals.get("reason", theme_line.reason) and key not in errors:
                errors[key] = self.env._("Say why this theme is not retained.")

        achievements = dict(self.env["ess.guide.year.line"]._fields["achievement_1y"].selection)
        line_vals = {}
        for line_id, posted in posted_lines.items():
            line, key, vals = lines[line_id], f"line_{line_id}_", {}
            quantitative = line.question_id.kind == "quantitative"
            if "retained" in posted:
                flag = posted["retained"].strip().lower()
                if flag in ("1", "on", "true"):
                    vals["retained"] = True
                elif flag in ("", "0", "off", "false"):
                    vals["retained"] = False
                else:
                    errors[f"{key}retained"] = self.env._("Tick or untick the box.")
            if "reason" in posted:
                try:
                    vals["reason"] = self._portal_parse_text(
                        posted["reason"], PORTAL_LINE_TEXT_LIMIT
                    )
                except ValueError:
                    errors[f"{key}reason"] = self.env._(
                        "At most %s characters.", PORTAL_LINE_TEXT_LIMIT
                    )
            for measure in ("baseline", "objective_1y", "objective_3y", "value"):
                if measure not in posted:
                    continue
                try:
                    if quantitative:
                        number = self._portal_parse_number(posted[measure])
                        vals[measure] = number or 0.0
                        if measure == "value":
                            vals["has_value"] = number is not None
                    else:
                        text = self._portal_parse_text(posted[measure], PORTAL_LINE_TEXT_LIMIT)
                        vals[f"{measure}_text"] = text
                        if measure == "value":
                            vals["has_value"] = bool(text)
                except ValueError:
                    errors[key + measure] = (
                        self.env._("Enter a number, for example 12.5.")
                        if quantitative
                        else self.env._("At most %s characters.", PORTAL_LINE_TEXT_LIMIT)
                    )
            for name in ("achievement_1y", "achievement_3y"):
                choice = posted.get(name, "")
                if name not in posted or (quantitative and not choice):
                    continue
                if quantitative:  # indicators have no such field on the page
                    errors["form"] = unknown_field
                elif choice and choice not in achievements:
                    errors[key + name] = self.env._("Choose a value in the list.")
                else:
                    vals[name] = choice or False
            line_vals[line] = vals

        # A question that is not treated needs its reason, unless its whole
        # theme is not retained; checked on every line, as a theme decision
        # posted alone can require it.
        for line in self.line_ids:
            vals = line_vals.get(line, {})
            if vals.get("retained", line.retained):
                if line in line_vals:
                    vals["reason"] = False
                continue
            key = f"line_{line.id}_reason"
            if (
                decision_of(line.theme_line_id) != "not_retained"
                and not vals.get("reason", line.reason)
                and key not in errors
            ):
                errors[key] = self.env._("Say why this question is not treated.")

        def changes(record, vals):
            """What ``vals`` changes on ``record`` (empty texts are False)."""
            return {
                name: value
                for name, value in vals.items()
                if value
                != (
                    record[name]
                    if record._fields[name].type in ("float", "boolean")
                    else record[name] or False
                )
            }

        theme_changes = {r: c for r, v in theme_vals.items() if (c := changes(r, v))}
        line_changes = {r: c for r, v in line_vals.items() if (c := changes(r, v))}
        return theme_changes, line_changes, errors

    def _portal_post_changes(self, user, theme_changes, line_changes):
        """Tell the guide's chatter what a member changed through the portal."""
        self.ensure_one()

        def codes(records):
            names = [record.code for record in records]
            return ", ".join(names[:20]) + (", …" if len(names) > 20 else "")

        items = []
        if theme_changes:
            items.append(
                self.env._(
                    "Themes: %(count)s (%(codes)s)",
                    count=len(theme_changes),
                    codes=codes([theme_line.theme_id for theme_line in theme_changes]),
                )
            )
        if line_changes:
            items.append(
                self.env._(
                    "Questions and indicators: %(count)s (%(codes)s)",
                    count=len(line_changes),
                    codes=codes([line.question_id for line in line_changes]),
                )
            )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("Updated through the portal by %s.", user.name),
                Markup().join(Markup("<li>%s</li>") % item for item in items),
            ),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
