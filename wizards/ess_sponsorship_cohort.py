from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ess_sponsor_rules import SCORE_AVAILABILITY, SCORE_EXPERIENCE
from ..tools.assignment import best_assignment


class EssSponsorshipCohort(models.TransientModel):
    """Propose a sponsor for every request waiting for one, at once: the
    five rules checked for each request with the engine of the designation
    wizard, then one eligible sponsor per request chosen over the whole
    cohort (``tools.assignment``): as many requests as possible get a
    sponsor, the nearest overall, no sponsor beyond the room it has left.

    The pole manager may change a line's sponsor (an ineligible one, or one
    beyond its room, is a forced designation and needs its justification),
    then confirms them all at once: each line is a normal designation."""

    _name = "ess.sponsorship.cohort"
    _description = "Propose sponsors for the waiting requests"

    company_id = fields.Many2one(
        "res.company", "Network", required=True, readonly=True, default=lambda s: s.env.company
    )
    sponsorship_ids = fields.Many2many(
        "ess.sponsorship",
        "ess_sponsorship_cohort_request_rel",
        "cohort_id",
        "sponsorship_id",
        "Requests",
        readonly=True,
        help="The requests to propose a sponsor for (empty: every request waiting for one).",
    )
    line_ids = fields.One2many("ess.sponsorship.cohort.line", "cohort_id", "Proposals")
    free_slots = fields.Json(
        readonly=True, help="Per eligible sponsor, how many more sponsorships it accepts."
    )
    request_count = fields.Integer("Requests waiting", compute="_compute_counts")
    proposed_count = fields.Integer("With a sponsor", compute="_compute_counts")
    unmatched_count = fields.Integer("Without an eligible sponsor", compute="_compute_counts")
    forced_count = fields.Integer("Forced designations", compute="_compute_counts")

    @api.depends("line_ids.sponsor_id", "line_ids.eligible_count", "line_ids.forced")
    def _compute_counts(self):
        for cohort in self:
            lines = cohort.line_ids
            cohort.request_count = len(lines)
            cohort.proposed_count = len(lines.filtered("sponsor_id"))
            cohort.unmatched_count = len(lines.filtered(lambda line: not line.eligible_count))
            cohort.forced_count = len(lines.filtered("forced"))

    @api.model_create_multi
    def create(self, vals_list):
        cohorts = super().create(vals_list)
        for cohort in cohorts.filtered(lambda c: not c.line_ids):
            cohort._load_lines()
        return cohorts

    @api.model
    def _action_open(self, sponsorships=None):
        """Open the proposal for the selected ``sponsorships`` that wait for
        a sponsor, or for every request of the current network waiting for
        one."""
        if sponsorships:
            requests = sponsorships.filtered(lambda s: s.state == "requested")
            if not requests:
                raise UserError(
                    self.env._("None of the selected sponsorships is waiting for a sponsor.")
                )
            if len(requests.company_id) > 1:
                raise UserError(
                    self.env._(
                        "The selected requests belong to several networks: propose sponsors "
                        "for one network at a time."
                    )
                )
            vals = {"company_id": requests.company_id.id, "sponsorship_ids": requests.ids}
        else:
            vals = {"company_id": self.env.company.id}
        cohort = self.create(vals)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Propose sponsors for the waiting requests"),
            "res_model": self._name,
            "res_id": cohort.id,
            "view_mode": "form",
            "target": "new",
        }

    def _requests(self):
        self.ensure_one()
        if self.sponsorship_ids:
            return self.sponsorship_ids.filtered(
                lambda s: s.state == "requested" and s.company_id == self.company_id
            ).sorted(lambda s: (s.request_date, s.id))
        return self.env["ess.sponsorship"].search(
            [("company_id", "=", self.company_id.id), ("state", "=", "requested")],
            order="request_date, id",
        )

    def _load_lines(self):
        """One line per request, the oldest first, with the sponsor of the
        best assignment of the whole cohort. The rules are read once for all
        the requests (``ess.sponsor._sponsorship_candidates_many``)."""
        self.ensure_one()
        requests = self._requests()
        if not requests:
            raise UserError(self.env._("No request is waiting for a sponsor."))
        by_member = self.env["ess.sponsor"]._sponsorship_candidates_many(
            requests.partner_id, self.company_id, passing=True
        )
        # nearness first: a step of nearness is worth more than everything
        # else the whole cohort can gain (availability and experience)
        step = (SCORE_AVAILABILITY + SCORE_EXPERIENCE) * len(requests) + 1
        values, capacities, slot_values, scores = {}, {}, {}, {}
        for request in requests:
            scores[request.id] = {}
            for candidate in by_member[request.partner_id.id]:
                if not candidate["eligible"]:
                    continue
                sponsor = candidate["sponsor"].id
                values[request.id, sponsor] = candidate["nearness"] * step + candidate["experience"]
                scores[request.id][str(sponsor)] = [
                    candidate[part] for part in ("nearness", "availability", "experience", "score")
                ]
                if sponsor not in capacities:
                    free = candidate["capacity"] - candidate["load"]
                    capacities[sponsor] = free
                    # each further sponsorship leaves it less available
                    slot_values[sponsor] = [
                        round(SCORE_AVAILABILITY * (free - slot) / candidate["capacity"])
                        for slot in range(free)
                    ]
        assignment = best_assignment(values, capacities, slot_values)
        self.free_slots = {str(sponsor): free for sponsor, free in capacities.items()}
        self.env["ess.sponsorship.cohort.line"].create(
            [
                {
                    "cohort_id": self.id,
                    "sequence": sequence,
                    "sponsorship_id": request.id,
                    "eligible_sponsor_ids": [
                        fields.Command.set([int(sponsor) for sponsor in scores[request.id]])
                    ],
                    "scores": scores[request.id],
                    "proposed_sponsor_id": assignment.get(request.id, False),
                    "sponsor_id": assignment.get(request.id, False),
                }
                for sequence, request in enumerate(requests, start=1)
            ]
        )

    def _forced_lines(self):
        """The lines whose sponsor would be a forced designation: not
        eligible for the request, or beyond the room the sponsor has left
        once the lines above it in the cohort are counted."""
        self.ensure_one()
        forced = self.env["ess.sponsorship.cohort.line"]
        free = dict(self.free_slots or {})
        taken = {}
        for line in self.line_ids:
            # ids of the records behind: in a form's onchange, the eligible
            # sponsors are new records standing for them
            sponsor = line.sponsor_id._origin.id
            if not sponsor:
                continue
            if sponsor not in line.eligible_sponsor_ids._origin.ids:
                forced |= line
                continue
            key = str(sponsor)
            taken[key] = taken.get(key, 0) + 1
            if taken[key] > free.get(key, 0):
                forced |= line
        return forced

    def action_confirm(self):
        """Designate every line's sponsor, each by a normal designation; the
        forced ones last, each with its justification. All or nothing."""
        self.ensure_one()
        lines = self.line_ids.filtered("sponsor_id")
        if not lines:
            raise UserError(self.env._("No sponsor is proposed: there is nothing to confirm."))
        forced = self._forced_lines()
        missing = forced.filtered(lambda line: not (line.justification or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "These designations are forced (a rule fails or the sponsor has no room "
                    "left): write why for each of them, or choose an eligible sponsor: %s.",
                    ", ".join(missing.mapped("partner_id.name")),
                )
            )
        ordered = lines.filtered(lambda line: line not in forced) + lines.filtered(
            lambda line: line in forced
        )
        for line in ordered:
            line.sponsorship_id._designate(line.sponsor_id, justification=line.justification)
        return {"type": "ir.actions.act_window_close"}


