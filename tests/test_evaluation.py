from contextlib import contextmanager
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import EssNetworkCase

YEAR = 2026


@tagged("post_install", "-at_install")
class TestEvaluation(EssNetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.evaluator_org = cls._create_org("Coopérative Évaluatrice")
        cls.evaluator = Partner.create(
            {"name": "Paul Pair", "parent_id": cls.evaluator_org.id, "function": "Directeur"}
        )
        cls.evaluator_2 = Partner.create({"name": "Inès Pair", "parent_id": cls.evaluator_org.id})
        cls.third_org = cls._create_org("Mutuelle Tierce")
        cls.third_person = Partner.create({"name": "Tom Tiers", "parent_id": cls.third_org.id})
        cls.level = {n: cls.env.ref(f"ess_network.ess_maturity_level_{n}") for n in range(5)}
        cls.question = {
            code: cls.env.ref(f"ess_network.ess_guide_question_{code}")
            for code in ("1_1_1", "1_1_2", "1_1_3", "2_1_1", "3_1_1")
        }
        cls.theme = {n: cls.env.ref(f"ess_network.ess_guide_theme_{n}") for n in (1, 2, 3)}
        cls.Evaluation = cls.env["ess.evaluation"].with_user(cls.staff)
        cls.visit = datetime(YEAR, 3, 10, 8, 0)

    @contextmanager
    def _refused(self, exception, regex):
        """Expect ``exception`` matching ``regex``, and roll back what the
        refused call wrote, as the request of a user would be."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _evaluation(self, **vals):
        return self.Evaluation.create(
            {
                "partner_id": self.org.id,
                "evaluator_partner_id": self.evaluator_org.id,
                "evaluator_ids": [fields.Command.set(self.evaluator.ids)],
                "year": YEAR,
                **vals,
            }
        )

    def _answer(self, assessment, levels):
        """Answer ``assessment``: question code → level number or "n/a"."""
        for code, level in levels.items():
            answer = assessment.answer_ids.filtered(
                lambda a, code=code: a.question_id == self.question[code]
            )
            if level == "n/a":
                answer.write({"not_applicable": True})
            else:
                answer.write({"level_id": self.level[level].id})

    def _ready_to_complete(self, evaluation):
        evaluation.action_start()
        self._answer(evaluation.assessment_id.with_user(self.staff), {"1_1_1": 3})
        evaluation.write(
            {
                "point_ids": [
                    fields.Command.create({"kind": "strong", "name": "Gouvernance ouverte"}),
                    fields.Command.create({"kind": "improvement", "name": "Publier les comptes"}),
                ]
            }
        )
        return evaluation

    # ------------------------------------------------------- conflict of interest
    def test_valid_evaluator_is_accepted_and_gets_a_peer_grid(self):
        form = Form(self.Evaluation)
        form.partner_id = self.org
        form.evaluator_partner_id = self.evaluator_org
        form.evaluator_ids.add(self.evaluator)
        form.evaluator_ids.add(self.evaluator_2)
        form.year = YEAR
        evaluation = form.save()
        self.assertEqual(evaluation.state, "planned")
        self.assertEqual(evaluation.user_id, self.staff)
        self.assertEqual(
            evaluation.name,
            "Evaluation 2026 – Association Test Solidaire (evaluator: Coopérative Évaluatrice)",
        )
        self.assertFalse(evaluation._conflict_reasons())
        grid = evaluation.assessment_id
        self.assertEqual(grid.kind, "peer")
        self.assertEqual(grid.evaluation_id, evaluation)
        self.assertEqual((grid.partner_id, grid.year), (self.org, YEAR))
        questions = self.env["ess.guide.question"].search([("domain_id.active", "=", True)])
        self.assertEqual(grid.question_count, len(questions))
        self.assertEqual(grid.answer_ids.question_id, questions)
        self.assertFalse(grid.answered_count)

    def test_an_organisation_cannot_evaluate_itself(self):
        with self.assertRaisesRegex(ValidationError, "an organisation cannot evaluate itself"):
            self._evaluation(evaluator_partner_id=self.org.id, evaluator_ids=[])

    def test_an_evaluator_of_the_evaluated_organisation_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "Marie Test belongs to the evaluated organisation"
        ):
            self._evaluation(
                evaluator_ids=[fields.Command.set((self.evaluator | self.org_contact).ids)]
            )

    def test_an_evaluator_from_elsewhere_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "Tom Tiers does not belong to the evaluator organisation"
        ):
            self._evaluation(evaluator_ids=[fields.Command.set(self.third_person.ids)])

    def test_a_commercial_relationship_either_way_is_refused(self):
        message = (
            "Coopérative Évaluatrice cannot evaluate Association Test Solidaire: "
            "Coopérative Évaluatrice and Association Test Solidaire declared a commercial "
            "relationship"
        )
        self.org.ess_commercial_relation_ids = self.evaluator_org
        with self.assertRaisesRegex(ValidationError, message):
            self._evaluation()
        self.org.ess_commercial_relation_ids = False
        self.evaluator_org.ess_commercial_relation_ids = self.org
        with self.assertRaisesRegex(ValidationError, message):
            self._evaluation()
        self.evaluator_org.ess_commercial_relation_ids = self.third_org
        self.assertTrue(self._evaluation(), "a relationship with another organisation is fine")

    def test_a_relationship_declared_later_stops_the_evaluation(self):
        evaluation = self._evaluation()
        self.evaluator_org.ess_commercial_relation_ids = self.org
        with self._refused(ValidationError, "declared a commercial relationship"):
            evaluation.action_start()
        self.assertEqual(evaluation.state, "planned")
        evaluation.action_cancel()
        self.assertEqual(evaluation.state, "cancelled", "a cancelled evaluation is kept")

    def test_an_explicit_declaration_is_refused_with_its_reason(self):
        evaluation = self._evaluation()
        with self._refused(
            ValidationError,
            "a conflict of interest was declared: Paul Pair siège au conseil de l'association",
        ):
            evaluation.write(
                {
                    "conflict_declared": True,
                    "conflict_note": "Paul Pair siège au conseil de l'association",
                }
            )
        # the declaration is kept on the cancelled evaluation
        self.assertFalse(evaluation.conflict_declared)
        evaluation.action_cancel()
        evaluation.write({"conflict_declared": True, "conflict_note": "Conseil commun"})
        with self._refused(ValidationError, "declared: Conseil commun"):
            evaluation.action_reset_to_planned()
        self.assertEqual(evaluation.state, "cancelled")

    # --------------------------------------------------------------------- states
    def test_states_and_their_refusals(self):
        evaluation = self._evaluation(evaluator_ids=[])
        with self.assertRaisesRegex(UserError, "Set the date of the visit first"):
            evaluation.action_schedule_visit()
        evaluation.date_visit = self.visit
        with self.assertRaisesRegex(
            UserError, "Choose first the persons of the organisation “Coopérative Évaluatrice”"
        ):
            evaluation.action_schedule_visit()
        with self.assertRaisesRegex(
            UserError, "Choose first the persons of the organisation “Coopérative Évaluatrice”"
        ):
            evaluation.action_start()
        with self.assertRaisesRegex(UserError, "Only an evaluation in progress can be completed"):
            evaluation.action_complete()
        with self.assertRaisesRegex(UserError, "Only a cancelled evaluation is planned again"):
            evaluation.action_reset_to_planned()
        evaluation.evaluator_ids = self.evaluator
        evaluation.action_schedule_visit()
        self.assertEqual(evaluation.state, "scheduled")
        evaluation.action_start()
        self.assertEqual(evaluation.state, "in_progress")
        with self.assertRaisesRegex(UserError, "cannot start: it is In progress"):
            evaluation.action_start()
        with self.assertRaisesRegex(UserError, "can no longer be scheduled"):
            evaluation.action_schedule_visit()
        with self.assertRaisesRegex(UserError, "Fill in the evaluation grid before completing"):
            evaluation.action_complete()
        self._answer(evaluation.assessment_id, {"1_1_1": 2})
        with self.assertRaisesRegex(UserError, "Write the strong points and improvement points"):
            evaluation.action_complete()
        self.env["ess.evaluation.point"].with_user(self.staff).create(
            {"evaluation_id": evaluation.id, "kind": "strong", "name": "Projet partagé"}
        )
        evaluation.action_complete()
        self.assertEqual(evaluation.state, "completed")
        self.assertEqual(evaluation.date_completed, fields.Date.context_today(evaluation))
        self.assertEqual(evaluation.assessment_id.state, "done", "the peer grid is closed")
        with self.assertRaisesRegex(UserError, "cannot be cancelled: it is Completed"):
            evaluation.action_cancel()

    def test_status_written_directly_goes_through_the_same_checks(self):
        """Kanban drag and drop or RPC write the status: same rules as the buttons."""
        evaluation = self._evaluation()
        with self.assertRaisesRegex(UserError, "Only an evaluation in progress can be completed"):
            evaluation.write({"state": "completed"})
        with self.assertRaisesRegex(UserError, "Set the date of the visit first"):
            evaluation.write({"state": "scheduled"})
        evaluation.write({"state": "scheduled", "date_visit": self.visit})
        self.assertEqual(evaluation.state, "scheduled")
        self.assertTrue(evaluation.event_id, "dropped in Visit scheduled: the event exists")
        evaluation.write({"state": "in_progress"})
        self.assertEqual(evaluation.state, "in_progress")
        with self.assertRaisesRegex(UserError, "starts planned"):
            self._evaluation(state="completed")

    def test_scheduling_the_visit_creates_then_moves_its_event(self):
        evaluation = self._evaluation(
            date_visit=self.visit,
            visit_duration=2.5,
            evaluator_ids=[fields.Command.set((self.evaluator | self.evaluator_2).ids)],
        )
        evaluation.action_schedule_visit()
        event = evaluation.event_id
        self.assertTrue(event)
        self.assertEqual(event.start, self.visit)
        self.assertEqual(event.stop, self.visit + timedelta(hours=2.5))
        self.assertEqual(
            event.partner_ids,
            self.evaluator | self.evaluator_2 | self.org.child_ids | self.staff.partner_id,
            "evaluators, the evaluated organisation's contacts and the coordinator",
        )
        self.assertIn(self.org_contact, event.partner_ids)
        self.assertEqual((event.res_model, event.res_id), ("ess.evaluation", evaluation.id))
        self.assertEqual(event.user_id, self.staff)
        self.assertIn("Association Test Solidaire", event.name)
        # moving the date moves the event, without a second one
        later = self.visit + timedelta(days=7)
        evaluation.date_visit = later
        self.assertEqual(evaluation.event_id, event)
        self.assertEqual(event.start, later)
        evaluation.evaluator_ids = self.evaluator
        self.assertNotIn(self.evaluator_2, event.partner_ids, "attendees follow the evaluators")
        evaluation.action_schedule_visit()
        self.assertEqual(evaluation.event_id, event)
        self.assertEqual(
            self.env["calendar.event"].search_count(
                [("res_model", "=", "ess.evaluation"), ("res_id", "=", evaluation.id)]
            ),
            1,
        )
        # a cancelled evaluation archives its visit
        evaluation.action_cancel()
        self.assertFalse(event.active)

    def test_completing_sets_the_flags_of_both_organisations(self):
        self.assertFalse(self.org.ess_has_completed_evaluation)
        self.assertFalse(self.evaluator_org.ess_has_conducted_evaluation)
        cancelled = self.Evaluation.create(
            {
                "partner_id": self.third_org.id,
                "evaluator_partner_id": self.evaluator_org.id,
                "evaluator_ids": [fields.Command.set(self.evaluator.ids)],
                "year": YEAR,
            }
        )
        self._ready_to_complete(cancelled)
        cancelled.action_cancel()
        evaluation = self._ready_to_complete(self._evaluation())
        self.assertFalse(self.third_org.ess_has_completed_evaluation, "cancelled: not a cycle")
        self.assertFalse(self.evaluator_org.ess_has_conducted_evaluation)
        self.assertFalse(self.org.ess_has_completed_evaluation, "in progress: not yet")
        evaluation.action_complete()
        self.assertTrue(self.org.ess_has_completed_evaluation)
        self.assertTrue(self.evaluator_org.ess_has_conducted_evaluation)
        self.assertFalse(self.org.ess_has_conducted_evaluation)
        self.assertFalse(self.evaluator_org.ess_has_completed_evaluation)
        self.assertFalse(self.third_org.ess_has_completed_evaluation)
        completed = self.env["res.partner"].search(
            [("ess_has_completed_evaluation", "=", True), ("id", "in", self.org.ids)]
        )
        self.assertEqual(completed, self.org, "the flags are stored and searchable")

    def test_a_completed_evaluation_is_read_only_but_for_administrators(self):
        evaluation = self._ready_to_complete(self._evaluation())
        evaluation.action_complete()
        with self.assertRaisesRegex(UserError, "is completed: it can no longer be changed"):
            evaluation.summary = "<p>Réécrit</p>"
        with self.assertRaisesRegex(UserError, "its points can no longer be changed"):
            evaluation.point_ids[0].name = "Autre"
        with self.assertRaisesRegex(UserError, "its points can no longer be changed"):
            self.env["ess.evaluation.point"].with_user(self.staff).create(
                {"evaluation_id": evaluation.id, "name": "Tardif"}
            )
        evaluation.user_id = self.admin  # the coordinator may still change
        as_admin = evaluation.with_user(self.admin)
        as_admin.summary = "<p>Corrigé par l'administrateur</p>"
        as_admin.point_ids[0].name = "Corrigé"
        self.assertEqual(evaluation.point_ids[0].name, "Corrigé")

    def test_evaluations_are_never_deleted(self):
        evaluation = self._evaluation()
        with self.assertRaises(AccessError):
            evaluation.unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            evaluation.sudo().unlink()
        self.assertTrue(evaluation.exists())

    # ------------------------------------------------------- points and actions
    def test_improvement_point_becomes_an_action_linked_both_ways(self):
        guide = self.env["ess.guide.year"].create({"partner_id": self.org.id, "year": YEAR})
        evaluation = self._evaluation()
        Point = self.env["ess.evaluation.point"].with_user(self.staff)
        domain = self.env.ref("ess_network.ess_guide_domain_2_1")
        point = Point.create(
            {
                "evaluation_id": evaluation.id,
                "name": "Associer les salariés à la stratégie",
                "domain_id": domain.id,
                "description": "Ateliers ouverts avant l'assemblée générale",
            }
        )
        self.assertEqual(point.kind, "improvement")
        self.assertEqual(point.theme_id, self.theme[2], "the theme follows the domain")
        result = point.action_create_action()
        action = point.action_id
        self.assertTrue(action)
        self.assertEqual((result["res_model"], result["res_id"]), ("ess.action", action.id))
        self.assertEqual(action.name, "Associer les salariés à la stratégie")
        self.assertEqual(action.origin, "evaluation")
        self.assertEqual(action.partner_id, self.org, "in the evaluated organisation's plan")
        self.assertEqual(action.guide_year_id, guide)
        self.assertEqual((action.theme_id, action.domain_id), (self.theme[2], domain))
        self.assertEqual(action.evaluation_point_id, point)
        self.assertEqual(action.evaluation_id, evaluation)
        self.assertIn("Ateliers ouverts", action.description)
        self.assertEqual(evaluation.action_ids, action)
        self.assertEqual(evaluation.action_count, 1)
        self.assertEqual(
            self.env["ess.action"].search(evaluation.action_view_actions()["domain"]), action
        )
        with self.assertRaisesRegex(UserError, "already has its action"):
            point.action_create_action()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            point.unlink()
        strong = Point.create(
            {"evaluation_id": evaluation.id, "kind": "strong", "name": "Accueil inconditionnel"}
        )
        with self.assertRaisesRegex(UserError, "Only an improvement point becomes an action"):
            strong.action_create_action()
        self.assertFalse(strong.action_id)
        strong.unlink()

    def test_points_of_a_completed_evaluation_still_become_actions(self):
        evaluation = self._ready_to_complete(self._evaluation())
        evaluation.action_complete()
        point = evaluation.improvement_point_ids
        point.action_create_action()
        self.assertEqual(point.action_id.evaluation_point_id, point)

    def test_point_domain_must_be_in_its_theme(self):
        evaluation = self._evaluation()
        with self.assertRaisesRegex(ValidationError, "is not in the theme"):
            self.env["ess.evaluation.point"].create(
                {
                    "evaluation_id": evaluation.id,
                    "name": "Incohérent",
                    "theme_id": self.theme[1].id,
                    "domain_id": self.env.ref("ess_network.ess_guide_domain_2_1").id,
                }
            )

    # ----------------------------------------------------------------- comparison
    def test_comparison_with_the_self_assessment(self):
        """Hand-checked: level n scores n/4 × 100; not applicable leaves the
        denominators; a theme without an answer has no score."""
        evaluation = self._evaluation()
        self.assertFalse(evaluation.self_assessment_id)
        self_assessment = (
            self.env["ess.assessment"]
            .with_user(self.staff)
            .create({"partner_id": self.org.id, "year": YEAR})
        )
        self._answer(
            self_assessment,
            {"1_1_1": 1, "1_1_2": 3, "1_1_3": 0, "2_1_1": "n/a", "3_1_1": 2},
        )
        self._answer(
            evaluation.assessment_id.with_user(self.staff),
            {"1_1_1": 4, "1_1_2": 2, "1_1_3": "n/a", "2_1_1": 3},
        )
        evaluation.invalidate_recordset(["self_assessment_id", "self_score", "score_gap"])
        self.assertEqual(evaluation.self_assessment_id, self_assessment)
        # peers: theme 1 (100 + 50) / 2 = 75, theme 2 75, overall (100 + 50 + 75) / 3 = 75
        # self: theme 1 (25 + 75 + 0) / 3 = 33.3, theme 3 50, overall 150 / 4 = 37.5
        self.assertAlmostEqual(evaluation.score, 75.0)
        self.assertAlmostEqual(evaluation.self_score, 37.5)
        self.assertAlmostEqual(evaluation.score_gap, 37.5)
        comparison = evaluation._comparison()
        rows = {row["theme"]: row for row in comparison["themes"]}
        self.assertEqual(len(rows), 8, "every theme of the guide, assessed or not")
        self.assertAlmostEqual(rows[self.theme[1]]["peer"], 75.0)
        self.assertAlmostEqual(rows[self.theme[1]]["self"], 100 / 3)
        self.assertAlmostEqual(rows[self.theme[1]]["gap"], 75 - 100 / 3)
        self.assertAlmostEqual(rows[self.theme[2]]["peer"], 75.0)
        self.assertIsNone(rows[self.theme[2]]["self"], "only not applicable: no score")
        self.assertIsNone(rows[self.theme[2]]["gap"])
        self.assertIsNone(rows[self.theme[3]]["peer"])
        self.assertAlmostEqual(rows[self.theme[3]]["self"], 50.0)
        self.assertEqual(comparison["overall"], {"peer": 75.0, "self": 37.5, "gap": 37.5})
        peer_theme_1 = evaluation.assessment_id.theme_score_ids.filtered(
            lambda s: s.theme_id == self.theme[1]
        )
        self.assertEqual(
            (peer_theme_1.answered_count, peer_theme_1.applicable_count),
            (2, self.theme[1].question_count - 1),
            "the not applicable question leaves the denominators",
        )
        # as shown in the form and the report: halves round up
        self.assertEqual(evaluation._format_score(100 / 3), "33 %")
        self.assertEqual(evaluation._format_score(37.5), "38 %")
        self.assertEqual(evaluation._format_score(None), "–")
        self.assertEqual(evaluation._format_gap(75 - 100 / 3), "+42")
        self.assertEqual(evaluation._format_gap(-8.4), "-8")
        self.assertEqual(evaluation._format_gap(0.2), "0")
        html = str(evaluation.comparison_html)
        for figure in ("75 %", "33 %", "50 %", "+42", "38 %", "+38"):
            self.assertIn(figure, html)

    # --------------------------------------------------------------------- access
    def test_access(self):
        evaluation = self._evaluation()
        self.assertEqual(evaluation.create_uid, self.staff, "a network user creates them")
        evaluation.with_user(self.staff).summary = "<p>Visite préparée</p>"
        with self.assertRaises(AccessError):
            self.env["ess.evaluation"].with_user(self.internal).create(
                {
                    "partner_id": self.org.id,
                    "evaluator_partner_id": self.evaluator_org.id,
                    "year": YEAR,
                }
            )
        with self.assertRaises(AccessError):
            evaluation.with_user(self.internal).read(["name"])
        with self.assertRaises(AccessError):
            self.env["ess.evaluation.point"].with_user(self.internal).create(
                {"evaluation_id": evaluation.id, "name": "Intrus"}
            )
        with self.assertRaises(AccessError):
            evaluation.with_user(self.portal_user).write({"summary": "<p>Portail</p>"})
