"""The five rules of seed 000 a sponsor must meet, checked for the whole
pool at once, and the ranking of the candidates: the one place the
designation wizard, the cohort proposal and the alerts on sponsorships
under way ask."""

from collections import namedtuple
from collections.abc import Mapping

from odoo import api, models
from odoo.tools import SQL

from .ess_sponsor import ACTIVE_STATES, RULES

# Parts of a candidate's score (see ``_sponsorship_candidates``): nearness
# always comes first, then the free share of its capacity, then experience.
SCORE_SAME_AREA, SCORE_NEIGHBOUR_AREA = 60, 30
SCORE_AVAILABILITY = 20
SCORE_EXPERIENCE, SCORE_PER_EXPERIENCE = 9, 3

# A row of ``_candidate_facts``: a new member and a volunteer, the verdicts
# of the five rules and what the ranking and the reasons read.
CandidateFacts = namedtuple(
    "CandidateFacts",
    "member_id sponsor_id capacity partner_id name industry_id area_id "
    "full_cycle conducted evaluations load ended trade other_sector near",
)


class CandidateRules(Mapping):
    """The five rules of one candidate: whether each holds (``passes``,
    read by the facts query) and, only when asked, its reason in words:
    ``rules[rule]`` is ``(passes, reason)``, in the order of ``RULES``.

    The ranking of a pool of hundreds words no reason; a line shown to the
    pole, a designation or an alert words those it shows."""

    __slots__ = ("_facts", "_word", "passes")

    def __init__(self, passes, facts, word):
        self.passes = passes
        self._facts = facts
        self._word = word

    def __getitem__(self, rule):
        return self.passes[rule], self._word(rule, self.passes[rule], self._facts)

    def __iter__(self):
        return iter(RULES)

    def __len__(self):
        return len(RULES)

    def failed(self):
        """The rules that do not hold, in the order of ``RULES``."""
        return [rule for rule in RULES if not self.passes[rule]]


