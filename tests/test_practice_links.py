from odoo.tests import tagged

from .test_practice import PracticeCase


@tagged("post_install", "-at_install")
class TestPracticeSuggestions(PracticeCase):
    """Suggested reading: the published sheets of an organisation's weakest
    self-assessment domains, then of the themes where its latest guide year
    wrote progress areas, then of the weak domains' themes; each once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ess.membership"].create({"partner_id": cls.org.id, "state": "member"})
        cls.assessment = cls.env["ess.assessment"].create({"partner_id": cls.org.id, "year": 2025})
        levels = {v: cls.env.ref(f"ess_network.ess_maturity_level_{v}") for v in range(5)}
        answers = {"3.2.1": 0, "4.1.1": 1, "1.3.1": 4, "6.1.1": 4}
        for code, level in answers.items():
            question = cls.env.ref(f"ess_network.ess_guide_question_{code.replace('.', '_')}")
            cls.assessment.answer_ids.filtered(lambda a, q=question: a.question_id == q).write(
                {"level_id": levels[level].id}
            )
        cls.year = cls.env["ess.guide.year"].create({"partner_id": cls.org.id, "year": 2025})
        cls.year.theme_line_ids.filtered(lambda t: t.theme_id == cls.theme_7).write(
            {"decision": "retained", "progress_areas": "Réduire nos déchets."}
        )
        cls.year.theme_line_ids.filtered(lambda t: t.theme_id == cls.theme_6).write(
            {"decision": "retained", "progress_areas": "   "}
        )
        # what the grid says
        assert cls.assessment.progress_area_ids.domain_id == cls.domain_3_2 | cls.domain_4_1

        def published(name, **vals):
            sheet = cls._sheet(name, **vals)
            sheet.action_publish()
            return sheet

        cls.sheet_32 = published("Acheter local (test)", domain_id=cls.domain_3_2.id)
        cls.sheet_41 = published("Qualité de l'emploi (test)", domain_id=cls.domain_4_1.id)
        cls.sheet_7 = published("Réduire les déchets (test)", theme_id=cls.theme_7.id)
        cls.sheet_3 = published("Territoire (test)", theme_id=cls.domain_3_2.theme_id.id)
        # not suggested: a draft, an archived sheet, a strong domain, theme 6
        # (no progress area written)
        cls._sheet("Brouillon (test)", domain_id=cls.domain_3_2.id)
        published("Archivée (test)", domain_id=cls.domain_3_2.id).action_archive()
        published("Exercice du pouvoir (test)", domain_id=cls.domain_1_3.id)
        published("Égalité (test)", theme_id=cls.theme_6.id)

    def _suggested(self, limit=6, user=None):
        Practice = self.env["ess.practice"].with_user(user or self.staff)
        return Practice._suggested_for(self.org, limit=limit)

    def test_weakest_first_with_why(self):
        suggestions = self._suggested()
        practices = [s["practice"] for s in suggestions]
        self.assertEqual(practices, [self.sheet_32, self.sheet_41, self.sheet_7, self.sheet_3])
        self.assertEqual(suggestions[0]["domain"], self.domain_3_2)
        self.assertIn("Progress area of the self-assessment 2025", suggestions[0]["reason"])
        self.assertEqual(suggestions[2]["theme"], self.theme_7)
        self.assertFalse(suggestions[2]["domain"])
        self.assertIn("guide year 2025", suggestions[2]["reason"])
        # the limit keeps the most urgent
        self.assertEqual(
            [s["practice"] for s in self._suggested(limit=2)], [self.sheet_32, self.sheet_41]
        )
        # no self-assessment nor guide year: nothing
        Practice = self.env["ess.practice"].with_user(self.staff)
        self.assertEqual(Practice._suggested_for(self.other_org), [])

    def test_back_end_fields(self):
        self.env.invalidate_all()  # as in a new request
        assessment = self.assessment.with_user(self.staff)
        self.assertEqual(
            assessment.suggested_practice_ids.ids,
            [self.sheet_32.id, self.sheet_41.id, self.sheet_7.id, self.sheet_3.id],
        )
        organisation = self.org.with_user(self.staff)
        self.assertEqual(organisation.ess_suggested_practice_ids, assessment.suggested_practice_ids)
        form = self.env["ess.assessment"].with_user(self.staff).get_view(view_type="form")
        self.assertIn("suggested_practice_ids", form["arch"])

    def test_bounded_queries(self):
        Practice = self.env["ess.practice"].with_user(self.staff)

        def queries():
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            suggestions = Practice._suggested_for(self.org)
            # read as a page does
            self.assertTrue(all(s["practice"].name for s in suggestions))
            return self.env.cr.sql_log_count - start

        def add(count):
            for number in range(count):
                for domain in (self.domain_3_2, self.domain_4_1):
                    self._sheet(
                        f"Encore {domain.code} {number}", domain_id=domain.id
                    ).action_publish()
                self._sheet(f"Encore thème 7 {number}", theme_id=self.theme_7.id).action_publish()

        add(3)
        queries()
        count_n = queries()
        add(6)
        count_3n = queries()
        self.assertEqual(count_n, count_3n)
        self.assertLessEqual(count_n, 25)


@tagged("post_install", "-at_install")
class TestPracticeLinks(PracticeCase):
    """A sheet inspires actions and illustrates guide year themes; its form
    counts the actions."""

    def test_actions_inspired(self):
        practice = self._sheet("Se doter d'un CA junior (test)")
        practice.action_publish()
        self.env["ess.membership"].create({"partner_id": self.org.id, "state": "member"})
        action = (
            self.env["ess.action"]
            .with_user(self.staff)
            .create({"name": "Ouvrir le conseil aux jeunes", "partner_id": self.org.id})
        )
        action.practice_id = practice
        self.assertEqual(practice.action_count, 1)
        window = practice.action_view_actions()
        self.assertEqual(window["domain"], [("practice_id", "=", practice.id)])
        self.assertEqual(self.env["ess.action"].search(window["domain"]), action)
        self.assertIn("state", str(self.env["ess.action"]._fields["practice_id"].domain))
        form = self.env["ess.action"].with_user(self.staff).get_view(view_type="form")
        self.assertIn('name="practice_id"', form["arch"])

    def test_guide_year_theme_sheets(self):
        practice = self._sheet("Réduire les déchets (test)", theme_id=self.theme_7.id)
        practice.action_publish()
        self.env["ess.membership"].create({"partner_id": self.org.id, "state": "member"})
        year = (
            self.env["ess.guide.year"]
            .with_user(self.staff)
            .create({"partner_id": self.org.id, "year": 2025})
        )
        line = year.theme_line_ids.filtered(lambda t: t.theme_id == self.theme_7)
        line.practice_ids = practice
        self.assertEqual(line.practice_ids, practice)
        self.assertEqual(line._next_year_values()["practice_ids"][0][2], practice.ids)
        form = self.env["ess.guide.year"].with_user(self.staff).get_view(view_type="form")
        self.assertIn('name="practice_ids"', form["arch"])

    def test_back_end_views_and_menus(self):
        Practice = self.env["ess.practice"].with_user(self.staff)
        for view_type in ("form", "list", "kanban", "search"):
            with self.subTest(view_type=view_type):
                self.assertTrue(Practice.get_view(view_type=view_type)["arch"])
        kanban = Practice.get_view(view_type="kanban")["arch"]
        self.assertIn('default_group_by="theme_id"', kanban)
        menus = self.env["ir.ui.menu"].with_user(self.staff)._visible_menu_ids()
        for xmlid in (
            "ess_network.ess_practice_menu",
            "ess_network.ess_practice_menu_moderate",
            "ess_network.ess_keyword_menu",
            "ess_network.ess_organisation_kind_menu",
        ):
            self.assertIn(self.env.ref(xmlid).id, menus, xmlid)
