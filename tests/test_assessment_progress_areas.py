from lxml import html as lxml_html

from odoo.tests import tagged

from .accessibility import AccessibilityMixin
from .common import EssPortalCase


@tagged("post_install", "-at_install")
class TestAssessmentProgressAreas(AccessibilityMixin, EssPortalCase):
    """The progress areas of a self-assessment: the 3 weakest domains of
    action below 50 %, in an order that does not change from one reading to
    the next, and a page that says so."""

    org_name = "Scop Domaines Faibles"
    login_prefix = "weak"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ess.membership"].create({"partner_id": cls.org.id, "state": "member"})
        cls.assessment = cls.env["ess.assessment"].create({"partner_id": cls.org.id, "year": 2025})
        levels = {v: cls.env.ref(f"ess_network.ess_maturity_level_{v}") for v in range(5)}

        def answer(code, level):
            question = cls.env.ref(f"ess_network.ess_guide_question_{code.replace('.', '_')}")
            cls.assessment.answer_ids.filtered(lambda a: a.question_id == question).write(
                {"level_id": levels[level].id}
            )

        # six domains below 50 %, five of them at the same 25 %:
        # 4.1 with two answers, the others with one; 3.2 lower, at 0 %
        for code in ("5.1.1", "2.2.1", "1.2.1", "4.1.1", "4.1.2", "1.4.1"):
            answer(code, 1)
        answer("3.2.1", 0)
        # above 50 %: not a progress area
        answer("1.3.1", 3)

    def _codes(self, scores):
        return scores.domain_id.mapped("code")

    def test_ties_are_broken_by_answers_then_guide_order(self):
        assessment = self.assessment
        self.assertEqual(assessment.weak_domain_count, 6)
        # 3.2 (0 %), then at 25 %: 4.1 (two answers), then 1.2 (guide order)
        self.assertEqual(self._codes(assessment.progress_area_ids), ["3.2", "4.1", "1.2"])
        # the same order whatever the order the scores were created in
        domains = assessment.domain_score_ids
        self.assertEqual(
            self._codes(
                domains.browse(reversed(domains.ids))
                .filtered(lambda s: s.answered_count and s.score < 50)
                .sorted(type(assessment)._progress_area_key)
            ),
            ["3.2", "4.1", "1.2", "1.4", "2.2", "5.1"],
        )
        self.assertEqual(
            assessment.progress_area_caption,
            "The 3 weakest of the 6 domains of action scoring below 50 %.",
        )

    def test_captions_say_how_many_are_shown(self):
        assessment = self.assessment
        level = self.env.ref("ess_network.ess_maturity_level_4")

        def raise_to_100(*codes):
            questions = [
                self.env.ref(f"ess_network.ess_guide_question_{code.replace('.', '_')}")
                for code in codes
            ]
            assessment.answer_ids.filtered(lambda a: a.question_id in questions).write(
                {"level_id": level.id}
            )

        cases = [
            ((), 6, "The 3 weakest of the 6 domains of action scoring below 50 %."),
            (
                ("5.1.1", "2.2.1", "1.4.1"),
                3,
                "The 3 domains of action scoring below 50 %, weakest first.",
            ),
            (("1.2.1",), 2, "The 2 domains of action scoring below 50 %, weakest first."),
            (("4.1.1", "4.1.2"), 1, "The only domain of action scoring below 50 %."),
            (("3.2.1",), 0, ""),
        ]
        for codes, count, caption in cases:
            raise_to_100(*codes)
            with self.subTest(count=count):
                self.assertEqual(assessment.weak_domain_count, count)
                self.assertEqual(len(assessment.progress_area_ids), min(count, 3))
                self.assertEqual(assessment.progress_area_caption, caption)

    def test_portal_card_says_what_it_shows(self):
        self._login()
        response = self.url_open(f"/my/assessments/{self.assessment.id}")
        self.assertEqual(response.status_code, 200)
        page = lxml_html.fromstring(response.content)
        self.assertEqual(
            page.xpath("string(//*[hasclass('o_ess_weak_domain_count')])").strip(), "6"
        )
        caption = page.xpath("string(//*[hasclass('o_ess_progress_areas_caption')])").strip()
        self.assertEqual(caption, "The 3 weakest of the 6 domains of action scoring below 50 %.")
        self.assertEqual(
            page.xpath("//li[hasclass('o_ess_progress_area')]/@data-code"), ["3.2", "4.1", "1.2"]
        )
        rule = " ".join(page.xpath("string(//*[hasclass('o_ess_progress_areas_rule')])").split())
        self.assertIn("Weakest first: the lowest score", rule)
        self.assertIn("the most questions answered", rule)
        self.assertIn("the order of the guide", rule)

    def test_page_with_progress_areas_meets_wcag_21_aa(self):
        self.assertAccessible(f"/my/assessments/{self.assessment.id}", login=self.user.login)
