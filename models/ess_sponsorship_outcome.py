from odoo import api, fields, models, tools
from odoo.tools.sql import create_index

from .ess_membership import STATES as MEMBERSHIP_STATES
from .ess_phase_item import PHASES
from .res_partner import ORGANIZATION_KINDS

# What makes a new member "sponsored": a sponsorship that took place, or is
# taking place (a designated sponsor that never met the new member is not one).
SPONSORED_STATES = ("in_progress", "ended")


class EssMembership(models.Model):
    """What the sponsorship outcome reads of a membership file, stored on
    it: its first sponsorship that took place and its first completed
    cross-evaluation, instead of looking them up for every member at every
    read."""

    _inherit = "ess.membership"

    first_sponsorship_id = fields.Many2one(
        "ess.sponsorship",
        "First sponsorship",
        compute="_compute_first_sponsorship_id",
        store=True,
        help="The file's first sponsorship that took place or is taking place.",
    )
    first_evaluation_date = fields.Date(
        "First completed cross-evaluation",
        compute="_compute_first_evaluation_date",
        store=True,
        help="The first cross-evaluation of the organisation completed in this network "
        "since its membership.",
    )

    def _auto_init(self):
        res = super()._auto_init()
        # the sponsorship outcome's list: its members, latest first
        create_index(
            self.env.cr,
            "ess_membership_outcome_order_index",
            self._table,
            ["member_since DESC", "id DESC"],
            where="member_since IS NOT NULL",
        )
        return res

    @api.depends("sponsorship_ids.state", "sponsorship_ids.request_date")
    def _compute_first_sponsorship_id(self):
        for membership in self:
            # (the records being created, not yet in the database, come
            # back once they are)
            held = membership.sponsorship_ids.filtered(
                lambda s: s.id and s.state in SPONSORED_STATES
            )
            membership.first_sponsorship_id = held.sorted(lambda s: (s.request_date, s.id))[:1]

    @api.depends(
        "partner_id",
        "company_id",
        "member_since",
        "partner_id.ess_evaluation_ids.company_id",
        "partner_id.ess_evaluation_ids.state",
        "partner_id.ess_evaluation_ids.date_completed",
    )
    def _compute_first_evaluation_date(self):
        for membership in self:
            since = membership.member_since
            dates = [
                evaluation.date_completed
                for evaluation in membership.partner_id.ess_evaluation_ids
                if since
                and evaluation.id
                and evaluation.state == "completed"
                and evaluation.company_id == membership.company_id
                and evaluation.date_completed
                and evaluation.date_completed >= since
            ]
            membership.first_evaluation_date = min(dates, default=False)


