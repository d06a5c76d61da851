from odoo import api, fields, models, tools

from .ess_membership import STATES as MEMBERSHIP_STATES
from .res_partner import ORGANIZATION_KINDS

# The stages of the adhesion funnel, in process order (seed 000's integration
# phase, then the member's operational phase). The keys sort in that order:
# pivot and graph views order the groups of a selection by its keys.
FUNNEL_STAGES = [
    ("1_request", "Adhesion request"),
    ("2_presentation", "Approach presented"),
    ("3_validated", "Validated"),
    ("4_meeting", "Integration meeting"),
    ("5_signature", "Convention and Charter"),
    ("6_member", "Member"),
    ("7_operational", "Operational phase"),
]

# The stage of a file and the field holding the day it reached it.
STAGE_DATES = {
    "presentation": "presentation_date",
    "validated": "decision_date",
    "meeting": "meeting_scheduled_date",
    "signature": "meeting_held_date",
    "member": "member_since",
}


class EssMembership(models.Model):
    """The day a membership file reached each stage, for the adhesion
    funnel: each step stores its own (the buttons set most of them; a stage
    written directly, as by the kanban, is dated the day it is written)."""

    _inherit = "ess.membership"

    meeting_scheduled_date = fields.Date(
        "Integration meeting scheduled on",
        copy=False,
        readonly=True,
        help="The day the first integration meeting was scheduled.",
    )

    def write(self, vals):
        new_state = vals.get("state")
        changing = self.filtered(lambda m: m.state != new_state) if new_state else self
        result = super().write(vals)
        date_field = STAGE_DATES.get(new_state)
        if date_field and changing:
            undated = changing.filtered(lambda m: not m[date_field])
            if undated:
                today = fields.Date.context_today(self)
                super(EssMembership, undated).write({date_field: today})
        return result


class EssMembershipFunnel(models.Model):
    """The adhesion funnel: how many files reached each stage, in process
    order, and the conversion from one stage to the next, per period of the
    request.

    One line per file and per stage it could reach: the first stage, and
    each stage after one it reached. ``reached`` counts the files that
    reached the stage; ``conversion_rate`` (an average) is then the share of
    the files that reached the previous stage and went on to this one,
    whatever the grouping (month, quarter or year of the request, kind of
    organisation, network). A file that reached a stage reached every stage
    before it, refused or withdrawn since: a request refused after the
    presentation of the approach counts as presented.

    Read-only: a PostgreSQL view over the membership files, archived ones
    included (the multi-company record rule keeps each staff to its
    networks)."""

    _name = "ess.membership.funnel"
    _description = "Adhesion funnel"
    _auto = False
    _order = "request_date desc, membership_id, stage"
    _rec_name = "stage"
    _depends = {
        "ess.membership": [
            "partner_id",
            "company_id",
            "user_id",
            "state",
            "phase",
            "origin",
            "organization_kind",
            "request_date",
            "presentation_date",
            "decision_date",
            "meeting_scheduled_date",
            "meeting_held_date",
            "member_since",
            "operational_date",
            "active",
        ],
    }

    membership_id = fields.Many2one("ess.membership", "Membership file", readonly=True)
    partner_id = fields.Many2one("res.partner", "Organisation", readonly=True)
    company_id = fields.Many2one("res.company", "Network", readonly=True)
    user_id = fields.Many2one("res.users", "Responsible", readonly=True)
    organization_kind = fields.Selection(ORGANIZATION_KINDS, "Kind of organisation", readonly=True)
    origin = fields.Selection(
        [("staff", "Entered by the network"), ("public_form", "Public form")], readonly=True
    )
    state = fields.Selection(MEMBERSHIP_STATES, "Current stage", readonly=True)
    request_date = fields.Date("Requested on", readonly=True)
    stage = fields.Selection(FUNNEL_STAGES, readonly=True)
    stage_sequence = fields.Integer("Stage order", readonly=True, aggregator=False)
    date_reached = fields.Date("Reached on", readonly=True)
    reached = fields.Integer(
        "Files reaching the stage",
        readonly=True,
        help="The files that reached the stage (and every stage before it).",
    )
    conversion_rate = fields.Float(
        "Conversion from the previous stage (%)",
        readonly=True,
        aggregator="avg",
        help="Among the files that reached the previous stage, the share that reached this "
        "one. 100 % for the adhesion request.",
    )

    @api.model
    def _stage_columns(self):
        """The day each stage was reached, as SQL over the file ``m``: a
        refused request never reached validation, although it has its
        decision date."""
        return [
            "m.request_date",
            "m.presentation_date",
            "CASE WHEN m.state != 'refused' THEN m.decision_date END",
            "m.meeting_scheduled_date",
            "m.meeting_held_date",
            "m.member_since",
            "m.operational_date",
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        columns = self._stage_columns()
        count = len(FUNNEL_STAGES)
        # the current stage tells what was reached too (dates missing)
        rank = (
            "CASE m.state WHEN 'request' THEN 1 WHEN 'presentation' THEN 2 "
            "WHEN 'validated' THEN 3 WHEN 'meeting' THEN 4 WHEN 'signature' THEN 5 "
            "WHEN 'member' THEN (CASE WHEN m.phase = 'operational' THEN 7 ELSE 6 END) "
            "ELSE 1 END"
        )
        # stage k is reached when the file is there or further, or when
        # stage k or any later one has its date
        reached = [
            f"({rank} >= {k} OR "
            + " OR ".join(f"{column} IS NOT NULL" for column in columns[k - 1 :])
            + ")"
            for k in range(1, count + 1)
        ]
        values = ",\n".join(
            f"({k}, '{key}', {columns[k - 1]}, {reached[k - 1]}, "
            f"{'TRUE' if k == 1 else reached[k - 2]})"
            for k, (key, _label) in enumerate(FUNNEL_STAGES, start=1)
        )
        self.env.cr.execute(
            tools.SQL(
                """
                CREATE OR REPLACE VIEW %(view)s AS (
                    SELECT m.id * 10 + s.sequence AS id,
                           m.id AS membership_id,
                           m.partner_id,
                           m.company_id,
                           m.user_id,
                           m.organization_kind,
                           m.origin,
                           m.state,
                           m.request_date,
                           s.stage,
                           s.sequence AS stage_sequence,
                           CASE WHEN s.reached THEN s.date_reached END AS date_reached,
                           CASE WHEN s.reached THEN 1 ELSE 0 END AS reached,
                           CASE WHEN s.reached THEN 100.0 ELSE 0.0 END AS conversion_rate
                      FROM ess_membership m
                     CROSS JOIN LATERAL (
                            VALUES %(values)s
                     ) AS s(sequence, stage, date_reached, reached, candidate)
                     WHERE s.candidate
                )
                """,
                view=tools.SQL.identifier(self._table),
                values=tools.SQL(values),  # pylint: disable=sql-injection
            )
        )