class EssSponsorshipCohortLine(models.TransientModel):
    """A waiting request of the cohort and the sponsor proposed for it."""

    _name = "ess.sponsorship.cohort.line"
    _description = "Sponsor proposed for a waiting request"
    _order = "sequence, id"

    cohort_id = fields.Many2one("ess.sponsorship.cohort", required=True, ondelete="cascade")
    sequence = fields.Integer()
    company_id = fields.Many2one(related="cohort_id.company_id")
    sponsorship_id = fields.Many2one(
        "ess.sponsorship", "Request", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="sponsorship_id.partner_id", string="New member")
    employment_area_id = fields.Many2one(related="partner_id.ess_employment_area_id")
    request_date = fields.Date(related="sponsorship_id.request_date")
    eligible_sponsor_ids = fields.Many2many(
        "ess.sponsor",
        "ess_sponsorship_cohort_line_eligible_rel",
        "line_id",
        "sponsor_id",
        "Eligible sponsors",
        readonly=True,
    )
    eligible_count = fields.Integer("Eligible", compute="_compute_eligible_count")
    scores = fields.Json(readonly=True, help="Per eligible sponsor, the parts of its score.")
    proposed_sponsor_id = fields.Many2one("ess.sponsor", "Proposed sponsor", readonly=True)
    force = fields.Boolean(
        "Another sponsor",
        help="Choose among every volunteer of the pool, not only the eligible ones: a forced "
        "designation, with its justification.",
    )
    sponsor_id = fields.Many2one("ess.sponsor", help="Empty: the request keeps waiting.")
    justification = fields.Text("Justification of a forced designation")
    forced = fields.Boolean(compute="_compute_forced")
    status = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("changed", "Changed"),
            ("forced", "Forced"),
            ("waiting", "Keeps waiting"),
            ("none", "No eligible sponsor"),
        ],
        compute="_compute_forced",
    )
    nearness = fields.Integer(compute="_compute_score")
    availability = fields.Integer(compute="_compute_score")
    experience = fields.Integer(compute="_compute_score")
    score = fields.Integer(compute="_compute_score")

    @api.depends("eligible_sponsor_ids")
    def _compute_eligible_count(self):
        for line in self:
            line.eligible_count = len(line.eligible_sponsor_ids)

    @api.depends(
        "sponsor_id", "eligible_sponsor_ids", "proposed_sponsor_id", "cohort_id.line_ids.sponsor_id"
    )
    def _compute_forced(self):
        forced = self.browse()
        for cohort in self.cohort_id:
            forced |= cohort._forced_lines()
        for line in self:
            line.forced = line in forced
            line.status = (
                "forced"
                if line.forced
                else "proposed"
                if line.sponsor_id and line.sponsor_id._origin == line.proposed_sponsor_id._origin
                else "changed"
                if line.sponsor_id
                else "waiting"
                if line.eligible_sponsor_ids._origin
                else "none"
            )

    @api.depends("sponsor_id", "scores")
    def _compute_score(self):
        for line in self:
            parts = (line.scores or {}).get(str(line.sponsor_id._origin.id)) or [0, 0, 0, 0]
            line.nearness, line.availability, line.experience, line.score = parts
