from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
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

    # ------------------------------------------------------------------ rules
    @api.model
    def _sponsorship_candidates(self, new_member, company, sponsors=None):
        """Check the five rules of seed 000 for every volunteer of the pool
        (or for ``sponsors``) as sponsor of ``new_member``, and rank them.

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
        return self._sponsorship_candidates_many(new_member, company, sponsors=sponsors).get(
            new_member.id, []
        )

    @api.model
    def _sponsorship_candidates_many(self, new_members, company, sponsors=None):
        """:meth:`_sponsorship_candidates` for several new members at once
        (a cohort of waiting requests, the sponsorships of one sponsor).

        The rules are read for the whole pool at once: what they read of
        each volunteer in one query (``_candidate_facts``), the declared
        commercial relationships of all the new members in another
        (``_trading_pairs``). The number of queries depends neither on the
        number of candidates nor on the number of new members. Each reason
        is worded once for all the candidates that share it.

        :return: ``{new member id: candidates, the best first}``
        """
        members = new_members.sudo()
        if (sponsors is not None and not sponsors) or not members:
            return {member.id: [] for member in members}
        members.fetch(["name", "industry_id", "ess_employment_area_id"])
        # an archived neighbour is still next door
        member_areas = members.ess_employment_area_id.with_context(active_test=False)
        member_areas.fetch(["name", "neighbour_ids"])
        neighbours_of = {area.id: set(area.neighbour_ids.ids) for area in member_areas}
        facts = self._candidate_facts(company, sponsors)
        trading = self._trading_pairs(members.ids, [row[2] for row in facts])
        # the sectors and areas the reasons name, in the reader's language
        industries = (
            self.env["res.partner.industry"]
            .sudo()
            .browse({row[4] for row in facts if row[4]} | set(members.industry_id.ids))
        )
        areas = (
            self.env["ess.employment.area"]
            .sudo()
            .with_context(active_test=False)
            .browse({row[5] for row in facts if row[5]} | set(member_areas.ids))
        )
        industries.fetch(["name"])
        areas.fetch(["name"])
        records = {
            "other_sector": {industry.id: industry for industry in industries},
            "near": {area.id: area for area in areas},
        }
        result = {}
        for member in members:
            check = self._rule_checker(member, records)
            member_area_id = member.ess_employment_area_id.id
            neighbours = neighbours_of.get(member_area_id, set())
            ranked = []
            for row in facts:
                sponsor_id, capacity, partner_id, name, industry_id, area_id = row[:6]
                completed, conducted, evaluations, load, ended = row[6:]
                if sponsors is None and partner_id == member.id:
                    continue  # never proposed as its own sponsor
                trade = trading.get((member.id, partner_id))
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
                ranked.append(((not eligible, -score, name or "", sponsor_id), candidate))
            ranked.sort(key=lambda item: item[0])
            result[member.id] = [candidate for _key, candidate in ranked]
        return result

    @api.model
    def _rule_checker(self, member, records):
        """A function giving ``(passes, reason)`` of a rule on the values of
        a candidate (ids, names, numbers) for ``member``, each reason worded
        once for all the candidates that share it.

        :param records: ``{rule: {id: record}}``, the sectors and areas whose
            names the reasons give
        """
        reasons = {}

        def check(rule, *values):
            key = (rule, *values)
            if key not in reasons:
                if rule in records:  # the sector's or area's record, for its name
                    values = (records[rule].get(values[0], False), *values[1:])
                reasons[key] = getattr(self, f"_rule_{rule}")(*values, member)
            return reasons[key]

        return check

    @api.model
    def _candidate_facts(self, company, sponsors=None):
        """What the rules read of every volunteer of the pool of ``company``
        (or of every one of ``sponsors``), in one query.

        :return: one tuple per volunteer: its id, capacity, its
            organisation's id, name, sector and employment area ids (rules
            4 and 5), whether it had a completed cross-evaluation (rule 1),
            whether it conducted one (rule 2), the number of evaluations it
            conducted, its current load and its sponsorships ended. In the
            order of ``sponsors``.
        """
        if sponsors is None:
            pool = self.sudo()._search(self._pool_domain(company))
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
            ]
        )
        self.flush_model(["partner_id", "capacity"])
        self.env["ess.sponsorship"].flush_model(["sponsor_id", "state"])
        self.env["ess.evaluation"].flush_model(["evaluator_partner_id", "state"])
        # execute_query flushes what the pool's subquery reads (pause…)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT s.id, s.capacity, p.id, p.name, p.industry_id, p.ess_employment_area_id,
                       COALESCE(p.ess_has_completed_evaluation, FALSE),
                       COALESCE(p.ess_has_conducted_evaluation, FALSE),
                       COALESCE(e.count, 0), COALESCE(sp.load, 0), COALESCE(sp.ended, 0)
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
                 WHERE %(volunteers)s
                """,
                volunteers=volunteers,
                active=ACTIVE_STATES,
            )
        )
        if sponsors is None:
            return rows
        order = {sponsor_id: index for index, sponsor_id in enumerate(sponsors.ids)}
        return sorted(rows, key=lambda row: order[row[0]])

    @api.model
    def _trading_pairs(self, member_ids, partner_ids):
        """``{(member id, partner id): direction}`` for the pairs of one of
        ``member_ids`` and one of ``partner_ids`` linked by a declared
        commercial relationship (rule 3), in either direction: ``"member"``
        when the new member declared it, ``"sponsor"`` when the sponsor did
        (it wins when both did). One query."""
        if not member_ids or not partner_ids:
            return {}
        self.env["res.partner"].flush_model(["ess_commercial_relation_ids"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, related_partner_id
                  FROM ess_partner_commercial_relation_rel
                 WHERE (partner_id = ANY(%(members)s) AND related_partner_id = ANY(%(partners)s))
                    OR (related_partner_id = ANY(%(members)s) AND partner_id = ANY(%(partners)s))
                """,
                members=list(member_ids),
                partners=list(partner_ids),
            )
        )
        members, partners = set(member_ids), set(partner_ids)
        trading = {}
        for declarer, other in rows:
            if declarer in members and other in partners:
                trading.setdefault((declarer, other), "member")
            if other in members and declarer in partners:
                trading[(other, declarer)] = "sponsor"
        return trading

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
    def _portal_profile(self, organisation):
        """The volunteer profile of ``organisation``, withdrawn or not, read
        with sudo; empty when it never volunteered."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", organisation.id)], order="active desc, id desc", limit=1)
        )

    @api.model
    def _portal_check_profile(self, values, organisation, company):
        """The errors of the typed ``values`` of a volunteer profile of
        ``organisation`` in the network ``company``, by form field."""
        env = self.env
        errors = {}
        if "person_ids" in values:
            persons = env["ess.sponsorship"]._portal_persons(organisation)
            if not set(values["person_ids"]) <= set(persons.ids):
                errors["person_ids"] = env._(
                    "Choose the sponsor persons among the people of your organisation."
                )
            elif not values["person_ids"]:
                errors["person_ids"] = env._(
                    "Name at least one person of your organisation who will meet the new members."
                )
        if "capacity" in values:
            capacity = values["capacity"]
            if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
                errors["capacity"] = env._(
                    "Enter a whole number from %(minimum)s to %(maximum)s.",
                    minimum=1,
                    maximum=MAX_CAPACITY,
                )
        if "module_ids" in values:
            modules = env["ess.sponsorship"]._portal_modules(company)
            if not set(values["module_ids"]) <= set(modules.ids):
                errors["module_ids"] = env._("Choose modules in the list.")
        if values.get("paused_until") and values["paused_until"] < fields.Date.context_today(self):
            errors["paused_until"] = env._(
                "A pause ends on a date to come: leave it empty when your organisation is "
                "available."
            )
        return errors

    @api.model
    def _portal_volunteer(self, user, values):
        """Create or update the volunteer profile of ``user``'s
        organisation from typed ``values``, bringing it back to the pool when
        it had withdrawn; nothing is written when a value is refused.

        :param dict values: the values the member gave (all of them for a
            new profile): ``person_ids`` (ids of persons of the
            organisation, one at least), ``capacity`` (int), ``module_ids``
            (ids of modules of its network; none: every module),
            ``paused_until`` (a date to come, or False), ``note`` (text or
            False)
        :return: ``(profile, errors)``: the profile (with sudo) and the
            errors by form field (``form`` for the whole form)
        """
        organisation = user.commercial_partner_id
        if not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation volunteer as sponsors.")
            )
        profile = self._portal_profile(organisation)
        is_member = organisation.sudo().ess_member_state == "member"
        if not is_member and not profile.active:
            return profile, {
                "form": self.env._("Only a member organisation can volunteer as a sponsor.")
            }
        company = profile.company_id or organisation.sudo().ess_membership_id.company_id
        errors = self._portal_check_profile(values, organisation, company)
        if errors:
            return profile, errors
        vals = {
            name: [Command.set(sorted(value))] if name in ("person_ids", "module_ids") else value
            for name, value in values.items()
        }
        if not profile:
            try:
                with self.env.cr.savepoint():
                    profile = (
                        self.with_user(user)
                        .sudo()
                        .with_context(mail_create_nolog=True)
                        .create({"partner_id": organisation.id, "company_id": company.id, **vals})
                    )
                    profile._portal_post_changes(
                        user, self.env._("Volunteered through the portal by %s.", user.name)
                    )
            except (UserError, ValidationError) as error:
                return self.sudo().browse(), {"form": str(error.args[0])}
            return self.sudo().browse(profile.id), {}
        changes = {
            name: vals[name]
            for name in self._portal_differences(
                profile,
                {
                    name: sorted(value) if name in ("person_ids", "module_ids") else value
                    for name, value in values.items()
                },
            )
        }
        if not profile.active:
            changes.update(active=True, withdrawal_date=False, withdrawal_reason=False)
            intro = self.env._("Back in the pool of sponsors through the portal by %s.", user.name)
        else:
            intro = self.env._("Volunteer profile updated through the portal by %s.", user.name)
        if not changes:
            return profile, {}
        labels = [
            self._fields[name].get_description(self.env)["string"]
            for name in changes
            if name not in ("active", "withdrawal_date", "withdrawal_reason")
        ]
        errors = profile._portal_write(
            user,
            {profile: changes},
            post=lambda record: record._portal_post_changes(
                user, intro, labels, tracked=list(changes)
            ),
        )
        return profile, errors

    def _portal_withdraw(self, user, reason):
        """Withdraw from the pool, as ``user`` of the organisation, with the
        reason (text); the sponsorships it leads are flagged for the pole.

        :return: the errors by form field; empty when done
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        if not self.active:
            return {"form": self.env._("Your organisation has already withdrawn from the pool.")}
        if not reason:
            return {"withdrawal_reason": self.env._("Write why your organisation withdraws.")}
        return self._portal_write(
            user,
            {
                self: {
                    "active": False,
                    "withdrawal_date": fields.Date.context_today(self),
                    "withdrawal_reason": reason,
                }
            },
            post=lambda record: record._portal_post_changes(
                user,
                self.env._("Withdrawn from the pool through the portal by %s.", user.name),
                [reason],
                tracked=("active",),
            ),
        )
