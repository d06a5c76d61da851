from odoo import api, fields, models
from odoo.exceptions import ValidationError

# How many sponsorships at once an organisation may accept.
MAX_CAPACITY = 10
# The sponsorships a sponsor is busy with.
ACTIVE_STATES = ("designated", "in_progress")

# The five rules of seed 000 a sponsor must meet, in its order.
RULES = ("full_cycle", "conducted", "no_trade", "other_sector", "near")


class EssSponsor(models.Model):
    """A member organisation that volunteers to sponsor new members: the
    persons of it who act as sponsors, how many sponsorships it accepts at
    once, the modules it can lead, a pause.

    Withdrawing from the pool archives the profile: its history stays."""

    _name = "ess.sponsor"
    _description = "Volunteer sponsor"
    _inherit = ["ess.organisation.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        domain="[('is_company', '=', True), ('ess_member_state', '=', 'member')]"
    )
    active = fields.Boolean(default=True, tracking=True)
    volunteer_date = fields.Date(
        "Volunteer since", required=True, default=fields.Date.context_today, tracking=True
    )
    person_ids = fields.Many2many(
        "res.partner",
        "ess_sponsor_person_rel",
        "sponsor_id",
        "partner_id",
        "Sponsor persons",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="The persons of the organisation who meet the new members.",
    )
    person_names = fields.Char(
        "Names of the sponsor persons",
        compute="_compute_person_names",
        store=True,
        help="The names of the sponsor persons, as the pool's list shows them.",
    )
    capacity = fields.Integer(
        "Sponsorships at once",
        default=1,
        required=True,
        tracking=True,
        help="How many new members the organisation accepts to sponsor at the same time.",
    )
    module_ids = fields.Many2many(
        "ess.sponsorship.module",
        string="Modules it can lead",
        help="Empty: every module.",
    )
    paused_until = fields.Date(
        tracking=True, help="Until this date, the organisation is not proposed as a sponsor."
    )
    is_paused = fields.Boolean("Paused", compute="_compute_is_paused", search="_search_is_paused")
    withdrawal_date = fields.Date(tracking=True, copy=False)
    withdrawal_reason = fields.Text(tracking=True, copy=False)
    note = fields.Text(help="What the organisation brings, its experience, its availability.")

    sponsorship_ids = fields.One2many("ess.sponsorship", "sponsor_id", "Sponsorships")
    load = fields.Integer("Current sponsorships", compute="_compute_activity")
    ended_count = fields.Integer("Sponsorships ended", compute="_compute_activity")
    hours_given = fields.Float("Hours given", compute="_compute_activity")
    load_text = fields.Char("Load", compute="_compute_activity")

    # the organisation's profile, for the pool's lists and searches: stored,
    # the list reads them with the sponsors (no access check of each
    # organisation, no subquery in a search)
    employment_area_id = fields.Many2one(
        related="partner_id.ess_employment_area_id", string="Employment area", store=True
    )
    industry_id = fields.Many2one(
        related="partner_id.industry_id", string="Sector of activity", store=True
    )
    # rules 1 and 2, as the designation reads them for the whole pool
    has_completed_evaluation = fields.Boolean(
        related="partner_id.ess_has_completed_evaluation",
        string="Full cycle",
        store=True,
        help="The organisation has had a completed cross-evaluation.",
    )
    has_conducted_evaluation = fields.Boolean(
        related="partner_id.ess_has_conducted_evaluation",
        string="Evaluation conducted",
        store=True,
        help="The organisation has conducted an evaluation at another member.",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "An organisation has one volunteer profile in a network.",
        ),
    ]

    # ---------------------------------------------------------------- computes
    @api.depends("paused_until")
    def _compute_is_paused(self):
        today = fields.Date.context_today(self)
        for sponsor in self:
            sponsor.is_paused = bool(sponsor.paused_until and sponsor.paused_until >= today)

    def _search_is_paused(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError()
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("paused_until", ">=", today)]
        return ["|", ("paused_until", "=", False), ("paused_until", "<", today)]

    @api.depends("person_ids.name")
    def _compute_person_names(self):
        for sponsor in self:
            sponsor.person_names = ", ".join(sponsor.person_ids.mapped("name"))

    @api.depends_context("lang")
    def _compute_activity(self):
        activity = self._activity_figures()
        for sponsor in self:
            load, ended, hours = activity.get(sponsor.id, (0, 0, 0.0))
            sponsor.load = load
            sponsor.ended_count = ended
            sponsor.hours_given = hours
            sponsor.load_text = self.env._(
                "%(load)s / %(capacity)s", load=load, capacity=sponsor.capacity
            )

    def _activity_figures(self):
        """``{sponsor id: (current sponsorships, ended, hours given)}`` in
        two queries, whatever the number of sponsors."""
        if not self.ids:
            return {}
        Sponsorship = self.env["ess.sponsorship"].sudo()
        figures = {sponsor_id: [0, 0, 0.0] for sponsor_id in self.ids}
        for sponsor, state, count in Sponsorship._read_group(
            [("sponsor_id", "in", self.ids)], ["sponsor_id", "state"], ["__count"]
        ):
            if state in ACTIVE_STATES:
                figures[sponsor.id][0] += count
            elif state == "ended":
                figures[sponsor.id][1] += count
        for sponsor, hours in (
            self.env["ess.sponsorship.session.line"]
            .sudo()
            ._read_group(
                [("sponsor_id", "in", self.ids), ("session_id.state", "=", "held")],
                ["sponsor_id"],
                ["hours:sum"],
            )
        ):
            figures[sponsor.id][2] = hours
        return {key: tuple(value) for key, value in figures.items()}

    # ------------------------------------------------------------- constraints
    @api.constrains("capacity")
    def _check_capacity(self):
        for sponsor in self:
            if not 1 <= sponsor.capacity <= MAX_CAPACITY:
                raise ValidationError(
                    self.env._(
                        "An organisation accepts from 1 to %(max)s sponsorships at once, "
                        "not %(capacity)s.",
                        max=MAX_CAPACITY,
                        capacity=sponsor.capacity,
                    )
                )

    @api.constrains("person_ids", "partner_id")
    def _check_persons(self):
        self._check_persons_of_organisation("person_ids")

    # ------------------------------------------------------------------ pool
    def write(self, vals):
        withdrawn = self.browse()
        if vals.get("active") is False:
            withdrawn = self.filtered("active")
        res = super().write(vals)
        if withdrawn:
            withdrawn.sponsorship_ids._check_rules_still_hold()
        return res

    def action_withdraw(self):
        """Leave the pool: archived, the history stays; the sponsorships it
        leads are flagged for the pole."""
        self.write({"active": False, "withdrawal_date": fields.Date.context_today(self)})

    def action_rejoin(self):
        self.write({"active": True, "withdrawal_date": False, "withdrawal_reason": False})

    def action_view_sponsorships(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_sponsorship_action")
        action["domain"] = [("sponsor_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    @api.model
    def _pool_domain(self, company):
        """The volunteers of ``company``'s network that may be proposed: in
        the pool, not paused."""
        return [
            ("company_id", "=", company.id),
            ("active", "=", True),
            ("is_paused", "=", False),
        ]
