from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestGuideYear(EssNetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.theme_gov = cls.env.ref("ess_network.ess_guide_theme_1")
        cls.theme_env = cls.env.ref("ess_network.ess_guide_theme_7")
        cls.q_ag = cls.env.ref("ess_network.ess_guide_question_1_3_1")
        cls.q_training = cls.env.ref("ess_network.ess_guide_question_1_3_2")
        cls.Guide = cls.env["ess.guide.year"]

    def _guide(self, year=2025, partner=None, user=None):
        return self.Guide.with_user(user or self.staff).create(
            {"partner_id": (partner or self.org).id, "year": year}
        )

    def _theme(self, guide, theme):
        return guide.theme_line_ids.filtered(lambda t: t.theme_id == theme)

    def _line(self, guide, question):
        return guide.line_ids.filtered(lambda line: line.question_id == question)

    # ------------------------------------------------------------- reference
    def test_reference_shipped(self):
        themes = self.env["ess.guide.theme"].search([])
        self.assertEqual(len(themes), 8)
        self.assertEqual(themes[0].name, "Modalités effectives de gouvernance démocratique")
        self.assertEqual(set(themes.mapped("provenance")), {"official"})
        domain = self.env.ref("ess_network.ess_guide_domain_1_3")
        self.assertEqual(domain.display_name, "1.3 Exercice du pouvoir")
        self.assertEqual(
            self.q_ag.name,
            "Le taux de participation à l'Assemblée Générale et son évolution sont-ils "
            "satisfaisants ?",
        )
        self.assertEqual((self.q_ag.kind, self.q_ag.provenance), ("qualitative", "official"))
        self.assertEqual((self.q_training.kind, self.q_training.unit), ("quantitative", "%"))
        questions = self.env["ess.guide.question"].search([])
        self.assertEqual(set(questions.mapped("kind")), {"qualitative", "quantitative"})
        self.assertTrue(all(q.unit for q in questions if q.kind == "quantitative"))
        self.assertEqual(len(self.env["ess.guide.step"].search([])), 12)

    def test_reference_rules(self):
        domain = self.env.ref("ess_network.ess_guide_domain_1_3")
        Question = self.env["ess.guide.question"].with_user(self.admin)
        with self.assertRaisesRegex(ValidationError, "needs its unit"):
            Question.create(
                {"domain_id": domain.id, "code": "1.3.9", "name": "Nombre", "kind": "quantitative"}
            )
        added = Question.create(
            {"domain_id": domain.id, "code": "1.3.10", "name": "Question du réseau ?"}
        )
        self.assertEqual(added.provenance, "network")
        self.assertEqual(added.theme_id, self.theme_gov)
        with self.assertRaises(AccessError):
            self.env["ess.guide.question"].with_user(self.staff).create(
                {"domain_id": domain.id, "code": "1.3.11", "name": "Autre ?"}
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            Question.create({"domain_id": domain.id, "code": "1.3.10", "name": "Doublon ?"})

    def test_retiring_a_question_keeps_past_years(self):
        past = self._guide(2024)
        self.assertTrue(self._line(past, self.q_training))
        self.q_training.with_user(self.admin).active = False
        self.assertTrue(self._line(past, self.q_training), "past years keep the question")
        self.assertFalse(self._line(self._guide(2025), self.q_training))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.q_training.with_user(self.admin).unlink()

    # ------------------------------------------------------------ guide year
    def test_new_guide_year_is_built_from_the_reference(self):
        guide = self._guide()
        questions = self.env["ess.guide.question"].search([])
        self.assertEqual(guide.name, "Guide 2025 – Association Test Solidaire")
        self.assertEqual(len(guide.step_ids), 12)
        self.assertEqual(guide.step_ids.mapped("sequence"), list(range(1, 13)))
        self.assertEqual(len(guide.theme_line_ids), 8)
        self.assertEqual(set(guide.theme_line_ids.mapped("decision")), {"pending"})
        self.assertEqual(guide.line_ids.question_id, questions)
        self.assertEqual(set(guide.line_ids.mapped("baseline_year")), {2025})
        line = self._line(guide, self.q_ag)
        self.assertEqual(line.theme_line_id, self._theme(guide, self.theme_gov))
        self.assertFalse(line.in_scope, "a theme still to decide is not worked on")
        self.assertEqual(guide.state, "draft")

    def test_one_guide_per_organisation_and_year(self):
        self._guide(2025)
        self._guide(2026)
        self._guide(2025, partner=self.other_org)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._guide(2025)

    def test_year_and_organisation_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "not a valid guide year"):
            self._guide(1999)
        with self.assertRaisesRegex(ValidationError, "organisation, not to a person"):
            self._guide(2025, partner=self.org_contact)

    def test_not_retained_theme_needs_its_reason(self):
        guide = self._guide()
        theme = self._theme(guide, self.theme_env)
        with self.assertRaisesRegex(ValidationError, "Say why the theme"):
            theme.decision = "not_retained"
        theme.write({"decision": "not_retained", "reason": "Question non traitée car hors champ"})
        self.assertEqual(guide.theme_retained_count, 0)
        self.assertFalse(any(theme.line_ids.mapped("in_scope")))
        theme.decision = "retained"
        self.assertFalse(theme.reason, "a retained theme has no reason left")
        self.assertEqual(guide.theme_retained_count, 1)
        self.assertTrue(all(theme.line_ids.mapped("in_scope")))

    def test_not_treated_question_needs_its_reason(self):
        guide = self._guide()
        self._theme(guide, self.theme_gov).decision = "retained"
        line = self._line(guide, self.q_training)
        with self.assertRaisesRegex(ValidationError, "Say why the question"):
            line.retained = False
        line.write(
            {
                "retained": False,
                "reason": "nos admin ont été choisis au regard de leur expertise",
            }
        )
        self.assertFalse(line.in_scope)
        self.assertEqual(
            guide.line_retained_count, len(self._theme(guide, self.theme_gov).line_ids) - 1
        )

    def test_progress_of_quantitative_objectives(self):
        guide = self._guide()
        line = self._line(guide, self.q_training)
        line.write({"baseline": 20, "objective_1y": 40, "objective_3y": 100})
        self.assertEqual((line.progress_1y, line.progress_3y), (0, 0), "nothing measured yet")
        line.write({"value": 30, "has_value": True})
        self.assertEqual((line.progress_1y, line.progress_3y), (50, 12.5))
        line.value = 60
        self.assertEqual((line.progress_1y, line.progress_3y), (100, 50), "capped at 100 %")
        line.value = 10
        self.assertEqual(line.progress_1y, 0, "going backwards is no progress")
        # an objective to decrease: from 30 to 10
        line.write({"baseline": 30, "objective_1y": 10, "value": 25})
        self.assertEqual(line.progress_1y, 25)
        line.write({"objective_1y": 30, "value": 30})
        self.assertEqual(line.progress_1y, 100, "keeping a level already reached")
        self.assertEqual(line.baseline_display, "30 %")
        self.assertEqual(line.value_display, "30 %")

    def test_progress_of_qualitative_objectives(self):
        guide = self._guide()
        line = self._line(guide, self.q_ag)
        line.write(
            {
                "baseline_text": "Pas de données consolidées",
                "objective_1y_text": "Dresser l'état des lieux",
                "objective_3y_text": "Avoir atteint l'objectif fixé en année 1",
            }
        )
        self.assertEqual((line.progress_1y, line.progress_3y), (0, 0))
        line.write({"achievement_1y": "met", "achievement_3y": "partly_met"})
        self.assertEqual((line.progress_1y, line.progress_3y), (100, 50))
        self.assertEqual(line.baseline_display, "Pas de données consolidées")

    def test_steps_are_ticked_by_whom_and_when(self):
        guide = self._guide()
        step = guide.step_ids[0].with_user(self.staff)
        step.done = True
        self.assertEqual(step.done_by_id, self.staff)
        self.assertTrue(step.done_date)
        self.assertEqual(guide.step_progress, 8)
        self.assertIn("Steps updated", guide.message_ids[0].body)
        self.assertIn(step.name, guide.message_ids[0].body)
        step.done = False
        self.assertFalse(step.done_by_id)

    def test_close_needs_every_theme_decided(self):
        guide = self._guide()
        self.env.cr.flush()
        guide.action_start()
        self.env.cr.flush()
        with self.assertRaisesRegex(UserError, "Decide whether each theme"):
            guide.action_close()
        for theme in guide.theme_line_ids:
            theme.write({"decision": "not_retained", "reason": "Pas cette année"})
        self._theme(guide, self.theme_gov).decision = "retained"
        guide.action_close()
        self.assertEqual(guide.state, "closed")
        self.env.cr.flush()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.res_id", "=", guide.id),
                ("mail_message_id.model", "=", "ess.guide.year"),
                ("field_id.name", "=", "state"),
            ]
        )
        self.assertEqual(tracked.mapped("new_value_char"), ["Closed", "In progress"])

    def _closed_guide(self):
        guide = self._guide()
        guide.action_start()
        for theme in guide.theme_line_ids:
            theme.decision = "retained"
        guide.action_close()
        return guide

    def test_closed_year_is_read_only_but_for_administrators(self):
        guide = self._closed_guide()
        line = self._line(guide, self.q_training)
        for record, vals in (
            (guide, {"general_assembly_debate": "Changement"}),
            (line, {"baseline": 5}),
            (self._theme(guide, self.theme_gov), {"good_practices": "Nouveau"}),
            (guide.step_ids[0], {"done": True}),
        ):
            with self.assertRaisesRegex(UserError, "is closed"):
                record.with_user(self.staff).write(vals)
        with self.assertRaisesRegex(UserError, "Only a network administrator can reopen"):
            guide.with_user(self.staff).action_reopen()
        # messages are still welcome on a closed year
        guide.with_user(self.staff).message_post(body="Bravo pour la présentation en AG")
        line.with_user(self.admin).baseline = 5
        self.assertEqual(line.baseline, 5)
        guide.with_user(self.admin).action_reopen()
        self.assertEqual(guide.state, "in_progress")
        line.with_user(self.staff).baseline = 6
        self.assertEqual(line.baseline, 6)

    def test_next_year_starts_from_this_one(self):
        guide = self._guide(2025)
        guide.write(
            {
                "pilot_ids": [(4, self.org_contact.id)],
                "method": "<p>Binôme salarié / élu</p>",
            }
        )
        guide.action_start()
        self._theme(guide, self.theme_gov).write(
            {"decision": "retained", "good_practices": "AG annuelle ouverte"}
        )
        self._theme(guide, self.theme_env).write(
            {"decision": "not_retained", "reason": "Question non traitée car pas prioritaire"}
        )
        self._line(guide, self.q_training).write(
            {
                "baseline": 20,
                "objective_1y": 40,
                "objective_3y": 80,
                "value": 35,
                "has_value": True,
            }
        )
        self._line(guide, self.q_ag).write(
            {"baseline_text": "Feuilles d'émargement", "value_text": "Taux de 45 %"}
        )
        retired = self.env["ess.guide.question"].search(
            [("theme_id", "=", self.theme_env.id)], limit=1
        )
        retired.active = False
        action = guide.with_user(self.staff).action_prepare_next_year()
        new = self.Guide.browse(action["res_id"])
        self.assertEqual((new.year, new.partner_id, new.state), (2026, self.org, "draft"))
        self.assertEqual(new.previous_year_id, guide)
        self.assertEqual(new.pilot_ids, self.org_contact)
        self.assertEqual(new.method, guide.method)
        self.assertEqual(len(new.step_ids), 12)
        self.assertFalse(any(new.step_ids.mapped("done")))
        self.assertEqual(self._theme(new, self.theme_gov).good_practices, "AG annuelle ouverte")
        self.assertEqual(self._theme(new, self.theme_env).decision, "not_retained")
        self.assertEqual(
            self._theme(new, self.theme_env).reason, "Question non traitée car pas prioritaire"
        )
        line = self._line(new, self.q_training)
        self.assertEqual(
            (line.baseline, line.objective_1y, line.objective_3y, line.baseline_year),
            (20, 40, 80, 2025),
        )
        self.assertFalse(line.has_value, "this year's value is still to measure")
        self.assertEqual(line.previous_value_display, "35 %")
        self.assertEqual(line.theme_line_id, self._theme(new, self.theme_gov))
        self.assertEqual(self._line(new, self.q_ag).previous_value_text, "Taux de 45 %")
        self.assertFalse(self._line(new, retired), "a retired question is not carried over")
        self.assertTrue(self._line(guide, retired), "the past year keeps it")
        with self.assertRaisesRegex(UserError, "already has a guide for 2026"):
            guide.action_prepare_next_year()

    def test_guide_years_are_never_lost(self):
        guide = self._guide()
        with self.assertRaises(AccessError):
            guide.with_user(self.staff).unlink()
        guide.action_start()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            guide.with_user(self.admin).unlink()
        empty = self._guide(2030)
        empty.with_user(self.admin).unlink()
        self.assertFalse(empty.exists())

    def test_form_of_a_guide_year(self):
        form = Form(self.Guide.with_user(self.staff))
        form.partner_id = self.org
        form.year = 2027
        guide = form.save()
        self.assertEqual(guide.user_id, self.staff)
        self.assertEqual(len(guide.line_ids), len(self.env["ess.guide.question"].search([])))
        with Form(guide.with_user(self.staff)) as form, form.theme_line_ids.edit(0) as theme:
            theme.decision = "retained"
            theme.good_practices = "Conseil d'administration renouvelé"
        self.assertEqual(guide.theme_line_ids[0].decision, "retained")

    def test_partner_smart_buttons(self):
        guide = self._guide()
        self.env["ess.action"].create(
            {
                "name": "Former les administrateurs",
                "partner_id": self.org.id,
                "guide_year_id": guide.id,
            }
        )
        self.assertEqual((self.org.ess_guide_year_count, self.org.ess_action_count), (1, 1))
        self.assertEqual(self.org._ess_current_guide_year(), guide)
        action = self.org.action_view_ess_guide_years()
        self.assertEqual(self.Guide.search(action["domain"]), guide)
        self.assertEqual(guide.action_view_actions()["context"]["default_guide_year_id"], guide.id)
