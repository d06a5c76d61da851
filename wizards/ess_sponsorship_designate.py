from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ess_sponsor import RULES


class EssSponsorshipDesignate(models.TransientModel):
    """Designate the sponsor of a new member: the volunteers of the pool
    (not paused) for which the five rules of seed 000 hold, each with their
    reasons, the eligible ones first, ranked by nearness, load and
    experience; every other volunteer of the pool on demand (or at once
    when no volunteer meets the rules). Choosing an ineligible candidate is
    a forced designation: only for the pole's manager, with a written
    justification."""

    _name = "ess.sponsorship.designate"
    _description = "Designate a sponsor"

    sponsorship_id = fields.Many2one(
        "ess.sponsorship", required=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(related="sponsorship_id.partner_id", string="New member")
    employment_area_id = fields.Many2one(related="partner_id.ess_employment_area_id")
    industry_id = fields.Many2one(related="partner_id.industry_id", string="Sector of activity")
    module_ids = fields.Many2many(related="sponsorship_id.module_ids")
    needs = fields.Text(related="sponsorship_id.needs")
    line_ids = fields.One2many("ess.sponsorship.designate.line", "wizard_id", "Candidates")
    eligible_count = fields.Integer(compute="_compute_counts")
    candidate_count = fields.Integer(compute="_compute_counts")
    volunteer_count = fields.Integer(
        "Volunteers in the pool",
        compute="_compute_volunteer_count",
        help="The volunteers not paused, the new member left out.",
    )
    hidden_count = fields.Integer("Volunteers not shown", compute="_compute_counts")
    show_all = fields.Boolean(
        "Every volunteer shown",
        readonly=True,
        help="Also shown: the volunteers for which a rule fails, for a forced designation.",
    )
    justification = fields.Text(
        "Justification of a forced designation",
        help="Required to designate a candidate that does not meet every rule or is at its "
        "capacity.",
    )

    @api.depends("sponsorship_id")
    def _compute_volunteer_count(self):
        Sponsor = self.env["ess.sponsor"].sudo()
        for wizard in self:
            sponsorship = wizard.sponsorship_id
            wizard.volunteer_count = Sponsor.search_count(
                [
                    *Sponsor._pool_domain(sponsorship.company_id),
                    ("partner_id", "!=", sponsorship.partner_id.id),
                ]
            )

    @api.depends("line_ids.eligible", "volunteer_count")
    def _compute_counts(self):
        for wizard in self:
            wizard.candidate_count = len(wizard.line_ids)
            wizard.eligible_count = len(wizard.line_ids.filtered("eligible"))
            wizard.hidden_count = max(wizard.volunteer_count - wizard.candidate_count, 0)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards.filtered(lambda w: not w.line_ids):
            wizard._load_candidates()
        return wizards

    def _load_candidates(self, show_all=False):
        """One line per candidate, the best first, created at once: the
        volunteers for which the five rules hold, or every volunteer of the
        pool with ``show_all`` or when none of them meets the rules."""
        self.ensure_one()
        sponsorship = self.sponsorship_id
        if sponsorship.state != "requested":
            raise UserError(
                self.env._(
                    "%(sponsorship)s is no longer waiting for a sponsor (%(state)s): there is "
                    "nobody to designate.",
                    sponsorship=sponsorship.display_name,
                    state=sponsorship._state_label(),
                )
            )
        candidates = [] if show_all else sponsorship._candidates(passing=True)
        if not candidates:
            candidates = sponsorship._candidates()
            self.show_all = True
        self.line_ids.unlink()
        values = self.line_ids._values_list(candidates)
        self.env["ess.sponsorship.designate.line"].create(
            [
                {"wizard_id": self.id, "rank": rank, **vals}
                for rank, vals in enumerate(values, start=1)
            ]
        )

    def action_show_all(self):
        """Show every volunteer of the pool, those for which a rule fails too
        (for a forced designation), and stay in the wizard."""
        self.ensure_one()
        self._load_candidates(show_all=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Designate a sponsor"),
        }

    def _designate(self, line):
        self.ensure_one()
        if line.wizard_id != self:
            raise UserError(self.env._("This candidate was not proposed for this request."))
        # the rules are checked again: the pool may have changed since the
        # wizard opened
        self.sponsorship_id._designate(line.sponsor_id, justification=self.justification)
        return {"type": "ir.actions.act_window_close"}


class EssSponsorshipDesignateLine(models.TransientModel):
    """A candidate of the designation wizard: the five rules, its load and
    the parts of its score."""

    _name = "ess.sponsorship.designate.line"
    _description = "Candidate sponsor"
    _order = "rank"

    wizard_id = fields.Many2one("ess.sponsorship.designate", required=True, ondelete="cascade")
    rank = fields.Integer()
    sponsor_id = fields.Many2one("ess.sponsor", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="sponsor_id.partner_id", string="Candidate")
    employment_area_id = fields.Many2one(related="partner_id.ess_employment_area_id")
    industry_id = fields.Many2one(related="partner_id.industry_id", string="Sector")
    eligible = fields.Boolean()
    at_capacity = fields.Boolean()
    status = fields.Selection(
        [
            ("eligible", "Eligible"),
            ("at_capacity", "At capacity"),
            ("ineligible", "A rule fails"),
        ]
    )
    rule_full_cycle = fields.Boolean("Full cycle")
    rule_conducted = fields.Boolean("Evaluation conducted")
    rule_no_trade = fields.Boolean("No commercial relationship")
    rule_other_sector = fields.Boolean("Another sector")
    rule_near = fields.Boolean("Nearby area")
    reasons = fields.Text(help="Why the candidate is not eligible, or how near it is.")
    rules_text = fields.Text("The five rules", help="Each rule of seed 000, with its reason.")
    load = fields.Integer("Current sponsorships")
    capacity = fields.Integer()
    evaluations = fields.Integer("Evaluations conducted")
    ended = fields.Integer("Sponsorships ended")
    nearness = fields.Integer()
    availability = fields.Integer()
    experience = fields.Integer()
    score = fields.Integer()

    @api.model
    def _values_list(self, candidates):
        """The values of the lines of ``candidates``; the labels of the rules
        and the sentence of a rule are translated once for all."""
        Sponsor = self.env["ess.sponsor"]
        labels = Sponsor._rule_labels()
        detail = self.env._("%(mark)s %(rule)s: %(reason)s")
        return [self._values(candidate, labels, detail) for candidate in candidates]

    @api.model
    def _values(self, candidate, labels, detail):
        rules = candidate["rules"]
        load = self.env["ess.sponsor"]._load_sentence(candidate)
        reasons = [reason for passes, reason in rules.values() if not passes]
        if candidate["at_capacity"]:
            reasons.append(load)
        if not reasons:
            reasons = [rules["near"][1]]
        details = [
            detail % {"mark": "✔" if passes else "✘", "rule": labels[rule], "reason": reason}
            for rule, (passes, reason) in rules.items()
        ]
        details.append(load)
        return {
            "sponsor_id": candidate["sponsor"].id,
            "eligible": candidate["eligible"],
            "at_capacity": candidate["at_capacity"],
            "status": "eligible"
            if candidate["eligible"]
            else "at_capacity"
            if all(passes for passes, _r in rules.values())
            else "ineligible",
            **{f"rule_{rule}": rules[rule][0] for rule in RULES},
            "reasons": "\n".join(reasons),
            "rules_text": "\n".join(details),
            "load": candidate["load"],
            "capacity": candidate["capacity"],
            "evaluations": candidate["evaluations"],
            "ended": candidate["ended"],
            "nearness": candidate["nearness"],
            "availability": candidate["availability"],
            "experience": candidate["experience"],
            "score": candidate["score"],
        }

    def action_designate(self):
        self.ensure_one()
        return self.wizard_id._designate(self)
