from odoo import fields, models, tools

from .ess_membership import STATES as MEMBERSHIP_STATES
from .ess_phase_item import PHASES
from .res_partner import ORGANIZATION_KINDS

# What makes a new member "sponsored": a sponsorship that took place, or is
# taking place (a designated sponsor that never met the new member is not one).
SPONSORED_STATES = ("in_progress", "ended")


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
        ],
        "ess.sponsorship": ["membership_id", "state", "request_date", "sponsor_partner_id"],
        "ess.evaluation": ["partner_id", "company_id", "state", "date_completed"],
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
                           s.id IS NOT NULL AS sponsored,
                           CASE WHEN s.id IS NOT NULL THEN 'sponsored'
                                ELSE 'not_sponsored' END AS cohort,
                           s.id AS sponsorship_id,
                           s.sponsor_partner_id,
                           m.operational_date,
                           e.first_date AS first_evaluation_date,
                           -- (GREATEST would make a NULL 0)
                           CASE WHEN m.operational_date >= m.member_since
                                THEN m.operational_date - m.member_since
                                WHEN m.operational_date IS NOT NULL THEN 0
                           END AS days_to_operational,
                           e.first_date - m.member_since AS days_to_first_evaluation,
                           m.operational_date IS NOT NULL AS is_operational,
                           e.first_date IS NOT NULL AS is_evaluated,
                           CASE WHEN m.operational_date IS NOT NULL THEN 100.0 ELSE 0.0 END
                               AS operational_rate,
                           CASE WHEN e.first_date IS NOT NULL THEN 100.0 ELSE 0.0 END
                               AS evaluated_rate
                      FROM ess_membership m
                      -- its first sponsorship that took place
                      LEFT JOIN LATERAL (
                            SELECT sp.id, sp.sponsor_partner_id
                              FROM ess_sponsorship sp
                             WHERE sp.membership_id = m.id
                               AND sp.state IN %(sponsored)s
                             ORDER BY sp.request_date, sp.id
                             LIMIT 1
                      ) s ON TRUE
                      -- its first cross-evaluation completed as a member of that network
                      LEFT JOIN LATERAL (
                            SELECT MIN(ev.date_completed) AS first_date
                              FROM ess_evaluation ev
                             WHERE ev.partner_id = m.partner_id
                               AND ev.company_id = m.company_id
                               AND ev.state = 'completed'
                               AND ev.date_completed >= m.member_since
                      ) e ON TRUE
                     WHERE m.member_since IS NOT NULL
                )
                """,
                view=tools.SQL.identifier(self._table),
                sponsored=SPONSORED_STATES,
            )
        )
