from datetime import datetime

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import pdf_text

YEAR = 2026


@tagged("post_install", "-at_install")
class TestEvaluationReport(HttpCase):
    """The evaluation report, rendered to a real PDF by wkhtmltopdf (which
    fetches the report assets from the test server, hence an HttpCase)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env,
            "ess_report_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Rapport",
        )
        Partner = cls.env["res.partner"]
        cls.evaluated = Partner.create(
            {"name": "Association Rapport Solidaire", "is_company": True, "city": "Nantes"}
        )
        Partner.create({"name": "Marie Accueil", "parent_id": cls.evaluated.id})
        cls.evaluator_org = Partner.create({"name": "Mutuelle Évaluatrice", "is_company": True})
        cls.evaluator = Partner.create(
            {"name": "Paul Pair", "parent_id": cls.evaluator_org.id, "function": "Directeur"}
        )
        level = {n: cls.env.ref(f"ess_network.ess_maturity_level_{n}") for n in range(5)}
        question = {
            code: cls.env.ref(f"ess_network.ess_guide_question_{code}")
            for code in ("1_1_1", "1_1_2", "1_1_3", "2_1_1", "3_1_1")
        }

        def answer(assessment, levels):
            for code, value in levels.items():
                line = assessment.answer_ids.filtered(
                    lambda a, q=question[code]: a.question_id == q
                )
                line.write(
                    {"not_applicable": True} if value == "n/a" else {"level_id": level[value].id}
                )

        own = (
            cls.env["ess.assessment"]
            .with_user(cls.staff)
            .create({"partner_id": cls.evaluated.id, "year": YEAR})
        )
        answer(own, {"1_1_1": 1, "1_1_2": 3, "1_1_3": 0, "2_1_1": "n/a", "3_1_1": 2})
        cls.evaluation = (
            cls.env["ess.evaluation"]
            .with_user(cls.staff)
            .create(
                {
                    "partner_id": cls.evaluated.id,
                    "evaluator_partner_id": cls.evaluator_org.id,
                    "evaluator_ids": [fields.Command.set(cls.evaluator.ids)],
                    "year": YEAR,
                    "date_visit": datetime(YEAR, 3, 10, 8, 0),
                    "summary": "<p>Un projet social solide ; la stratégie reste à partager.</p>",
                }
            )
        )
        cls.evaluation.action_schedule_visit()
        cls.evaluation.action_start()
        answer(
            cls.evaluation.assessment_id,
            {"1_1_1": 4, "1_1_2": 2, "1_1_3": "n/a", "2_1_1": 3},
        )
        Point = cls.env["ess.evaluation.point"].with_user(cls.staff)
        Point.create(
            {
                "evaluation_id": cls.evaluation.id,
                "kind": "strong",
                "name": "Accueil inconditionnel",
                "domain_id": cls.env.ref("ess_network.ess_guide_domain_5_2").id,
            }
        )
        cls.point = Point.create(
            {
                "evaluation_id": cls.evaluation.id,
                "name": "Associer les salariés à la stratégie",
                "description": "Ateliers ouverts avant l'assemblée générale",
                "domain_id": cls.env.ref("ess_network.ess_guide_domain_2_1").id,
            }
        )
        Point.create({"evaluation_id": cls.evaluation.id, "name": "Mesurer l'énergie"})
        cls.point.action_create_action()
        cls.point.action_id.name = "Ateliers stratégie 2027"
        cls.evaluation.action_complete()
        cls.report = cls.env.ref("ess_network.ess_evaluation_report")

    # peers: theme 1 (100 + 50) / 2 = 75 %, theme 2 75 %, overall 75 %;
    # self: theme 1 (25 + 75 + 0) / 3 = 33 %, theme 3 50 %, overall 150 / 4 = 38 %;
    # gaps: theme 1 +42, overall +38 (37.5 rounds up)
    FIGURES = ("75 %", "33 %", "50 %", "38 %", "+42", "+38")
    TEXTS = (
        "Association Rapport Solidaire",
        "Mutuelle Évaluatrice",
        "Paul Pair",
        "Accueil inconditionnel",
        "Associer les salariés à la stratégie",
        "Ateliers stratégie 2027",
        "Mesurer l'énergie",
        "la stratégie reste à partager",
    )

    def test_report_action(self):
        self.assertEqual(self.report.model, "ess.evaluation")
        self.assertEqual(self.report.report_type, "qweb-pdf")
        self.assertEqual(self.report.binding_model_id.model, "ess.evaluation")
        self.assertEqual(
            safe_eval(self.report.print_report_name, {"object": self.evaluation}),
            "Evaluation report - Association Rapport Solidaire",
        )

    def test_report_html_has_the_figures(self):
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            ._render_qweb_html(self.report.report_name, self.evaluation.ids)
        )
        html = html.decode()
        for text in self.FIGURES + self.TEXTS:
            self.assertIn(text.replace("'", "&#39;"), html.replace("&#x27;", "&#39;"))

    def test_report_pdf_renders_with_the_figures(self):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(self.report.report_name, self.evaluation.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf produced a PDF")
        text = pdf_text(pdf)
        text = " ".join(text.split())
        for figure in self.FIGURES + self.TEXTS:
            self.assertIn(figure, text)
