from odoo.tests import TransactionCase, tagged

from ..models.ess_sponsor import RULES
from .common import EssSponsorshipCase


@tagged("post_install", "-at_install")
class TestSponsorshipCandidateFacts(EssSponsorshipCase):
    """The facts the five rules read for the whole pool in one query: the
    direction of a commercial relationship, a sector or an area not filled
    in, a chosen subset of volunteers, the load and experience."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls._sponsor("Coopérative Fournisseuse")
        cls.client = cls._sponsor("Scop Cliente")
        cls.both = cls._sponsor("Association Partenaire")
        cls.unknown = cls._sponsor("Fondation Inconnue", capacity=2)
        cls.unknown.partner_id.write({"industry_id": False, "ess_employment_area_id": False})
        cls.org.ess_commercial_relation_ids = [
            (4, cls.client.partner_id.id),
            (4, cls.both.partner_id.id),
        ]
        cls.supplier.partner_id.ess_commercial_relation_ids = [(4, cls.org.id)]
        cls.both.partner_id.ess_commercial_relation_ids = [(4, cls.org.id)]

    def _candidates(self, sponsors=None):
        candidates = self.env["ess.sponsor"]._sponsorship_candidates(
            self.org, self.env.company, sponsors=sponsors
        )
        return {candidate["sponsor"]: candidate for candidate in candidates}

    def test_commercial_relationship_either_way(self):
        candidates = self._candidates(self.supplier | self.client | self.both)
        expected = {
            self.supplier: "Coopérative Fournisseuse declared a commercial relationship with "
            "Association Test Solidaire",
            self.client: "Association Test Solidaire declared a commercial relationship with "
            "Scop Cliente",
            # declared on both sides: the volunteer's own declaration is quoted
            self.both: "Association Partenaire declared a commercial relationship with "
            "Association Test Solidaire",
        }
        for sponsor, reason in expected.items():
            passes, text = candidates[sponsor]["rules"]["no_trade"]
            self.assertFalse(passes)
            self.assertIn(reason, text)
            self.assertFalse(candidates[sponsor]["eligible"])

    def test_sector_and_area_not_filled_in(self):
        candidate = self._candidates(self.unknown)[self.unknown]
        self.assertEqual(
            candidate["rules"]["other_sector"],
            (
                False,
                "The sector of activity of the organisation “Fondation Inconnue” is not filled "
                "in: the rule cannot be checked.",
            ),
        )
        self.assertEqual(
            candidate["rules"]["near"],
            (
                False,
                "The employment area of the organisation “Fondation Inconnue” is not filled in: "
                "the rule cannot be checked.",
            ),
        )
        self.assertEqual(candidate["nearness"], 0)

    def test_rules_1_and_2_follow_the_evaluations_completed_later(self):
        """The designation reads rules 1 and 2 on the volunteer (stored from
        its organisation): an evaluation completed after it joined the pool
        counts at once."""
        novice = self._sponsor("Scop Novice", cycle=False, conducted=False)
        self.assertFalse(novice.has_completed_evaluation or novice.has_conducted_evaluation)
        rules = self._candidates(novice)[novice]["rules"]
        self.assertEqual(rules.failed(), ["full_cycle", "conducted"])
        passing = self.env["ess.sponsor"]._sponsorship_candidates(
            self.org, self.env.company, passing=True
        )
        self.assertNotIn(novice, [candidate["sponsor"] for candidate in passing])
        # evaluated by its peer, and evaluator of it, both completed
        self._evaluations(evaluated=novice.partner_id, evaluators=novice.partner_id)
        self.assertTrue(novice.has_completed_evaluation and novice.has_conducted_evaluation)
        candidate = self._candidates(novice)[novice]
        self.assertEqual(candidate["rules"].failed(), [])
        self.assertTrue(candidate["eligible"])
        passing = self.env["ess.sponsor"]._sponsorship_candidates(
            self.org, self.env.company, passing=True
        )
        self.assertIn(novice, [candidate["sponsor"] for candidate in passing])

    def test_only_the_volunteers_asked_for_and_their_load(self):
        good = self._sponsor("Coopérative Voisine", capacity=2)
        candidates = self._candidates(good | self.unknown)
        self.assertEqual(set(candidates), {good, self.unknown})
        self.assertTrue(candidates[good]["eligible"])
        sponsorship = self._request()
        sponsorship.with_user(self.pole_manager)._designate(good)
        self.env.flush_all()
        candidate = self._candidates(good)[good]
        # (1 evaluation conducted, no sponsorship ended) x 3; half of 2 places free
        self.assertEqual(
            (candidate["load"], candidate["capacity"], candidate["evaluations"]), (1, 2, 1)
        )
        self.assertEqual((candidate["experience"], candidate["availability"]), (3, 10))
        self.assertEqual(candidate["nearness"], 30, "Angers is next to Nantes")
        self.assertEqual(candidate["score"], 43)
        # the whole pool, paused volunteers left out
        self.unknown.paused_until = "2999-01-01"
        pool = self._candidates()
        self.assertIn(good, pool)
        self.assertNotIn(self.unknown, pool)
        self.assertIn(self.supplier, pool)


@tagged("post_install", "-at_install")
class TestSponsorshipDemo(TransactionCase):
    """The demo network shows what the sponsorship does (./dev run loads it;
    nothing to check in a database without the demo)."""

    def test_demo_pool_shows_every_rule(self):
        request = self.env.ref("ess_network.ess_sponsorship_accueil_partage", False)
        if not request:
            return
        self.assertEqual(request.state, "requested")
        candidates = request._candidates()
        self.assertGreaterEqual(len(candidates), 6)
        self.assertGreaterEqual(len([c for c in candidates if c["eligible"]]), 2)
        for rule in RULES:
            self.assertTrue(
                any(not c["rules"][rule][0] for c in candidates), f"no candidate fails {rule}"
            )
        self.assertTrue(any(c["at_capacity"] for c in candidates))

    def test_demo_sponsorships_at_every_stage(self):
        if not self.env.ref("ess_network.ess_sponsorship_accueil_partage", False):
            return
        sponsorships = self.env["ess.sponsorship"].search([])
        self.assertLessEqual(
            {"requested", "designated", "in_progress", "ended", "cancelled"},
            set(sponsorships.mapped("state")),
        )
        self.assertTrue(sponsorships.filtered(lambda s: s.state == "cancelled").cancel_reason)
        forced = sponsorships.filtered("forced")
        self.assertTrue(forced and all(forced.mapped("forced_justification")))
        sessions = sponsorships.session_ids
        self.assertTrue(sessions.filtered(lambda s: s.state == "held" and s.hours))
        self.assertTrue(sessions.filtered(lambda s: s.state == "planned"))
        meetings = self.env["ess.sponsor.meeting"].search([])
        self.assertTrue(meetings.filtered(lambda m: m.state == "planned" and m.agenda))
        self.assertTrue(meetings.filtered(lambda m: m.state == "held" and m.experience))
        designated_by = sponsorships.filtered("designated_by_id").designated_by_id
        self.assertEqual(designated_by, self.env.ref("ess_network.user_sponsorship_manager"))