class EssSponsor(models.Model):
    _inherit = "ess.sponsor"

    @api.model
    def _sponsorship_candidates(self, new_member, company, sponsors=None, passing=False):
        """Check the five rules of seed 000 for every volunteer of the pool
        (or for ``sponsors``) as sponsor of ``new_member``, and rank them.

        :param new_member: the organisation to sponsor
        :param company: the network
        :param sponsors: the volunteers to check (default: the pool of
            ``company``, not paused, without ``new_member`` itself)
        :param passing: only the candidates for which the five rules hold
            (eligible, or at their capacity): what the designation proposes
            first, the others are shown on demand
        :return: one dict per candidate, the best first: ``sponsor``,
            ``rules`` (a :class:`CandidateRules`: ``{rule: (passes,
            reason)}`` in the order of ``RULES``, the reason worded when
            read), ``load``, ``capacity``, ``at_capacity``, ``eligible``
            (every rule holds and not at capacity), the score's parts
            ``nearness``, ``availability``, ``experience`` and its ``score``
        """
        return self._sponsorship_candidates_many(
            new_member, company, sponsors=sponsors, passing=passing
        ).get(new_member.id, [])

    @api.model
    def _sponsorship_candidates_many(self, new_members, company, sponsors=None, passing=False):
        """:meth:`_sponsorship_candidates` for several new members at once
        (a cohort of waiting requests, the sponsorships of one sponsor).

        One query checks the five rules for every pair of a new member and
        a volunteer (``_candidate_facts``), whatever the number of either;
        the reasons are worded only when read, each once for all the
        candidates that share it.

        :return: ``{new member id: candidates, the best first}``
        """
        members = new_members.sudo()
        if (sponsors is not None and not sponsors) or not members:
            return {member.id: [] for member in members}
        rows = self._candidate_facts(members, company, sponsors, passing=passing)
        words = self._rule_words(members, rows)
        result = {member.id: [] for member in members}
        for row in rows:
            passes = {
                "full_cycle": row.full_cycle,
                "conducted": row.conducted,
                "no_trade": not row.trade,
                "other_sector": row.other_sector,
                "near": bool(row.near),
            }
            load, capacity = row.load, row.capacity
            at_capacity = load >= capacity
            nearness = (
                SCORE_SAME_AREA
                if row.near == "same"
                else SCORE_NEIGHBOUR_AREA
                if row.near == "neighbour"
                else 0
            )
            availability = round(SCORE_AVAILABILITY * max(capacity - load, 0) / capacity)
            experience = min(SCORE_EXPERIENCE, SCORE_PER_EXPERIENCE * (row.evaluations + row.ended))
            score = nearness + availability + experience
            eligible = not at_capacity and all(passes.values())
            result[row.member_id].append(
                (
                    (not eligible, -score, row.name or "", row.sponsor_id),
                    {
                        "sponsor": self.browse(row.sponsor_id),
                        "rules": CandidateRules(passes, row, words[row.member_id]),
                        "load": load,
                        "capacity": capacity,
                        "at_capacity": at_capacity,
                        "eligible": eligible,
                        "evaluations": row.evaluations,
                        "ended": row.ended,
                        "nearness": nearness,
                        "availability": availability,
                        "experience": experience,
                        "score": score,
                    },
                )
            )
        for member_id, ranked in result.items():
            ranked.sort(key=lambda item: item[0])
            result[member_id] = [candidate for _key, candidate in ranked]
        return result

    @api.model
    def _rule_words(self, members, rows):
        """``{member id: word}``, ``word(rule, passes, facts)`` giving the
        reason of a rule of a candidate of that member (``facts``: its row
        of ``_candidate_facts``), each reason worded once for all the
        candidates that share it. What the reasons name (the new members,
        the sectors and areas) is read the first time one is worded, each
        model in one query."""
        records = {}

        def read_names():
            members.fetch(["name", "industry_id", "ess_employment_area_id"])
            sectors = (
                self.env["res.partner.industry"]
                .sudo()
                .browse(
                    sorted(
                        {row.industry_id for row in rows if row.industry_id}
                        | set(members.industry_id.ids)
                    )
                )
            )
            areas = (
                self.env["ess.employment.area"]
                .sudo()
                .with_context(active_test=False)  # an archived area still has a name
                .browse(
                    sorted(
                        {row.area_id for row in rows if row.area_id}
                        | set(members.ess_employment_area_id.ids)
                    )
                )
            )
            sectors.fetch(["name"])
            areas.fetch(["name"])
            records["other_sector"] = {sector.id: sector for sector in sectors}
            records["near"] = {area.id: area for area in areas}

        def values(rule, facts):
            """What the reason of ``rule`` depends on, a sector or an area as its record."""
            if rule == "full_cycle":
                return (facts.full_cycle,)
            if rule == "conducted":
                return facts.conducted, facts.evaluations
            if rule == "no_trade":
                return facts.trade, facts.trade and facts.name
            if rule == "other_sector":
                sector = records[rule].get(facts.industry_id, False)
                return sector, not facts.industry_id and facts.name
            area = records[rule].get(facts.area_id, False)
            return area, facts.near, not facts.area_id and facts.name

        def words_of(member):
            reasons = {}

            def word(rule, passes, facts):
                if not records:
                    read_names()
                args = values(rule, facts)
                key = (rule, passes, *args)
                if key not in reasons:
                    reasons[key] = getattr(self, f"_rule_{rule}")(passes, *args, member)
                return reasons[key]

            return word

        return {member.id: words_of(member) for member in members}

    @api.model
    def _candidate_facts(self, members, company, sponsors=None, passing=False):
        """The five rules checked in one query for every pair of one of
        ``members`` and a volunteer of the pool of ``company`` (or one of
        ``sponsors``), with what the ranking and the reasons read.

        :return: one ``CandidateFacts`` per pair: the member's id; the volunteer's id,
            capacity, organisation id, name, sector and employment area ids;
            whether it had a completed cross-evaluation (rule 1), whether it
            conducted one (rule 2), the number of evaluations it conducted,
            its current load, its sponsorships ended; who declared a
            commercial relationship between them (``"sponsor"``,
            ``"member"`` or None, rule 3); whether their sectors differ
            (rule 4); ``"same"`` or ``"neighbour"`` when their employment
            areas are near, else None (rule 5). A volunteer is never paired
            with itself when the pool is read. With ``passing``, only the
            pairs where the five rules hold.
        """
        if sponsors is None:
            pool = self.sudo()._search(self._pool_domain(company))
            volunteers = SQL("v.id IN %s", pool.subselect())
        else:
            volunteers = SQL("v.id = ANY(%s)", sponsors.ids)
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
        self.env["ess.employment.area"].flush_model(["neighbour_ids"])
        self.flush_model(
            [
                "partner_id",
                "capacity",
                "industry_id",
                "employment_area_id",
                "has_completed_evaluation",
                "has_conducted_evaluation",
            ]
        )
        self.env["ess.sponsorship"].flush_model(["sponsor_id", "state"])
        self.env["ess.evaluation"].flush_model(["evaluator_partner_id", "state"])
        # execute_query flushes what the pool's subquery reads (pause…)
        rows = self.env.execute_query(
            SQL(
                """
                WITH members AS (
                        SELECT id, industry_id, ess_employment_area_id AS area_id
                          FROM res_partner
                         WHERE id = ANY(%(members)s))
                SELECT * FROM (
                    -- everything but the name is read from the volunteers'
                    -- table (its stored profile), the organisations only for
                    -- the candidates kept
                    SELECT m.id AS member_id, v.id, v.capacity, v.partner_id, p.name,
                           v.industry_id, v.employment_area_id AS area_id,
                           -- 1. full cycle, 2. evaluation conducted
                           COALESCE(v.has_completed_evaluation, FALSE) AS full_cycle,
                           COALESCE(v.has_conducted_evaluation, FALSE) AS conducted,
                           -- counted for the candidates only (their indexes), not
                           -- for every evaluator and sponsor of the database
                           (SELECT COUNT(*) FROM ess_evaluation e
                             WHERE e.evaluator_partner_id = v.partner_id
                               AND e.state = 'completed'),
                           (SELECT COUNT(*) FROM ess_sponsorship sp
                             WHERE sp.sponsor_id = v.id AND sp.state IN %(active)s),
                           (SELECT COUNT(*) FROM ess_sponsorship sp
                             WHERE sp.sponsor_id = v.id AND sp.state = 'ended'),
                           CASE                                   -- 3. no trade, either way
                               WHEN EXISTS (SELECT 1 FROM ess_partner_commercial_relation_rel r
                                             WHERE r.partner_id = v.partner_id
                                               AND r.related_partner_id = m.id) THEN 'sponsor'
                               WHEN EXISTS (SELECT 1 FROM ess_partner_commercial_relation_rel r
                                             WHERE r.partner_id = m.id
                                               AND r.related_partner_id = v.partner_id)
                               THEN 'member'
                           END AS trade,
                           -- 4. another sector
                           COALESCE(v.industry_id != m.industry_id, FALSE) AS other_sector,
                           CASE                                   -- 5. near
                               WHEN v.employment_area_id = m.area_id THEN 'same'
                               -- an archived neighbour is still next door
                               WHEN EXISTS (SELECT 1 FROM ess_employment_area_neighbour_rel n
                                             WHERE n.area_id = m.area_id
                                               AND n.neighbour_id = v.employment_area_id)
                               THEN 'neighbour'
                           END AS near
                      FROM members m
                      JOIN ess_sponsor v ON %(volunteers)s AND %(itself)s
                      JOIN res_partner p ON p.id = v.partner_id
                ) candidate
                 WHERE %(passing)s
                """,
                members=members.ids,
                volunteers=volunteers,
                active=ACTIVE_STATES,
                # never proposed as its own sponsor
                itself=SQL("TRUE") if sponsors is not None else SQL("v.partner_id != m.id"),
                passing=SQL(
                    "full_cycle AND conducted AND trade IS NULL AND other_sector "
                    "AND near IS NOT NULL"
                )
                if passing
                else SQL("TRUE"),
            )
        )
        return [CandidateFacts(*row) for row in rows]

    # one method per rule, its verdict (read by ``_candidate_facts``) and
    # the facts it names first, the new member last: the reason in words
    def _rule_full_cycle(self, passes, completed, member):
        if passes:
            return self.env._("Has had a completed cross-evaluation (full cycle).")
        return self.env._("Has not yet had a completed cross-evaluation (no full cycle).")

    def _rule_conducted(self, passes, conducted, evaluations, member):
        if passes:
            return self.env._(
                "Has conducted %s completed evaluation(s) at other members.", evaluations or 1
            )
        return self.env._("Has never conducted an evaluation at another member.")

    def _rule_no_trade(self, passes, direction, sponsor_name, member):
        if passes:
            return self.env._("No declared commercial relationship with %s.", member.name)
        if direction == "sponsor":
            return self.env._(
                "%(sponsor)s declared a commercial relationship with %(member)s.",
                sponsor=sponsor_name,
                member=member.name,
            )
        return self.env._(
            "%(member)s declared a commercial relationship with %(sponsor)s.",
            sponsor=sponsor_name,
            member=member.name,
        )

    def _rule_other_sector(self, passes, industry, sponsor_name, member):
        if passes:
            return self.env._(
                "Another sector of activity: %(sponsor)s (new member: %(member)s).",
                sponsor=industry.name,
                member=member.industry_id.name,
            )
        if not industry or not member.industry_id:
            return self.env._(
                "The sector of activity of the organisation “%s” is not filled in: the rule cannot "
                "be checked.",
                member.name if not member.industry_id else sponsor_name,
            )
        return self.env._("Same sector of activity as the new member: %s.", industry.name)

    def _rule_near(self, passes, area, nearness, sponsor_name, member):
        member_area = member.ess_employment_area_id
        if not area or not member_area:
            return self.env._(
                "The employment area of the organisation “%s” is not filled in: the rule cannot be "
                "checked.",
                member.name if not member_area else sponsor_name,
            )
        if nearness == "same":
            return self.env._("Same employment area: %s.", area.name)
        if passes:
            return self.env._(
                "Neighbouring employment area: %(area)s, next to %(member)s.",
                area=area.name,
                member=member_area.name,
            )
        return self.env._(
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
