import os
from datetime import date, datetime
from urllib.parse import unquote

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tests.common import warmup
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import pdf_text as pdf_lines
from .test_guide_portal import GuidePortalCase

REPORT = "ess_network.report_guide_year_ag"


def pdf_text(pdf):
    """The text of a PDF, read back with poppler's pdftotext, on one line."""
    return " ".join(pdf_lines(pdf).split())


@tagged("post_install", "-at_install")
class TestGuideYearAgReport(GuidePortalCase):
    """The general assembly report of a guide year: a real PDF with every
    section, downloaded by the organisation's own users from the portal,
    refused to another organisation (URL and RPC), and rendered in a number
    of queries that does not grow with the questions and actions."""

    org_name = "Scop Assemblée Rapport"
    login_prefix = "ag_report"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env,
            "ess_ag_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Assemblée",
        )
        cls.guide.write(
            {
                "general_assembly_date": date(2026, 6, 12),
                "working_group_ids": [Command.set(cls.pilot.ids)],
                "method": "<p>Trois ateliers avec les salariés et les bénévoles.</p>",
            }
        )
        cls.theme_line_1.write(
            {
                "decision": "retained",
                "good_practices": "Comité de pilotage paritaire",
                "progress_areas": "Ouvrir le conseil aux usagers",
            }
        )
        cls.theme_line_8.write(
            {"decision": "not_retained", "reason": "Thème reporté à l'an prochain"}
        )
        cls.line_number.write(
            {
                "baseline": 12,
                "objective_1y": 18,
                "objective_3y": 30,
                "value": 15,
                "has_value": True,
            }
        )
        cls.guide.step_ids[:3].write({"done": True, "done_date": date(2026, 2, 3)})
        cls.action.write({"date_deadline": date(2026, 11, 30), "progress": 40, "budget": 2500})
        cls.env["ess.stakeholder"].create(
            [
                {
                    "partner_id": cls.org.id,
                    "name": "Conseil départemental",
                    "scope": "external",
                    "category": "funders",
                    "influence": 5,
                    "importance": 4,
                },
                {
                    "partner_id": cls.org.id,
                    "name": "Équipe salariée",
                    "scope": "internal",
                    "category": "employees",
                    "influence": 3,
                    "importance": 5,
                },
            ]
        )
        cls._complete_evaluation()
        cls.report = cls.env.ref("ess_network.ess_guide_year_ag_report")

    @classmethod
    def _complete_evaluation(cls):
        Partner = cls.env["res.partner"]
        evaluator_org = Partner.create({"name": "Mutuelle Évaluatrice AG", "is_company": True})
        evaluator = Partner.create({"name": "Paul Pair", "parent_id": evaluator_org.id})
        evaluation = (
            cls.env["ess.evaluation"]
            .with_user(cls.staff)
            .create(
                {
                    "partner_id": cls.org.id,
                    "evaluator_partner_id": evaluator_org.id,
                    "evaluator_ids": [Command.set(evaluator.ids)],
                    "year": 2025,
                    "date_visit": datetime(2025, 10, 10, 8, 0),
                    "summary": "<p>Une gouvernance vivante, une stratégie à partager.</p>",
                }
            )
        )
        evaluation.action_schedule_visit()
        evaluation.action_start()
        evaluation.assessment_id.answer_ids[:1].level_id = cls.env.ref(
            "ess_network.ess_maturity_level_3"
        )
        cls.env["ess.evaluation.point"].with_user(cls.staff).create(
            {"evaluation_id": evaluation.id, "kind": "strong", "name": "Accueil"}
        )
        evaluation.action_complete()

    def _render_pdf(self, guide=None, user=None):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(user or self.staff)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, (guide or self.guide).ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf produced a PDF")
        # ESS_AG_REPORT_PDF=<path>: keep the PDF, to look at its pages
        if os.environ.get("ESS_AG_REPORT_PDF"):
            with open(os.environ["ESS_AG_REPORT_PDF"], "wb") as file:
                file.write(pdf)
        return pdf

    # ------------------------------------------------------------------ report
    def test_report_action(self):
        self.assertEqual(self.report.model, "ess.guide.year")
        self.assertEqual(self.report.report_type, "qweb-pdf")
        self.assertEqual(self.report.binding_model_id.model, "ess.guide.year")
        self.assertEqual(self.report.paperformat_id.format, "A4")
        self.assertEqual(
            safe_eval(self.report.print_report_name, {"object": self.guide.with_user(self.staff)}),
            "General assembly report 2025 - Scop Assemblée Rapport",
        )

    def test_staff_download_is_named_after_the_report(self):
        self.authenticate(self.staff.login, self.staff.login)
        url = f"/report/pdf/{REPORT}/{self.guide.id}"
        response = self.url_open(
            "/report/download",
            data={
                "data": f'["{url}", "qweb-pdf"]',
                "context": "{}",
                "token": "dummy",
                "csrf_token": self._csrf(),
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertIn(
            "General assembly report 2025 - Scop Assembl",
            unquote(response.headers["Content-Disposition"]),
        )

    def test_pdf_has_every_section(self):
        text = pdf_text(self._render_pdf())
        for expected in (
            # cover
            "Report to the general assembly",
            "Scop Assemblée Rapport",
            "Guide year 2025",
            "06/12/2026",
            # how the guide was worked
            "How the guide was worked",
            "Paula Pilote",
            "Trois ateliers avec les salariés",
            "Steps done: 3 / 12",
            # themes, with the reason of the one not retained
            "Themes retained and not retained",
            self.theme_1.display_name,
            "Thème reporté à l'an prochain",
            # figures of a question worked on
            self.question_number.code,
            "12",
            "18",
            "30",
            "15",
            "50 %",  # (15 - 12) / (18 - 12)
            "17 %",  # (15 - 12) / (30 - 12)
            # good practices and progress areas
            "Comité de pilotage paritaire",
            "Ouvrir le conseil aux usagers",
            # action plan
            "Former les administrateurs",
            "11/30/2026",
            "40 %",
            "2,500.00",
            # stakeholder map and its legend
            "Stakeholder map",
            "Conseil départemental",
            "Équipe salariée",
            # self-assessment beside the network, the cross-evaluation
            "Mutuelle Évaluatrice AG",
            "Une gouvernance vivante, une stratégie à partager.",
            # the closing page, blank to fill in
            "Debate and decision of the general assembly",
            "The chair of the assembly",
        ):
            self.assertIn(expected, text)

    def test_closing_page_shows_the_debate_once_written(self):
        self.guide.general_assembly_debate = "L'assemblée adopte le plan d'action à l'unanimité."
        text = pdf_text(self._render_pdf())
        self.assertIn("L'assemblée adopte le plan d'action à l'unanimité.", text)
        self.assertNotIn("The chair of the assembly", text)

    def _self_assessment(self, organisation, level):
        assessment = (
            self.env["ess.assessment"]
            .with_user(self.staff)
            .create({"partner_id": organisation.id, "year": 2025})
        )
        question = self.env.ref("ess_network.ess_guide_question_1_1_1")
        assessment.answer_ids.filtered(lambda a: a.question_id == question).level_id = self.env.ref(
            f"ess_network.ess_maturity_level_{level}"
        )
        assessment.action_done()
        return assessment

    def test_benchmark_is_shown_from_five_organisations(self):
        self._self_assessment(self.org, 2)  # theme 1: 50 %
        html = self._render_html()
        self.assertIn("Fewer than 5 organisations: not shown", html)
        Partner = self.env["res.partner"]
        for index, level in enumerate((4, 4, 0, 2)):
            organisation = Partner.create({"name": f"Pair anonyme {index}", "is_company": True})
            self._self_assessment(organisation, level)
        html = self._render_html()
        row = html.split(self.theme_1.display_name)[-1].split("</tr>")[0]
        # 50 % for the organisation; network (50 + 100 + 100 + 0 + 50) / 5 = 60 %, 0 – 100 %
        for figure in ("50 %", "60 %", "0 %", "100 %", ">5<"):
            self.assertIn(figure, row)
        self.assertNotIn("Pair anonyme", html)

    def _render_html(self, guide=None, user=None):
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(user or self.staff)
            ._render_qweb_html(REPORT, (guide or self.guide).ids)
        )
        return html.decode()

    # ------------------------------------------------------------------ portal
    def test_member_downloads_its_report(self):
        self._login()
        page = self.url_open(f"/my/guide/{self.guide.id}")
        self.assertIn(f"/my/guide/{self.guide.id}/ag-report", page.text)
        response = self.url_open(f"/my/guide/{self.guide.id}/ag-report")
        self.assertEqual(response.status_code, 200)
        # tests render PDF reports as HTML (the real PDF: test_pdf_has_every_section)
        self.assertIn("Report to the general assembly", response.text)
        self.assertIn("Former les administrateurs", response.text)
        self.assertIn("Une gouvernance vivante", response.text)

    def test_other_member_gets_nothing(self):
        self._login(self.other_user)
        response = self.url_open(f"/my/guide/{self.guide.id}/ag-report")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Former les administrateurs", response.text)
        for kind in ("pdf", "html"):
            with mute_logger("odoo.http"):
                response = self.url_open(f"/report/{kind}/{REPORT}/{self.guide.id}")
            self.assertNotEqual(response.status_code, 200)
            self.assertNotIn("Former les administrateurs", response.text)
        self.assertRpcRefused(
            [
                ("ir.actions.report", "_render_qweb_pdf", [REPORT, [self.guide.id]]),
                ("ir.actions.report", "_render_qweb_html", [REPORT, [self.guide.id]]),
                (f"report.{REPORT}", "_get_report_values", [[self.guide.id]]),
            ]
        )

    def test_report_model_checks_access(self):
        Report = self.env[f"report.{REPORT}"]
        with self.assertRaises(Exception) as error:
            Report.with_user(self.other_user)._get_report_values(self.guide.ids)
        self.assertEqual(type(error.exception).__name__, "AccessError")
        values = Report.with_user(self.user)._get_report_values(self.guide.ids)
        self.assertEqual(values["docs"], self.guide)

    # ------------------------------------------------------------- performance
    def _guide_with(self, year, questions, actions):
        guide = self.env["ess.guide.year"].create(
            {
                "partner_id": self.org.id,
                "year": year,
                "state": "in_progress",
                "pilot_ids": [Command.set(self.pilot.ids)],
            }
        )
        guide.theme_line_ids.write({"decision": "retained", "good_practices": "Pratique"})
        guide.line_ids[questions:].unlink()
        for line in guide.line_ids:
            if line.kind == "quantitative":
                line.write({"baseline": 1, "objective_1y": 2, "value": 2, "has_value": True})
            else:
                line.write({"baseline_text": "État", "achievement_1y": "met"})
        self.env["ess.action"].create(
            [
                {
                    "name": f"Action {index}",
                    "partner_id": self.org.id,
                    "guide_year_id": guide.id,
                    "pilot_id": self.pilot.id,
                    "budget": 100 * index,
                    "date_deadline": date(year, 12, 31),
                    "theme_id": guide.theme_line_ids[index % 8].theme_id.id,
                }
                for index in range(actions)
            ]
        )
        self.assertEqual((len(guide.line_ids), len(guide.action_ids)), (questions, actions))
        return guide

    @warmup
    def test_queries_do_not_grow_with_questions_and_actions(self):
        small = self._guide_with(2030, 10, 5)
        full = self._guide_with(2031, 68, 50)
        for guide in (small, full):
            self.env.invalidate_all()
            with self.assertQueryCount(AG_REPORT_QUERIES):
                self._render_html(guide)


# SQL queries of rendering the general assembly report of one guide year as
# staff, caches warm: the same for 10 questions and 5 actions as for 68
# questions and 50 actions.
AG_REPORT_QUERIES = 34
