from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import plaintext2html
from odoo.tools.sql import create_index

from ..tools.scheduling import CRON_BATCH_SIZE, plan_activities, run_in_batches

ACTION_STATES = [
    ("todo", "To do"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

ACTION_ORIGINS = [
    ("guide", "Good-practice guide"),
    ("self_assessment", "Self-assessment"),
    ("evaluation", "Evaluation improvement point"),
    ("stakeholder", "Stakeholder request"),
    ("other", "Other"),
]


class EssAction(models.Model):
    """An action of a member organisation's action plan (seed 002, step 8):
    what is done to reach an objective, by whom, with which budget, by when.

    The action plan of a closed guide year is closed with it: like the
    year's lines, its actions are read-only but for network administrators
    (``ess.guide.year._check_unlocked``), in the back end, over RPC and on
    the portal; no action is created in it nor moved into or out of it."""

    _name = "ess.action"
    _description = "Action plan action"
    _inherit = [
        "ess.organisation.mixin",
        "ess.guide.topic.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "priority desc, date_deadline, id desc"

    name = fields.Char("Action", required=True, tracking=True)
    guide_year_id = fields.Many2one(
        "ess.guide.year",
        "Guide year",
        index=True,
        tracking=True,
        domain="[('partner_id', '=', partner_id)]",
        check_company=True,
    )
    theme_id = fields.Many2one(tracking=True)
    theme_short_name = fields.Char(related="theme_id.short_name", string="Theme (short)")
    question_id = fields.Many2one(
        "ess.guide.question",
        "Question or indicator",
        domain="[('domain_id', '=?', domain_id), ('theme_id', '=?', theme_id)]",
        check_company=True,
    )
    pilot_id = fields.Many2one(
        "res.partner",
        tracking=True,
        domain="['|', ('parent_id', '=', partner_id), ('id', '=', partner_id)]",
        help="Who carries the action in the organisation.",
        check_company=True,
    )
    user_id = fields.Many2one(
        help="Network staff member reminded of the deadline when the pilot has no "
        "back-office access."
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
        "ess.assessment",
        "Self-assessment",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
    evaluation_point_id = fields.Many2one(
        "ess.evaluation.point",
        "Improvement point",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )
    # related, so read as superuser: the organisation's own evaluation, whose
    # improvement point the action comes from (the evaluated organisation's)
    evaluation_id = fields.Many2one(
        related="evaluation_point_id.evaluation_id", string="Cross-evaluation"
    )
    reminder_date = fields.Date("Deadline reminder sent on", copy=False, readonly=True)

    def init(self):  # pylint: disable=missing-return
        super().init()
        # the pivot of the action plans (the open actions by theme and status,
        # with the company of the multi-company record rule and the budget
        # they sum) read from the index alone
        create_index(
            self.env.cr,
            "ess_action_pivot_index",
            self._table,
            ["state", "theme_id", "company_id", "budget"],
            where="active",
        )
        # the list's first page of the open actions (the action's default
        # filter) in the model's order: 80 entries of the index, no sort
        create_index(
            self.env.cr,
            "ess_action_open_order_index",
            self._table,
            ["priority DESC", "date_deadline", "id DESC"],
            where="active AND state IN ('todo', 'in_progress')",
        )

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

    @api.model
    def _value_problems(self, vals):
        """What is wrong in the budget, progress and dates of ``vals``, by
        field name, each a sentence to show beside the field or the cell;
        the constraints, the portal and the spreadsheet import all check
        actions with it."""
        problems = {}
        budget, progress = vals.get("budget"), vals.get("progress")
        if budget is not None and budget is not False and budget < 0:
            problems["budget"] = self.env._("a budget cannot be negative.")
        if progress is not None and progress is not False and not 0 <= progress <= 100:
            problems["progress"] = self.env._(
                "the progress is a percentage between 0 and 100, not %s.", format(progress, "g")
            )
        start, deadline = vals.get("date_start"), vals.get("date_deadline")
        if start and deadline and deadline < start:
            problems["date_deadline"] = self.env._(
                "the deadline of an action cannot precede its start."
            )
        return problems

    @api.constrains("progress", "budget", "date_start", "date_deadline")
    def _check_values(self):
        for action in self:
            problems = self._value_problems(
                {
                    name: action[name]
                    for name in ("budget", "progress", "date_start", "date_deadline")
                }
            )
            if problems:
                message = next(iter(problems.values()))
                raise ValidationError(message[:1].upper() + message[1:])

    @api.constrains(
        "partner_id", "guide_year_id", "pilot_id", "assessment_id", "evaluation_point_id"
    )
    def _check_organisation(self):
        for action in self:
            if action.guide_year_id and action.guide_year_id.partner_id != action.partner_id:
                raise ValidationError(
                    self.env._(
                        "The action and its guide year must belong to the same organisation."
                    )
                )
            # its members read the action's origin (evaluation_id is related)
            origin = action.evaluation_point_id or action.assessment_id
            if origin and origin.partner_id != action.partner_id:
                raise ValidationError(
                    self.env._(
                        "The action and the self-assessment or evaluation it comes from must "
                        "belong to the same organisation."
                    )
                )
            if action.pilot_id and action.pilot_id.commercial_partner_id != action.partner_id:
                raise ValidationError(
                    self.env._(
                        "The pilot of an action is a person of the organisation %s.",
                        action.partner_id.name,
                    )
                )

    @api.onchange("question_id")
    def _onchange_question_id(self):
        if self.question_id:
            self.domain_id = self.question_id.domain_id

    @api.onchange("guide_year_id")
    def _onchange_guide_year_id(self):
        if self.guide_year_id:
            self.partner_id = self.guide_year_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ess.guide.year"].browse(
            {vals["guide_year_id"] for vals in vals_list if vals.get("guide_year_id")}
        )._check_unlocked()
        for vals in vals_list:
            self._sync_state_progress(vals)
            self._complete_reference(vals)
        return super().create(vals_list)

    def write(self, vals):
        guides = self.guide_year_id
        if vals.get("guide_year_id"):
            guides |= guides.browse(vals["guide_year_id"])
        guides._check_unlocked(vals)
        self._sync_state_progress(vals)
        self._complete_reference(vals)
        if "date_deadline" in vals:
            vals["reminder_date"] = False
        return super().write(vals)

    @api.model
    def _sync_state_progress(self, vals):
        """One rule for the status and the progress of an action, in the
        back end, the portal and the spreadsheet import: a done action is at
        100 %; an action at 100 % is done (unless it is cancelled); an action
        to do that has progressed is in progress."""
        state, progress = vals.get("state"), vals.get("progress")
        if state == "done":
            vals["progress"] = 100
        elif progress == 100 and state in (None, "todo", "in_progress"):
            vals["state"] = "done"
        elif progress and state == "todo":
            vals["state"] = "in_progress"

    @api.model
    def _complete_reference(self, vals):
        """The domain follows the question chosen, and the theme the domain
        (``ess.guide.topic.mixin``), whatever theme ``vals`` names."""
        if vals.get("question_id"):
            vals["domain_id"] = (
                self.env["ess.guide.question"].browse(vals["question_id"]).domain_id.id
            )
        if vals.get("domain_id"):
            vals.pop("theme_id", None)

    # ----------------------------------------------------------------- deadlines
    def _reminder_user(self):
        """Who gets the reminder activity: the pilot when they use the back
        office, else the staff member who follows the action."""
        self.ensure_one()
        internal = self.pilot_id.user_ids.filtered(lambda u: not u.share)[:1]
        return internal or self.user_id

    @api.model
    def _cron_remind_deadlines(self, batch_size=CRON_BATCH_SIZE):
        """Remind the pilots of the actions whose deadline comes within the
        number of days their network set, once per deadline: in batches
        (``tools/scheduling.py``), each one's activities planned together and
        its e-mails rendered together, so that a batch's queries do not grow
        with its size.

        :return: the actions reminded
        """
        today = fields.Date.context_today(self)
        last_day = {
            company: today + timedelta(days=company.ess_action_reminder_days)
            for company in self.env["res.company"].sudo().search([])
        }
        within = expression.OR(
            [[("company_id", "=", c.id), ("date_deadline", "<=", d)] for c, d in last_day.items()]
        )
        actions = self.search(
            [
                ("state", "in", ("todo", "in_progress")),
                ("date_deadline", ">=", today),
                ("reminder_date", "=", False),
                *within,
            ],
            order="date_deadline, id",
        )
        reminded = []

        def remind(batch):
            batch._remind_deadline(today)
            reminded.extend(batch.ids)

        run_in_batches(actions, remind, batch_size)
        return self.browse(reminded)

    def _remind_deadline(self, today):
        """Plan the reminder activity of each action for whom it is for (see
        :meth:`_reminder_user`) and e-mail its pilot, unless the pilot is that
        user: in the action's chatter, in the pilot's language."""
        users = {action: action._reminder_user() for action in self}
        plan_activities(
            self.env.ref("ess_network.mail_activity_type_action_deadline"),
            list(users.items()),
            # in the language of whom it is for: the summary is stored
            lambda action: action.env._("Deadline of the action: %s", action.name),
            date=lambda action: action.date_deadline,
        )
        mailed = self.filtered(
            lambda action: action.pilot_id.email
            and not (users[action] and users[action].partner_id == action.pilot_id)
        )
        if mailed:
            self.env.ref("ess_network.mail_template_action_deadline").send_mail_batch(mailed.ids)
        self.write({"reminder_date": today})

    # ---------------------------------------------------------------- origins
    @api.model
    def _create_from_origin(self, source, vals, message):
        """Create an action of an organisation's action plan from what a
        self-assessment or a cross-evaluation found, and say so in a note on
        ``source`` (the assessment or the evaluation).

        The action goes to the organisation's current guide year, unless that
        year is closed (then to no year).

        :param source: the record the action comes from
        :param dict vals: the action's values: ``partner_id`` (the
            organisation), ``origin`` and the link to its source at least
        :param message: the note posted on ``source``
        :return: the action created
        """
        guide = self.env["res.partner"].browse(vals["partner_id"])._ess_current_guide_year()
        action = self.create(
            {"guide_year_id": guide.id if guide.state != "closed" else False, **vals}
        )
        source.message_post(body=message, message_type="notification", subtype_xmlid="mail.mt_note")
        return action

    # --------------------------------------------------------------------- portal
    def _portal_is_open(self):
        return self.guide_year_id.state != "closed"

    def _portal_closed_message(self):
        return self.env._(
            "The guide of this action is closed: the action can no longer be changed."
        )

    def _portal_update_progress(self, vals, comment, user):
        """Update the progress and status of this action as ``user``, a
        member, asked from the portal, with an optional comment in the
        chatter; nothing is written when the models refuse a value.

        ``self`` is the action read with sudo by the portal controller after
        its access check; this checks again that the action belongs to the
        user's organisation (else AccessError).

        :param dict vals: the progress (int) and status the member changed
        :param comment: the comment (text), or False
        :return: the errors by form field name; empty when saved
        :rtype: dict
        """
        errors = self._portal_check_open(user)
        if errors:
            return errors
        pair = {"state": self.state, "progress": self.progress, **vals}
        self._sync_state_progress(pair)
        changes = self._portal_differences(self, pair)

        def work(action):
            if changes:
                action.write(changes)
            if comment:
                action.message_post(
                    body=plaintext2html(comment),
                    author_id=user.partner_id.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

        return self._portal_run(user, work)[1]
