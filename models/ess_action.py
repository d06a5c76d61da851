from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

ACTION_STATES = [
    ("todo", "To do"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

# Longest comment a member may post with a progress update.
PORTAL_COMMENT_LIMIT = 2000

ACTION_ORIGINS = [
    ("guide", "Good-practice guide"),
    ("self_assessment", "Self-assessment"),
    ("evaluation", "Evaluation improvement point"),
    ("stakeholder", "Stakeholder request"),
    ("other", "Other"),
]


class EssAction(models.Model):
    """An action of a member organisation's action plan (seed 002, step 8):
    what is done to reach an objective, by whom, with which budget, by when."""

    _name = "ess.action"
    _description = "Action plan action"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_deadline, id desc"

    name = fields.Char("Action", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Organisation",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    guide_year_id = fields.Many2one(
        "ess.guide.year",
        "Guide year",
        index=True,
        tracking=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    theme_id = fields.Many2one("ess.guide.theme", tracking=True)
    theme_short_name = fields.Char(related="theme_id.short_name", string="Theme (short)")
    domain_id = fields.Many2one(
        "ess.guide.domain",
        "Domain of action",
        domain="[('theme_id', '=?', theme_id)]",
    )
    question_id = fields.Many2one(
        "ess.guide.question",
        "Question or indicator",
        domain="[('domain_id', '=?', domain_id), ('theme_id', '=?', theme_id)]",
    )
    pilot_id = fields.Many2one(
        "res.partner",
        tracking=True,
        domain="['|', ('parent_id', '=', partner_id), ('id', '=', partner_id)]",
        help="Who carries the action in the organisation.",
    )
    user_id = fields.Many2one(
        "res.users",
        "Followed by",
        tracking=True,
        default=lambda self: self.env.user if not self.env.user.share else False,
        domain="[('share', '=', False)]",
        help="Network staff member reminded of the deadline when the pilot has no "
        "back-office access.",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    budget = fields.Monetary(tracking=True)
    date_start = fields.Date("Start")
    date_deadline = fields.Date("Deadline", tracking=True, index=True)
    state = fields.Selection(
        ACTION_STATES,
        "Status",
        required=True,
        default="todo",
        tracking=True,
        group_expand="_read_group_expand_state",
    )
    progress = fields.Integer("Progress (%)", tracking=True, aggregator="avg")
    origin = fields.Selection(ACTION_ORIGINS, required=True, default="guide", tracking=True)
    description = fields.Html()
    result = fields.Text()
    priority = fields.Selection([("0", "Normal"), ("1", "High")], default="0")
    color = fields.Integer()
    active = fields.Boolean(default=True, tracking=True)
    is_late = fields.Boolean("Late", compute="_compute_is_late", search="_search_is_late")
    assessment_id = fields.Many2one(
        "ess.assessment", "Self-assessment", index="btree_not_null", readonly=True
    )
    evaluation_point_id = fields.Many2one(
        "ess.evaluation.point", "Improvement point", index="btree_not_null", readonly=True
    )
    evaluation_id = fields.Many2one(
        related="evaluation_point_id.evaluation_id", string="Cross-evaluation"
    )
    reminder_date = fields.Date("Deadline reminder sent on", copy=False, readonly=True)

    @api.model
    def _read_group_expand_state(self, values, domain):
        return [key for key, _label in ACTION_STATES]

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for action in self:
            action.access_url = f"/my/actions/{action.id}"

    @api.depends("date_deadline", "state")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_late = bool(
                action.date_deadline
                and action.date_deadline < today
                and action.state in ("todo", "in_progress")
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        late = [
            ("date_deadline", "<", fields.Date.context_today(self)),
            ("state", "in", ("todo", "in_progress")),
        ]
        return late if (operator == "=") == value else ["!", "&", *late]

    @api.constrains("progress")
    def _check_progress(self):
        for action in self:
            if not 0 <= action.progress <= 100:
                raise ValidationError(
                    self.env._(
                        "The progress of an action is between 0 and 100 %%, not %s.",
                        action.progress,
                    )
                )

    @api.constrains("budget")
    def _check_budget(self):
        for action in self:
            if action.budget < 0:
                raise ValidationError(self.env._("A budget cannot be negative."))

    @api.constrains("partner_id", "guide_year_id", "pilot_id")
    def _check_organisation(self):
        for action in self:
            if action.guide_year_id and action.guide_year_id.partner_id != action.partner_id:
                raise ValidationError(
                    self.env._(
                        "The action and its guide year must belong to the same organisation."
                    )
                )
            if action.pilot_id and action.pilot_id.commercial_partner_id != action.partner_id:
                raise ValidationError(
                    self.env._(
                        "The pilot of an action is a person of the organisation %s.",
                        action.partner_id.name,
                    )
                )

    @api.constrains("date_start", "date_deadline")
    def _check_dates(self):
        for action in self:
            if (
                action.date_start
                and action.date_deadline
                and action.date_deadline < action.date_start
            ):
                raise ValidationError(
                    self.env._("The deadline of an action cannot precede its start.")
                )

    @api.onchange("question_id")
    def _onchange_question_id(self):
        if self.question_id:
            self.domain_id = self.question_id.domain_id
            self.theme_id = self.question_id.theme_id

    @api.onchange("domain_id")
    def _onchange_domain_id(self):
        if self.domain_id:
            self.theme_id = self.domain_id.theme_id

    @api.onchange("guide_year_id")
    def _onchange_guide_year_id(self):
        if self.guide_year_id:
            self.partner_id = self.guide_year_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._sync_state_progress(vals)
            self._complete_reference(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._sync_state_progress(vals)
        self._complete_reference(vals)
        if "date_deadline" in vals:
            vals["reminder_date"] = False
        return super().write(vals)

    @api.model
    def _sync_state_progress(self, vals):
        """A done action is at 100 %, an action at 100 % is done."""
        if vals.get("state") == "done":
            vals["progress"] = 100
        elif vals.get("progress") == 100 and "state" not in vals:
            vals["state"] = "done"

    @api.model
    def _complete_reference(self, vals):
        """Theme and domain follow the question or domain chosen."""
        if vals.get("question_id"):
            question = self.env["ess.guide.question"].browse(vals["question_id"])
            vals["domain_id"] = question.domain_id.id
            vals["theme_id"] = question.theme_id.id
        elif vals.get("domain_id"):
            vals["theme_id"] = self.env["ess.guide.domain"].browse(vals["domain_id"]).theme_id.id

    # ----------------------------------------------------------------- deadlines
    def _reminder_user(self):
        """Who gets the reminder activity: the pilot when they use the back
        office, else the staff member who follows the action."""
        self.ensure_one()
        internal = self.pilot_id.user_ids.filtered(lambda u: not u.share)[:1]
        return internal or self.user_id

    @api.model
    def _cron_remind_deadlines(self):
        """Remind the pilots of the actions whose deadline comes within the
        configured number of days, once per deadline."""
        days = int(
            self.env["ir.config_parameter"].sudo().get_param("ess_network.action_reminder_days", 14)
        )
        today = fields.Date.context_today(self)
        actions = self.search(
            [
                ("state", "in", ("todo", "in_progress")),
                ("date_deadline", ">=", today),
                ("date_deadline", "<=", today + timedelta(days=days)),
                ("reminder_date", "=", False),
            ]
        )
        activity_type = self.env.ref("ess_network.mail_activity_type_action_deadline")
        template = self.env.ref("ess_network.mail_template_action_deadline")
        for action in actions:
            user = action._reminder_user()
            if user:
                action.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=action.date_deadline,
                    user_id=user.id,
                    summary=self.env._("Deadline of the action: %s", action.name),
                )
            if action.pilot_id.email and not (user and user.partner_id == action.pilot_id):
                action.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment", partner_ids=action.pilot_id.ids
                )
        actions.write({"reminder_date": today})
        return actions

    # --------------------------------------------------------------------- portal
    def _portal_is_editable_by(self, user):
        """Whether ``user``, a member, may update this action from the portal."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        return bool(organisation) and self.partner_id == organisation

    def _portal_update_progress(self, progress, state, comment, user):
        """Update the progress and status of this action as ``user``, a
        member, asked from the portal, with an optional comment in the chatter.

        ``self`` is the action read with sudo by the portal controller after
        its access check. This checks again that the action belongs to the
        user's organisation (else AccessError) and writes nothing when a
        value is wrong.

        :param str progress: the progress in %, a whole number from 0 to 100
        :param str state: the status (key of ``ACTION_STATES``)
        :param str comment: optional comment, posted as the user
        :return: the errors by form field name; empty when saved
        :rtype: dict
        """
        self.ensure_one()
        if not self._portal_is_editable_by(user):
            raise AccessError(self.env._("This action belongs to another organisation."))
        errors = {}
        try:
            progress = int(str(progress).strip())
        except ValueError:
            progress = None
        if progress is None or not 0 <= progress <= 100:
            errors["progress"] = self.env._("Enter a whole number from 0 to 100.")
        if state not in dict(ACTION_STATES):
            errors["state"] = self.env._("Choose a status in the list.")
        comment = (comment or "").replace("\r\n", "\n").strip()
        if len(comment) > PORTAL_COMMENT_LIMIT:
            errors["comment"] = self.env._("At most %s characters.", PORTAL_COMMENT_LIMIT)
        if errors:
            return errors
        if state == "done":
            progress = 100
        elif progress == 100 and state in ("todo", "in_progress"):
            state = "done"
        elif progress and state == "todo":
            state = "in_progress"
        vals = {
            name: value
            for name, value in (("progress", progress), ("state", state))
            if self[name] != value
        }
        action = self.with_user(user).sudo()
        try:
            with self.env.cr.savepoint():
                if vals:
                    action.write(vals)
                if comment:
                    action.message_post(
                        body=plaintext2html(comment),
                        author_id=user.partner_id.id,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
        except (UserError, ValidationError) as error:
            return {"form": str(error.args[0])}
        return {}
