from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import EssSponsorshipCase


@tagged("post_install", "-at_install")
class TestSponsorshipRules(EssSponsorshipCase):
    """The five rules of seed 000, each passing and failing with its reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good = cls._sponsor("Coopérative Voisine")
        cls.same_area = cls._sponsor("Association Nantaise", area=cls.area_nantes)
        cls.no_cycle = cls._sponsor("Scop Novice", cycle=False)
        cls.no_evaluation = cls._sponsor("Scic Sans Visite", conducted=False)
        cls.trading = cls._sponsor("Fondation Fournisseur")
        cls.same_sector = cls._sponsor("Association Même Secteur", industry=cls.industry)
        cls.far = cls._sponsor("Coopérative Lointaine", area=cls.area_cholet)
        cls.org.ess_commercial_relation_ids = [(4, cls.trading.partner_id.id)]

    def _by_sponsor(self, sponsorship):
        return {c["sponsor"]: c for c in sponsorship._candidates()}

    def test_each_rule_passes_and_fails_with_its_reason(self):
        candidates = self._by_sponsor(self._request())
        self.assertTrue(candidates[self.good]["eligible"])
        self.assertTrue(all(passes for passes, _r in candidates[self.good]["rules"].values()))
        expected = {
            self.no_cycle: ("full_cycle", "not yet had a completed cross-evaluation"),
            self.no_evaluation: ("conducted", "never conducted an evaluation"),
            self.trading: ("no_trade", "Association Test Solidaire declared a commercial"),
            self.same_sector: ("other_sector", "Same sector of activity"),
            self.far: ("near", "Cholet \\(test\\) is far from the new member's \\(Nantes"),
        }
        for sponsor, (rule, reason) in expected.items():
            candidate = candidates[sponsor]
            self.assertFalse(candidate["eligible"], sponsor.partner_id.name)
            failing = [r for r, (passes, _reason) in candidate["rules"].items() if not passes]
            self.assertEqual(failing, [rule], sponsor.partner_id.name)
            self.assertRegex(candidate["rules"][rule][1], reason)

    def test_ranking_same_area_before_neighbouring_and_ineligible_last(self):
        ours = (
            self.good
            | self.same_area
            | self.no_cycle
            | self.no_evaluation
            | self.trading
            | self.same_sector
            | self.far
        )
        # the volunteers of the demo network, if loaded, are not near this one
        ranked = [c["sponsor"] for c in self._request()._candidates() if c["sponsor"] in ours]
        self.assertEqual(ranked[:2], [self.same_area, self.good])
        self.assertEqual(
            set(ranked[2:]),
            {self.no_cycle, self.no_evaluation, self.trading, self.same_sector, self.far},
        )

    def test_designation_and_forced_designation(self):
        sponsorship = self._request()
        with self.assertRaisesRegex(AccessError, "Only the sponsorship pole"):
            sponsorship.with_user(self.staff)._designate(self.good)
        pole = sponsorship.with_user(self.pole_manager)
        with self.assertRaisesRegex(UserError, "write why you designate it anyway"):
            pole._designate(self.far)
        wizard = Form(
            self.env["ess.sponsorship.designate"]
            .with_user(self.pole_manager)
            .with_context(default_sponsorship_id=sponsorship.id)
        ).save()
        self.assertEqual(wizard.line_ids[0].sponsor_id, self.same_area)
        self.assertEqual(wizard.eligible_count, 2)
        wizard.line_ids.filtered(lambda line: line.sponsor_id == self.good).action_designate()
        self.assertEqual(sponsorship.state, "designated")
        self.assertEqual(sponsorship.sponsor_id, self.good)
        self.assertFalse(sponsorship.forced)
        with self.assertRaisesRegex(UserError, "cannot be designated twice"):
            pole._designate(self.same_area)