class EssSponsorshipOutcome(models.Model):
    """Does sponsorship help? One line per member (a membership file that
    reached membership): the days from its membership to the operational
    phase and to its first completed cross-evaluation, sponsored new members
    beside the others.

    A member that has not reached a step yet has no delay for it (NULL, left
    out of the averages); the ``*_rate`` measures tell how many reached it.
    Read-only: a PostgreSQL view over the membership files, sponsorships and
    evaluations of every network (the multi-company record rule keeps each
    staff to its networks)."""

    _name = "ess.sponsorship.outcome"
    _description = "Sponsorship outcome"
    _auto = False
    _order = "member_since desc, id desc"
    _rec_name = "partner_id"
    # the ORM writes these to the database before reading the view
    _depends = {
        "ess.membership": [
            "partner_id",
            "company_id",
            "state",
            "phase",
            "member_since",
            "operational_date",
            "employment_area_id",
            "industry_id",
            "organization_kind",
            "first_sponsorship_id",
            "first_evaluation_date",
        ],
        "ess.sponsorship": ["sponsor_partner_id"],
    }

    membership_id = fields.Many2one("ess.membership", "Membership file", readonly=True)
    partner_id = fields.Many2one("res.partner", "Organisation", readonly=True)
    company_id = fields.Many2one("res.company", "Network", readonly=True)
    state = fields.Selection(MEMBERSHIP_STATES, "Stage", readonly=True)
    phase = fields.Selection(PHASES, readonly=True)
    employment_area_id = fields.Many2one("ess.employment.area", "Employment area", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", "Sector of activity", readonly=True)
    organization_kind = fields.Selection(ORGANIZATION_KINDS, "Kind of organisation", readonly=True)
    member_since = fields.Date(readonly=True)
    member_year = fields.Integer("Year of membership", readonly=True, aggregator=False)

    sponsored = fields.Boolean(
        readonly=True,
        help="The new member has had a sponsorship, ended or in progress.",
    )
    cohort = fields.Selection(
        [("sponsored", "Sponsored"), ("not_sponsored", "Not sponsored")],
        "Sponsored or not",
        readonly=True,
    )
    sponsorship_id = fields.Many2one("ess.sponsorship", readonly=True)
    sponsor_partner_id = fields.Many2one("res.partner", "Sponsor organisation", readonly=True)

    operational_date = fields.Date("Operational phase started on", readonly=True)
    first_evaluation_date = fields.Date("First completed cross-evaluation", readonly=True)
    days_to_operational = fields.Integer(
        "Days to the operational phase",
        readonly=True,
        aggregator="avg",
        help="From membership to the start of the operational phase; members not there yet "
        "are left out of the average.",
    )
    days_to_first_evaluation = fields.Integer(
        "Days to the first completed evaluation",
        readonly=True,
        aggregator="avg",
        help="From membership to the first completed cross-evaluation of the member; members "
        "not evaluated yet are left out of the average.",
    )
    is_operational = fields.Boolean("Operational phase reached", readonly=True)
    is_evaluated = fields.Boolean("Evaluated", readonly=True)
    operational_rate = fields.Float(
        "Reached the operational phase (%)", readonly=True, aggregator="avg"
    )
    evaluated_rate = fields.Float("Evaluated (%)", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            tools.SQL(
                """
                CREATE OR REPLACE VIEW %(view)s AS (
                    SELECT m.id AS id,
                           m.id AS membership_id,
                           m.partner_id,
                           m.company_id,
                           m.state,
                           m.phase,
                           m.employment_area_id,
                           m.industry_id,
                           m.organization_kind,
                           m.member_since,
                           EXTRACT(YEAR FROM m.member_since)::integer AS member_year,
                           m.first_sponsorship_id IS NOT NULL AS sponsored,
                           CASE WHEN m.first_sponsorship_id IS NOT NULL THEN 'sponsored'
                                ELSE 'not_sponsored' END AS cohort,
                           m.first_sponsorship_id AS sponsorship_id,
                           s.sponsor_partner_id,
                           m.operational_date,
                           m.first_evaluation_date,
                           -- (GREATEST would make a NULL 0)
                           CASE WHEN m.operational_date >= m.member_since
                                THEN m.operational_date - m.member_since
                                WHEN m.operational_date IS NOT NULL THEN 0
                           END AS days_to_operational,
                           m.first_evaluation_date - m.member_since AS days_to_first_evaluation,
                           m.operational_date IS NOT NULL AS is_operational,
                           m.first_evaluation_date IS NOT NULL AS is_evaluated,
                           CASE WHEN m.operational_date IS NOT NULL THEN 100.0 ELSE 0.0 END
                               AS operational_rate,
                           CASE WHEN m.first_evaluation_date IS NOT NULL THEN 100.0 ELSE 0.0 END
                               AS evaluated_rate
                      FROM ess_membership m
                      -- its first sponsorship that took place (stored on the file;
                      -- a LEFT JOIN on the primary key, left out when unused)
                      LEFT JOIN ess_sponsorship s ON s.id = m.first_sponsorship_id
                     WHERE m.member_since IS NOT NULL
                )
                """,
                view=tools.SQL.identifier(self._table),
            )
        )
