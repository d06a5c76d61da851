from odoo import api, fields, models, tools
from odoo.osv import expression
from odoo.tools.sql import create_index

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

# The rank in the funnel of the stages a file can be at before membership.
STATE_RANKS = {"request": 1, "presentation": 2, "validated": 3, "meeting": 4, "signature": 5}

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
    funnel_rank = fields.Integer(
        "Furthest stage of the funnel",
        compute="_compute_funnel_rank",
        store=True,
        aggregator=False,
        help="The last stage of the adhesion funnel the file reached (1: the request, "
        "7: the operational phase), refused or withdrawn since.",
    )

    def _auto_init(self):
        res = super()._auto_init()
        # the adhesion funnel's list: its files, latest request first
        create_index(
            self.env.cr,
            "ess_membership_funnel_order_index",
            self._table,
            ["request_date DESC", "id DESC"],
        )
        return res

    @api.depends(
        "state",
        "phase",
        "presentation_date",
        "decision_date",
        "meeting_scheduled_date",
        "meeting_held_date",
        "member_since",
        "operational_date",
    )
    def _compute_funnel_rank(self):
        """The current stage tells what was reached, and so does the date of
        any later stage (a refused request never reached validation,
        although it has its decision date)."""
        for membership in self:
            if membership.state == "member":
                rank = 7 if membership.phase == "operational" else 6
            else:
                rank = STATE_RANKS.get(membership.state, 1)
            dates = [
                membership.presentation_date,
                membership.state != "refused" and membership.decision_date,
                membership.meeting_scheduled_date,
                membership.meeting_held_date,
                membership.member_since,
                membership.operational_date,
            ]
            for stage, day in enumerate(dates, start=2):
                if day:
                    rank = max(rank, stage)
            membership.funnel_rank = rank

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
    _order = "request_date desc, membership_id.id desc, stage"
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
            "funnel_rank",
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
    funnel_rank = fields.Integer("Furthest stage of the funnel", readonly=True, aggregator=False)

    # The fields of a line that are its file's (the same column of the file);
    # the others are the stage's.
    _file_fields = (
        "membership_id",
        "partner_id",
        "company_id",
        "user_id",
        "organization_kind",
        "origin",
        "state",
        "request_date",
        "funnel_rank",
    )

    @property
    def _table_sql(self):
        # one row per file (see _read_group): the lines' file columns
        table_sql = super()._table_sql
        if self.env.context.get("ess_funnel_files"):
            columns = ", ".join(f"m.{name}" for name in self._file_fields[1:])
            # (with the fields to flush first, as for the view)
            return tools.SQL().join(
                [
                    tools.SQL(
                        f"(SELECT m.id AS id, m.id AS membership_id, {columns} "
                        "FROM ess_membership m)"
                    ),
                    *(tools.SQL(to_flush=field) for field in table_sql.to_flush),
                ]
            )
        return table_sql

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """The pivot and the graph read the files, not their lines (one per
        stage reached): the files grouped by their furthest stage give each
        stage's lines, files reaching it and conversion, the same numbers
        from six times fewer rows. A grouping, a domain or an aggregate that
        only the lines give reads the lines."""
        if not (offset or limit):
            result = self._read_group_from_files(domain, groupby, aggregates, having, order)
            if result is not None:
                return result
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    @api.model
    def _read_group_from_files(self, domain, groupby, aggregates, having, order):
        if having:
            return None
        groupby, aggregates = list(groupby), list(aggregates)
        if order and order.replace(" ", "") != ",".join(groupby):
            return None
        measures = ("__count", "reached:sum", "conversion_rate:avg")
        if any(spec not in measures for spec in aggregates):
            return None
        keys = [spec for spec in groupby if spec != "stage"]
        if any(spec.split(":")[0] not in self._file_fields for spec in keys):
            return None
        if "stage" in groupby and groupby.index("stage") not in (0, len(groupby) - 1):
            return None
        for leaf in expression.normalize_domain(domain):
            if isinstance(leaf, list | tuple) and tuple(leaf) not in (
                expression.TRUE_LEAF,
                expression.FALSE_LEAF,
            ):
                if len(leaf) != 3 or leaf[0].split(".")[0] not in self._file_fields:
                    return None
        files = super(EssMembershipFunnel, self.with_context(ess_funnel_files=True))
        rows = files._read_group(
            domain,
            [*keys, "funnel_rank"],
            ["__count"],
            order=",".join([*keys, "funnel_rank"]) if order else None,
        )
        # per group of the keys (in their order): per stage, its lines and
        # the files reaching it
        groups = {}
        stages = [key for key, _label in FUNNEL_STAGES]
        for *values, rank, count in rows:
            group = groups.setdefault(tuple(values), [[0, 0] for _stage in stages])
            rank = rank or 0
            for sequence in range(1, min(rank + 1, len(stages)) + 1):
                group[sequence - 1][0] += count
                if sequence <= rank:
                    group[sequence - 1][1] += count

        def measures(lines, reached):
            values = []
            for spec in aggregates:
                if spec == "__count":
                    values.append(lines)
                elif spec == "reached:sum":
                    values.append(reached)
                else:
                    values.append(100.0 * reached / lines if lines else None)
            return values

        result = []
        for index, (values, counts) in enumerate(groups.items()):
            if "stage" not in groupby:
                lines = sum(c[0] for c in counts)
                reached = sum(c[1] for c in counts)
                if lines:
                    result.append((index, "", (*values, *measures(lines, reached))))
                continue
            for stage, (lines, reached) in zip(stages, counts, strict=True):
                if not lines:
                    continue
                row = [*values]
                row.insert(groupby.index("stage"), stage)
                row.extend(measures(lines, reached))
                sort = (stage, index) if groupby[0] == "stage" else (index, stage)
                result.append((*sort, tuple(row)))
        if not groupby and not result:
            # no file: the totals of no line
            return [tuple(0 if spec == "__count" else False for spec in aggregates)]
        result.sort(key=lambda r: r[:2])
        return [r[2] for r in result]

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
        # one line per file and per stage up to the one after the furthest
        # it reached (its stored rank), each line's values read from its
        # file alone
        dates = "\n".join(
            f"WHEN {k} THEN {column}" for k, column in enumerate(self._stage_columns(), start=1)
        )
        stages = ", ".join(f"'{key}'" for key, _label in FUNNEL_STAGES)
        sequences = ", ".join(str(k) for k in range(1, len(FUNNEL_STAGES) + 1))
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
                           m.funnel_rank,
                           -- in the C collation: sorted and grouped as bytes
                           (ARRAY[%(stages)s]::varchar[])[s.sequence] COLLATE "C" AS stage,
                           s.sequence AS stage_sequence,
                           CASE WHEN s.sequence <= m.funnel_rank
                                THEN CASE s.sequence %(dates)s END
                           END AS date_reached,
                           CASE WHEN s.sequence <= m.funnel_rank THEN 1 ELSE 0 END AS reached,
                           CASE WHEN s.sequence <= m.funnel_rank THEN 100.0 ELSE 0.0 END
                               AS conversion_rate
                      FROM ess_membership m
                     CROSS JOIN LATERAL unnest(
                            (ARRAY[%(sequences)s])[1:COALESCE(m.funnel_rank, 0) + 1]
                     ) AS s(sequence)
                )
                """,
                view=tools.SQL.identifier(self._table),
                dates=tools.SQL(dates),  # pylint: disable=sql-injection
                stages=tools.SQL(stages),  # pylint: disable=sql-injection
                sequences=tools.SQL(sequences),  # pylint: disable=sql-injection
            )
        )
