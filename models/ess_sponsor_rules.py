"""The five rules of seed 000 a sponsor must meet, checked for the whole
pool at once, and the ranking of the candidates: the one place the
designation wizard, the cohort proposal and the alerts on sponsorships
under way ask."""

from odoo import api, models
from odoo.tools import SQL

from .ess_sponsor import ACTIVE_STATES

# Parts of a candidate's score (see ``_sponsorship_candidates``): nearness
# always comes first, then the free share of its capacity, then experience.
SCORE_SAME_AREA, SCORE_NEIGHBOUR_AREA = 60, 30
SCORE_AVAILABILITY = 20
SCORE_EXPERIENCE, SCORE_PER_EXPERIENCE = 9, 3


class EssSponsor(models.Model):
    _inherit = "ess.sponsor"

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
                  -- counted for the volunteers only (their indexes), not for
                  -- every evaluator and sponsor of the database
                  LEFT JOIN LATERAL (
                        SELECT COUNT(*) AS count
                          FROM ess_evaluation
                         WHERE evaluator_partner_id = p.id AND state = 'completed'
                  ) e ON TRUE
                  LEFT JOIN LATERAL (
                        SELECT COUNT(*) FILTER (WHERE state IN %(active)s) AS load,
                               COUNT(*) FILTER (WHERE state = 'ended') AS ended
                          FROM ess_sponsorship
                         WHERE sponsor_id = s.id
                  ) sp ON TRUE
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
                 WHERE partner_id = ANY(%(members)s) OR related_partner_id = ANY(%(members)s)
                """,
                # the relationships of the new members, few: those with the
                # candidates are kept below (not a list of the pool in the query)
                members=list(member_ids),
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
                "The sector of activity of the organisation “%s” is not filled in: the rule cannot "
                "be checked.",
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
                "The employment area of the organisation “%s” is not filled in: the rule cannot be "
                "checked.",
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
    def _load_sentence(self, candidate):
        """A candidate's load in words, as a label and figures so that no
        word has to agree with a number: "At capacity: 1 under way, for a
        capacity of 1." when it is full, else "Sponsorships under way: 0
        (capacity: 1)."
        """
        if candidate["at_capacity"]:
            return self.env._(
                "At capacity: %(load)s under way, for a capacity of %(capacity)s.",
                load=candidate["load"],
                capacity=candidate["capacity"],
            )
        return self.env._(
            "Sponsorships under way: %(load)s (capacity: %(capacity)s).",
            load=candidate["load"],
            capacity=candidate["capacity"],
        )

    def _rule_labels(self):
        return {
            "full_cycle": self.env._("Full cycle"),
            "conducted": self.env._("Evaluation conducted"),
            "no_trade": self.env._("No commercial relationship"),
            "other_sector": self.env._("Another sector"),
            "near": self.env._("Nearby employment area"),
        }
