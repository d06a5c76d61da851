from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestAssessment(EssNetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.levels = {
            value: cls.env.ref(f"ess_network.ess_maturity_level_{value}") for value in range(5)
        }
        cls.Assessment = cls.env["ess.assessment"]
        cls.q = {
            code: cls.env.ref(f"ess_network.ess_guide_question_{code.replace('.', '_')}")
            for code in ("1.1.1", "1.3.1", "1.3.2", "1.3.3", "2.1.1")
        }

    def _assessment(self, partner=None, year=2026, user=None):
        return self.Assessment.with_user(user or self.staff).create(
            {"partner_id": (partner or self.org).id, "year": year}
        )

    def _answer(self, assessment, code, level=None, **vals):
        answer = assessment.answer_ids.filtered(lambda a: a.question_id == self.q[code])
        if level is not None:
            vals["level_id"] = self.levels[level].id
        answer.write(vals)
        return answer

    def _theme_score(self, assessment, theme_code):
        return assessment.theme_score_ids.filtered(lambda s: s.theme_id.code == theme_code)

    def _domain_score(self, assessment, domain_code):
        return assessment.domain_score_ids.filtered(lambda s: s.domain_id.code == domain_code)

    def test_a_grid_has_every_question_of_the_guide(self):
        assessment = self._assessment()
        questions = self.env["ess.guide.question"].search([])
        self.assertEqual(assessment.answer_ids.question_id, questions)
        self.assertEqual(assessment.question_count, len(questions))
        self.assertEqual((assessment.answered_count, assessment.completion), (0, 0))
        self.assertEqual(len(assessment.theme_score_ids), 8)
        self.assertEqual(assessment.name, "Self-assessment 2026 – Association Test Solidaire")

    def test_one_self_assessment_per_organisation_and_period(self):
        self._assessment()
        self._assessment(year=2025)
        self._assessment(partner=self.other_org)
        with self.assertRaisesRegex(ValidationError, "already has a self-assessment for 2026"):
            self._assessment()

    def test_scores_on_a_hand_checked_example(self):
        assessment = self._assessment()
        self._answer(assessment, "1.3.1", 4)  # 100 %
        self._answer(assessment, "1.3.2", 2)  # 50 %
        self._answer(assessment, "1.3.3", not_applicable=True)
        domain = self._domain_score(assessment, "1.3")
        self.assertEqual((domain.score, domain.answered_count, domain.applicable_count), (75, 2, 2))
        theme = self._theme_score(assessment, "1")
        self.assertEqual(theme.score, 75, "questions not answered yet do not count")
        self.assertEqual(theme.applicable_count, 10, "the not-applicable question leaves")
        self.assertEqual(assessment.score, 75)
        self.assertEqual(assessment.answered_count, 3, "not applicable is an answer")

        self._answer(assessment, "1.1.1", 0)  # 0 %
        self.assertEqual(self._theme_score(assessment, "1").score, 50)  # (100 + 50 + 0) / 3
        self._answer(assessment, "2.1.1", 3)  # 75 % in theme 2
        self.assertEqual(self._theme_score(assessment, "2").score, 75)
        self.assertEqual(assessment.score, 56.25)  # (100 + 50 + 0 + 75) / 4
        self.assertEqual(self._domain_score(assessment, "1.1").score, 0)

        # a question marked not applicable after a level leaves the scores
        self._answer(assessment, "1.3.2", not_applicable=True)
        answer = assessment.answer_ids.filtered(lambda a: a.question_id == self.q["1.3.2"])
        self.assertFalse(answer.level_id, "not applicable clears the level")
        self.assertEqual(self._domain_score(assessment, "1.3").score, 100)
        self.assertEqual(self._domain_score(assessment, "1.3").applicable_count, 1)
        self.assertAlmostEqual(assessment.score, 175 / 3)

    def test_weakest_domains_are_progress_areas(self):
        assessment = self._assessment()
        self._answer(assessment, "1.1.1", 1)  # 1.1: 25 %
        self._answer(assessment, "1.3.1", 0)  # 1.3: 0 %
        self._answer(assessment, "2.1.1", 3)  # 2.1: 75 %, not a progress area
        self.assertEqual(assessment.progress_area_ids.domain_id.mapped("code"), ["1.3", "1.1"])
        guide = self.env["ess.guide.year"].create({"partner_id": self.org.id, "year": 2026})
        area = assessment.progress_area_ids[0].with_user(self.staff)
        result = area.action_create_action()
        action = self.env["ess.action"].browse(result["res_id"])
        self.assertEqual(action.origin, "self_assessment")
        self.assertEqual(action.assessment_id, assessment)
        self.assertEqual(action.domain_id.code, "1.3")
        self.assertEqual(action.theme_id.code, "1")
        self.assertEqual(action.guide_year_id, guide)
        self.assertEqual(action.partner_id, self.org)
        self.assertIn(action, assessment.action_ids)
        with self.assertRaisesRegex(UserError, "already has its action"):
            area.action_create_action()
        with self.assertRaisesRegex(UserError, "Only a domain"):
            assessment.theme_score_ids[0].action_create_action()

    def test_completed_grid_is_read_only(self):
        assessment = self._assessment()
        with self.assertRaisesRegex(UserError, "Answer at least one question"):
            assessment.action_done()
        self._answer(assessment, "1.3.1", 3)
        assessment.with_user(self.staff).action_done()
        self.assertEqual(assessment.state, "done")
        self.assertTrue(assessment.date_done)
        answer = assessment.answer_ids.filtered(lambda a: a.question_id == self.q["1.3.2"])
        with self.assertRaisesRegex(UserError, "is completed"):
            answer.with_user(self.staff).level_id = self.levels[2]
        answer.with_user(self.admin).level_id = self.levels[2]
        self.assertEqual(self._domain_score(assessment, "1.3").score, 62.5)
        with self.assertRaises(AccessError):
            answer.with_user(self.admin).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            answer.sudo().unlink()

    def test_form_of_a_self_assessment(self):
        form = Form(self.Assessment.with_user(self.staff))
        form.partner_id = self.org
        form.year = 2027
        assessment = form.save()
        with Form(assessment.with_user(self.staff)) as form, form.answer_ids.edit(0) as line:
            line.level_id = self.levels[4]
            line.comment = "Statuts relus en 2026"
        self.assertEqual(assessment.answered_count, 1)
        self.assertEqual(assessment.score, 100)
        self.assertIn("<svg", str(assessment.scores_chart))
        self.assertIn("100 %", str(assessment.scores_chart))

    def _completed(self, partner, level, year=2031):
        assessment = self._assessment(partner=partner, year=year)
        self._answer(assessment, "1.3.1", level)
        assessment.action_done()
        return assessment

    def test_benchmark_is_anonymous_below_five_organisations(self):
        mine = self._completed(self.org, 2)  # 50 %
        others = [self._create_org(f"Membre {n}") for n in range(5)]
        for partner, level in zip(others[:3], (4, 3, 1), strict=True):
            self._completed(partner, level)
        # not counted: a draft, another period, a peer evaluation grid
        self._assessment(partner=others[3], year=2031)
        self._completed(others[4], 4, year=2030)
        self.Assessment.create(
            {"partner_id": others[4].id, "year": 2031, "kind": "peer"}
        ).answer_ids[:1].level_id = self.levels[0]
        row = next(r for r in mine._benchmark() if r["theme"].code == "1")
        self.assertEqual(row["score"], 50)
        self.assertEqual(row["count"], 0, "4 organisations: nothing shown")
        self.assertIsNone(row["average"])
        html = str(mine.benchmark_table)
        self.assertIn("not shown", html)
        for partner in others:
            self.assertNotIn(partner.name, html)

        self._completed(others[4], 0)  # the fifth organisation of 2031
        rows = {r["theme"].code: r for r in mine._benchmark()}
        row = rows["1"]
        # scores 50, 100, 75, 25, 0
        self.assertEqual(row["count"], 5)
        self.assertEqual(row["average"], 50)
        self.assertEqual((row["minimum"], row["maximum"]), (0, 100))
        self.assertAlmostEqual(row["stdev"], 35.355, places=3)
        self.assertIsNone(rows["2"]["score"], "theme 2 not assessed")
        self.assertEqual(rows["2"]["count"], 0)
        html = str(mine.benchmark_table)
        for partner in others:
            self.assertNotIn(partner.name, html)

    def test_scale_is_read_from_the_levels(self):
        assessment = self._assessment()
        self._answer(assessment, "1.3.1", 2)
        self.assertEqual(assessment.score, 50)
        top = self.env["ess.maturity.level"].create({"value": 8, "name": "Au-delà"})
        self._answer(assessment, "1.3.2", 4)
        answer = assessment.answer_ids.filtered(lambda a: a.question_id == self.q["1.3.2"])
        self.assertEqual(answer.score, 50, "4 out of a scale topped at 8")
        top.unlink()
        self.assertEqual(self.env["ess.maturity.level"]._top_value(), 4)


@tagged("post_install", "-at_install")
class TestStakeholder(EssNetworkCase):
    def _stakeholder(self, **vals):
        return (
            self.env["ess.stakeholder"]
            .with_user(self.staff)
            .create({"partner_id": self.org.id, "name": "Salariés", **vals})
        )

    def test_quadrants(self):
        cases = {
            (5, 5): "key_players",
            (3, 3): "key_players",
            (4, 2): "keep_satisfied",
            (2, 5): "keep_informed",
            (1, 2): "monitor",
        }
        for (influence, importance), quadrant in cases.items():
            stakeholder = self._stakeholder(influence=influence, importance=importance)
            self.assertEqual(stakeholder.quadrant, quadrant, (influence, importance))
        stakeholder.influence = 5
        self.assertEqual(stakeholder.quadrant, "keep_satisfied")

    def test_scales_go_from_one_to_five(self):
        for vals in ({"influence": 0}, {"importance": 6}, {"influence": -1}):
            with self.assertRaisesRegex(ValidationError, "go from 1 to 5"):
                self._stakeholder(**vals)

    def test_matrix_picture(self):
        self._stakeholder(name="Mairie <b>", influence=2, importance=4)
        self._stakeholder(name="Salariés", scope="internal", influence=5, importance=5)
        svg = str(self.org.ess_stakeholder_matrix)
        self.assertEqual(svg.count("<svg"), 1, "one map, beside its legend")
        self.assertIn('aria-describedby="o_ess_stakeholder_legend_', svg)
        self.assertIn("Influence 5/5, importance 5/5", svg, "the legend gives each one's figures")
        for label in ("Key players", "Keep satisfied", "Keep informed", "Monitor"):
            self.assertIn(label, svg)
        self.assertIn("Mairie &lt;b&gt;", svg, "names are escaped")
        self.assertEqual(svg.count("<circle"), 2)

    def test_stakeholders_are_archived_not_deleted(self):
        stakeholder = self._stakeholder()
        with self.assertRaises(AccessError):
            stakeholder.with_user(self.staff).unlink()
        stakeholder.active = False
        self.assertFalse(self.org.ess_stakeholder_ids)
