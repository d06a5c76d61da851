from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# How many sponsorships at once an organisation may accept.
MAX_CAPACITY = 10
# The sponsorships a sponsor is busy with.
ACTIVE_STATES = ("designated", "in_progress")

# The five rules of seed 000 a sponsor must meet, in its order.
RULES = ("full_cycle", "conducted", "no_trade", "other_sector", "near")

# Parts of a candidate's score (see ``_sponsorship_candidates``): nearness
# always comes first, then the free share of its capacity, then experience.
SCORE_SAME_AREA, SCORE_NEIGHBOUR_AREA = 60, 30
SCORE_AVAILABILITY = 20
SCORE_EXPERIENCE, SCORE_PER_EXPERIENCE = 9, 3


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

    # the organisation's profile, for the pool's lists and searches
    employment_area_id = fields.Many2one(
        related="partner_id.ess_employment_area_id", string="Employment area"
    )
    industry_id = fields.Many2one(related="partner_id.industry_id", string="Sector of activity")

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
        for sponsor in self:
            strangers = sponsor.person_ids.filtered(
                lambda p, s=sponsor: p.commercial_partner_id != s.partner_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "The sponsor persons must belong to %(organisation)s: %(persons)s do not.",
                        organisation=sponsor.partner_id.name,
                        persons=", ".join(strangers.mapped("name")),
                    )
                )

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

    # ------------------------------------------------------------------ rules
    @api.model
    def _sponsorship_candidates(self, new_member, company, sponsors=None):
        """Check the five rules of seed 000 for every volunteer of the pool
        (or for ``sponsors``) as sponsor of ``new_member``, and rank them.

        The rules are read for the whole pool at once, in one query (see
        ``_candidate_facts``): the number of queries does not depend on the
        number of candidates. Each reason is worded once for all the
        candidates that share it.

        :param new_member: the organisation to sponsor
        :param company: the network
        :param sponsors: the volunteers to check (default: the pool of
            ``company``, not paused, without ``new_member`` itself)
        :return: one dict per candidate, the best first: ``sponsor``,
            ``rules`` (``{rule: (passes, reason)}`` in the order of
            ``RULES``), ``load``, ``capacity``, ``at_capacity``,
            ``eligible`` (every rule holds and not at capacity), the score's
            parts ``nearness``, ``availability``, ``experience`` and its
            ``score``
        """
        if sponsors is not None and not sponsors:
            return []
        member = new_member.sudo()
        member.fetch(["name", "industry_id", "ess_employment_area_id"])
        member_area = member.ess_employment_area_id
        neighbours = set(member_area.neighbour_ids.ids)
        facts = self._candidate_facts(member, company, sponsors)
        # the sectors and areas the reasons name, in the reader's language
        industries = (
            self.env["res.partner.industry"]
            .sudo()
            .browse({row[3] for row in facts if row[3]} | set(member.industry_id.ids))
        )
        areas = (
            self.env["ess.employment.area"]
            .sudo()
            .browse({row[4] for row in facts if row[4]} | set(member_area.ids))
        )
        industries.fetch(["name"])
        areas.fetch(["name"])
        records = {
            "other_sector": {industry.id: industry for industry in industries},
            "near": {area.id: area for area in areas},
        }
        reasons = {}

        def check(rule, *values):
            """``(passes, reason)`` of ``rule`` on these values of a
            candidate (ids, names, numbers), worded once for all."""
            key = (rule, *values)
            if key not in reasons:
                if rule in records:  # the sector's or area's record, for its name
                    values = (records[rule].get(values[0], False), *values[1:])
                reasons[key] = getattr(self, f"_rule_{rule}")(*values, member)
            return reasons[key]

        ranked, member_area_id = [], member_area.id
        for row in facts:
            sponsor_id, capacity, name, industry_id, area_id = row[:5]
            completed, conducted, evaluations, load, ended, trade = row[5:]
            neighbour = area_id in neighbours
            rules = {
                "full_cycle": check("full_cycle", completed),
                "conducted": check("conducted", conducted, evaluations),
                "no_trade": check("no_trade", trade, trade and name),
                "other_sector": check("other_sector", industry_id, not industry_id and name),
                "near": check("near", area_id, neighbour, not area_id and name),
            }
            at_capacity = load >= capacity
            nearness = (
                SCORE_SAME_AREA
                if area_id and area_id == member_area_id
                else SCORE_NEIGHBOUR_AREA
                if neighbour
                else 0
            )
            availability = round(SCORE_AVAILABILITY * max(capacity - load, 0) / capacity)
            experience = min(SCORE_EXPERIENCE, SCORE_PER_EXPERIENCE * (evaluations + ended))
            score = nearness + availability + experience
            eligible = not at_capacity and all(passes for passes, _r in rules.values())
            candidate = {
                "sponsor": self.browse(sponsor_id),
                "rules": rules,
                "load": load,
                "capacity": capacity,
                "at_capacity": at_capacity,
                "eligible": eligible,
                "evaluations": evaluations,
                "ended": ended,
                "nearness": nearness,
                "availability": availability,
                "experience": experience,
                "score": score,
            }
            ranked.append(((not eligible, -score, name, sponsor_id), candidate))
        ranked.sort(key=lambda item: item[0])
        return [candidate for _key, candidate in ranked]

    @api.model
    def _candidate_facts(self, member, company, sponsors=None):
        """What the five rules read, for every volunteer of the pool of
        ``company`` (or every one of ``sponsors``) as sponsor of ``member``,
        in one query.

        :return: one tuple per volunteer: its id, capacity, its
            organisation's name, sector and employment area ids (rules 4 and
            5), whether it had a completed cross-evaluation (rule 1), whether
            it conducted one (rule 2), the number of evaluations it
            conducted, its current load, its sponsorships ended, and the
            commercial relationship declared with the new member (rule 3):
            ``"member"`` when the new member declared it, ``"sponsor"`` when
            the volunteer did, else None. In the order of ``sponsors``.
        """
        if sponsors is None:
            pool = self.sudo()._search(
                [*self._pool_domain(company), ("partner_id", "!=", member.id)]
            )
            volunteers = SQL("s.id IN %s", pool.subselect())
        else:
            volunteers = SQL("s.id = ANY(%s)", sponsors.ids)
        self.env["res.partner"].flush_model(
            [
                "name",
                "industry_id",
                "ess_employment_area_id",
                "ess_has_completed_evaluation",
                "ess_has_conducted_evaluation",
                "ess_commercial_relation_ids",
            ]
        )
        self.flush_model(["partner_id", "capacity"])
        self.env["ess.sponsorship"].flush_model(["sponsor_id", "state"])
        self.env["ess.evaluation"].flush_model(["evaluator_partner_id", "state"])
        # execute_query flushes what the pool's subquery reads (pause…)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT s.id, s.capacity, p.name, p.industry_id, p.ess_employment_area_id,
                       COALESCE(p.ess_has_completed_evaluation, FALSE),
                       COALESCE(p.ess_has_conducted_evaluation, FALSE),
                       COALESCE(e.count, 0), COALESCE(sp.load, 0), COALESCE(sp.ended, 0),
                       trade.direction
                  FROM ess_sponsor s
                  JOIN res_partner p ON p.id = s.partner_id
                  LEFT JOIN (
                        SELECT evaluator_partner_id, COUNT(*) AS count
                          FROM ess_evaluation
                         WHERE state = 'completed'
                         GROUP BY evaluator_partner_id
                  ) e ON e.evaluator_partner_id = p.id
                  LEFT JOIN (
                        SELECT sponsor_id,
                               COUNT(*) FILTER (WHERE state IN %(active)s) AS load,
                               COUNT(*) FILTER (WHERE state = 'ended') AS ended
                          FROM ess_sponsorship
                         WHERE sponsor_id IS NOT NULL
                         GROUP BY sponsor_id
                  ) sp ON sp.sponsor_id = s.id
                  LEFT JOIN (
                        -- declared by the volunteer or by both: "sponsor"
                        SELECT other, MAX(direction) AS direction
                          FROM (SELECT related_partner_id AS other, 'member' AS direction
                                  FROM ess_partner_commercial_relation_rel
                                 WHERE partner_id = %(member)s
                                 UNION ALL
                                SELECT partner_id, 'sponsor'
                                  FROM ess_partner_commercial_relation_rel
                                 WHERE related_partner_id = %(member)s) AS declared
                         GROUP BY other
                  ) trade ON trade.other = p.id
                 WHERE %(volunteers)s
                """,
                member=member.id,
                volunteers=volunteers,
                active=ACTIVE_STATES,
            )
        )
        if sponsors is None:
            return rows
        order = {sponsor_id: index for index, sponsor_id in enumerate(sponsors.ids)}
        return sorted(rows, key=lambda row: order[row[0]])

    # one method per rule, on the facts it reads, the new member last: the
    # reason in words, passing or failing
    def _rule_full_cycle(self, completed, member):
        if completed:
            return True, self.env._("Has had a completed cross-evaluation (full cycle).")
        return False, self.env._("Has not yet had a completed cross-evaluation (no full cycle).")

    def _rule_conducted(self, conducted, evaluations, member):
        if conducted:
            return True, self.env._(
                "Has conducted %s completed evaluation(s) at other members.", evaluations or 1
            )
        return False, self.env._("Has never conducted an evaluation at another member.")

    def _rule_no_trade(self, direction, sponsor_name, member):
        if not direction:
            return True, self.env._("No declared commercial relationship with %s.", member.name)
        if direction == "sponsor":
            return False, self.env._(
                "%(sponsor)s declared a commercial relationship with %(member)s.",
                sponsor=sponsor_name,
                member=member.name,
            )
        return False, self.env._(
            "%(member)s declared a commercial relationship with %(sponsor)s.",
            sponsor=sponsor_name,
            member=member.name,
        )

    def _rule_other_sector(self, industry, sponsor_name, member):
        if not industry or not member.industry_id:
            return False, self.env._(
                "The sector of activity of %s is not filled in: the rule cannot be checked.",
                member.name if not member.industry_id else sponsor_name,
            )
        if industry == member.industry_id:
            return False, self.env._(
                "Same sector of activity as the new member: %s.", industry.name
            )
        return True, self.env._(
            "Another sector of activity: %(sponsor)s (new member: %(member)s).",
            sponsor=industry.name,
            member=member.industry_id.name,
        )

    def _rule_near(self, area, neighbour, sponsor_name, member):
        member_area = member.ess_employment_area_id
        if not area or not member_area:
            return False, self.env._(
                "The employment area of %s is not filled in: the rule cannot be checked.",
                member.name if not member_area else sponsor_name,
            )
        if area == member_area:
            return True, self.env._("Same employment area: %s.", area.name)
        if neighbour:
            return True, self.env._(
                "Neighbouring employment area: %(area)s, next to %(member)s.",
                area=area.name,
                member=member_area.name,
            )
        return False, self.env._(
            "Employment area %(area)s is far from the new member's (%(member)s).",
            area=area.name,
            member=member_area.name,
        )

    @api.model
    def _rule_labels(self):
        return {
            "full_cycle": self.env._("Full cycle"),
            "conducted": self.env._("Evaluation conducted"),
            "no_trade": self.env._("No commercial relationship"),
            "other_sector": self.env._("Another sector"),
            "near": self.env._("Nearby employment area"),
        }

    # ---------------------------------------------------------------- portal
    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for sponsor in self:
            sponsor.access_url = "/my/sponsor"

    @api.model
    def _portal_volunteer(self, user, values):
        """Create or update the volunteer profile of ``user``'s
        organisation from typed ``values`` (``person_ids``, ``capacity``,
        ``module_ids``, ``paused_until``, ``note``), bringing it back to
        the pool when it had withdrawn.

        :return: ``(profile, errors)``
        """
        organisation = user.commercial_partner_id
        profile = (
            self.sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", organisation.id)], limit=1)
        )
        vals = {
            "person_ids": values["person_ids"].ids,
            "capacity": values["capacity"],
            "module_ids": values["module_ids"].ids,
            "paused_until": values.get("paused_until") or False,
            "note": values.get("note") or False,
        }
        if not profile:
            membership = organisation.sudo().ess_membership_id
            if organisation.sudo().ess_member_state != "member":
                return profile, {
                    "form": self.env._("Only a member organisation can volunteer as a sponsor.")
                }
            try:
                with self.env.cr.savepoint():
                    profile = self.sudo().create(
                        {
                            "partner_id": organisation.id,
                            "company_id": membership.company_id.id,
                            "user_id": False,
                            **vals,
                        }
                    )
                    profile.message_post(
                        body=self.env._("Volunteered through the portal by %s.", user.name),
                        author_id=user.partner_id.id,
                        message_type="comment",
                        subtype_xmlid="mail.mt_note",
                    )
            except ValidationError as error:
                return self.browse(), {"form": str(error.args[0])}
            return profile, {}
        if not profile.active:
            vals.update(active=True, withdrawal_date=False, withdrawal_reason=False)
        changes = self._portal_differences(profile, vals)
        if not changes:
            return profile, {}
        errors = profile._portal_write(
            user,
            {profile: changes},
            post=lambda record: record._portal_post_changes(
                user,
                self.env._("Volunteer profile updated through the portal by %s.", user.name),
                tracked=changes,
            ),
        )
        return profile, errors

    def _portal_withdraw(self, user, reason):
        """Withdraw from the pool, as ``user`` of the organisation."""
        self.ensure_one()
        return self._portal_write(
            user,
            {
                self: {
                    "active": False,
                    "withdrawal_date": fields.Date.context_today(self),
                    "withdrawal_reason": reason or False,
                }
            },
            post=lambda record: record._portal_post_changes(
                user,
                self.env._("Withdrawn from the pool through the portal by %s.", user.name),
                tracked=("active",),
            ),
        )
