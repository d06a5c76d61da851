import json

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import EssPortalCase

YEAR = 2026


@tagged("post_install", "-at_install")
class TestEvaluationPortal(EssPortalCase):
    """What the portal users of the evaluated organisation (``org``, its
    ``user``), of the evaluator organisation and of an unrelated organisation
    (``other_org``, its ``other_user``) read of a cross-evaluation, on its
    page, in its report and over JSON-RPC: the evaluator reads what the
    evaluation page shows both organisations, never the evaluated
    organisation's action plan, self-assessment answers or comments."""

    org_name = "Scop Évaluée"
    login_prefix = "eval"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.evaluator_org = Partner.create({"name": "Mutuelle Évaluatrice", "is_company": True})
        cls.evaluator_user = cls._member("eval_evaluator", "Eve Évaluatrice", cls.evaluator_org)
        cls.pilot = Partner.create({"name": "Pauline Pilote-Secrète", "parent_id": cls.org.id})
        cls.peer = Partner.create({"name": "Paul Pair", "parent_id": cls.evaluator_org.id})
        level = cls.env.ref("ess_network.ess_maturity_level_2")
        question = cls.env.ref("ess_network.ess_guide_question_1_3_1")

        # the evaluated organisation's own work: its self-assessment, with a
        # comment, and an action of its plan that has nothing to do with the
        # evaluation
        cls.self_assessment = cls.env["ess.assessment"].create(
            {"partner_id": cls.org.id, "year": YEAR}
        )
        cls.self_answer = cls.self_assessment.answer_ids.filtered(
            lambda a: a.question_id == question
        )
        cls.self_answer.write(
            {"level_id": level.id, "comment": "Commentaire secret de l'auto-évaluation"}
        )
        cls.env["ess.guide.year"].create(
            {"partner_id": cls.org.id, "year": YEAR, "state": "in_progress"}
        )
        cls.plan_action = cls.env["ess.action"].create(
            {"name": "Action secrète hors évaluation", "partner_id": cls.org.id}
        )

        cls.evaluation = cls.env["ess.evaluation"].create(
            {
                "partner_id": cls.org.id,
                "evaluator_partner_id": cls.evaluator_org.id,
                "evaluator_ids": [Command.set(cls.peer.ids)],
                "year": YEAR,
            }
        )
        cls.evaluation.action_start()
        cls.peer_answer = cls.evaluation.assessment_id.answer_ids.filtered(
            lambda a: a.question_id == question
        )
        cls.peer_answer.write({"level_id": level.id, "comment": "Constat des pairs"})
        Point = cls.env["ess.evaluation.point"]
        cls.strong = Point.create(
            {"evaluation_id": cls.evaluation.id, "kind": "strong", "name": "Accueil ouvert"}
        )
        cls.improvement = Point.create(
            {"evaluation_id": cls.evaluation.id, "name": "Former les élus"}
        )
        cls.improvement.action_create_action()
        cls.action = cls.improvement.action_id
        cls.action.write(
            {
                "name": "Plan secret de formation",
                "pilot_id": cls.pilot.id,
                "state": "in_progress",
                "progress": 30,
            }
        )
        cls.evaluation.action_complete()
        # a note the staff kept, no conflict being declared
        cls.evaluation.conflict_note = "Note de conflit secrète"
        cls.points = cls.strong | cls.improvement
        cls.secrets = (
            "Plan secret de formation",
            "Action secrète hors évaluation",
            "Pilote-Secrète",
            "Commentaire secret",
            "Note de conflit secrète",
        )

    def _call(self, model, method, *args, **kwargs):
        return self._call_kw(model, method, list(args), kwargs)

    def _refused(self, model, method, *args, **kwargs):
        with self.subTest(model=model, method=method, args=str(args)[:80], kwargs=str(kwargs)[:80]):
            with self.assertRaises(JsonRpcException) as error, mute_logger("odoo.http"):
                self._call(model, method, *args, **kwargs)
            self.assertIn("AccessError", str(error.exception))

    def assertTellsNoSecret(self, result):
        text = json.dumps(result, ensure_ascii=False, default=str)
        for secret in self.secrets:
            self.assertNotIn(secret, text)

    # ----------------------------------------------------------------- JSON-RPC
    def test_evaluator_reads_nothing_of_the_evaluated_organisations_plan(self):
        self._login(self.evaluator_user)
        # it reads the evaluation and its points, as its page shows them
        points = self._call("ess.evaluation.point", "search_read", [], fields=["name"])
        self.assertEqual({p["id"] for p in points}, set(self.points.ids))
        self.assertEqual(
            self._call("ess.evaluation", "read", self.evaluation.ids, ["score", "self_score"])[0][
                "score"
            ],
            self.evaluation.score,
        )
        # not the action made of a point, by any field or any way to read it
        for fields in (["action_id"], ["action_state"]):
            self._refused("ess.evaluation.point", "read", self.points.ids, fields)
            self._refused("ess.evaluation.point", "search_read", [], fields=fields)
        self._refused(
            "ess.evaluation.point",
            "web_read",
            self.points.ids,
            {"action_id": {"fields": {"display_name": {}}}},
        )
        self._refused(
            "ess.evaluation.point", "web_search_read", [], {"name": {}, "action_state": {}}
        )
        self._refused("ess.evaluation", "read", self.evaluation.ids, ["action_ids"])
        self._refused("ess.evaluation", "read", self.evaluation.ids, ["action_count"])
        self._refused("ess.evaluation", "read", self.evaluation.ids, ["conflict_note"])
        self._refused(
            "ess.evaluation",
            "web_read",
            self.evaluation.ids,
            {"action_ids": {"fields": {"display_name": {}}}},
        )
        self._refused("ess.action", "read", (self.action | self.plan_action).ids, ["name"])
        self.assertEqual(self._call("ess.action", "search_read", [], fields=["name"]), [])
        # nor guessed from a search on the action's name
        try:
            found = self._call(
                "ess.evaluation.point",
                "search_count",
                [("action_id.name", "ilike", "Plan secret")],
            )
        except JsonRpcException as error:
            self.assertIn("AccessError", str(error))
        else:
            self.assertEqual(found, 0)
        # a read of every field leaves out the staff-only ones
        for model, records in (
            ("ess.evaluation.point", self.points),
            ("ess.evaluation", self.evaluation),
        ):
            with self.subTest(model=model):
                result = self._call(model, "read", records.ids)
                self.assertEqual(len(result), len(records))
                self.assertFalse({"action_id", "action_state", "action_ids"} & set(result[0]))
                self.assertTellsNoSecret(result)

    def test_evaluator_reads_no_self_assessment_answer(self):
        self._login(self.evaluator_user)
        grids = (self.self_assessment | self.evaluation.assessment_id).ids
        self._refused("ess.assessment", "read", grids, ["score"])
        self._refused("ess.assessment.answer", "read", self.self_answer.ids, ["comment"])
        self._refused("ess.assessment.answer", "read", self.peer_answer.ids, ["comment"])
        self._refused(
            "ess.evaluation",
            "web_read",
            self.evaluation.ids,
            {"self_assessment_id": {"fields": {"answer_ids": {"fields": {"comment": {}}}}}},
        )
        self._refused(
            "ess.evaluation",
            "web_read",
            self.evaluation.ids,
            {"assessment_id": {"fields": {"answer_ids": {"fields": {"comment": {}}}}}},
        )
        for model, fields in (
            ("ess.assessment", ["score", "benchmark_table"]),
            ("ess.assessment.answer", ["comment", "level_id"]),
            ("ess.assessment.score", ["score", "partner_id"]),
        ):
            with self.subTest(model=model):
                self.assertEqual(self._call(model, "search_read", [], fields=fields), [])
        # what the evaluation page shows: the comparison with the
        # self-assessment's scores, not its answers
        result = self._call(
            "ess.evaluation",
            "read",
            self.evaluation.ids,
            ["self_assessment_id", "self_score", "comparison_html", "grid_completion"],
        )
        self.assertEqual(result[0]["self_assessment_id"][0], self.self_assessment.id)
        self.assertTellsNoSecret(result)

    def test_unrelated_organisation_reads_nothing(self):
        self._login(self.other_user)
        for model in ("ess.evaluation", "ess.evaluation.point", "ess.action", "ess.assessment"):
            with self.subTest(model=model):
                self.assertEqual(self._call(model, "search_read", [], fields=["display_name"]), [])
        self._refused("ess.evaluation", "read", self.evaluation.ids, ["name"])
        self._refused("ess.evaluation", "read", self.evaluation.ids)
        self._refused("ess.evaluation.point", "read", self.points.ids, ["name"])
        self._refused("ess.evaluation.point", "read", self.points.ids)
        self._refused("ess.action", "read", self.action.ids, ["name"])

    def test_evaluated_organisation_reads_its_own_plan(self):
        self._login()
        actions = self._call("ess.action", "search_read", [], fields=["name", "evaluation_id"])
        self.assertEqual(
            {a["name"] for a in actions},
            {"Plan secret de formation", "Action secrète hors évaluation"},
        )
        # the points' link to the action is read on the page, not over RPC
        self._refused("ess.evaluation.point", "read", self.improvement.ids, ["action_id"])
        # nor what an evaluator declared about its ties with it
        self._refused("ess.evaluation", "read", self.evaluation.ids, ["conflict_note"])

    def test_an_action_stays_with_the_organisation_of_its_origin(self):
        """The members of an action's organisation read its evaluation: the
        action cannot go to another organisation's plan."""
        staff = new_test_user(
            self.env, "eval_staff", groups="base.group_user,ess_network.group_ess_user"
        )
        for vals in (
            {"evaluation_point_id": self.improvement.id, "partner_id": self.other_org.id},
            {"assessment_id": self.self_assessment.id, "partner_id": self.other_org.id},
        ):
            with self.assertRaisesRegex(ValidationError, "the self-assessment or evaluation it"):
                self.plan_action.with_user(staff).write(vals)

    # ------------------------------------------------------------- page, report
    def test_only_the_evaluated_organisation_sees_the_action_on_the_page(self):
        url = f"/my/evaluations/{self.evaluation.id}"
        self._login()
        page = self.url_open(url).text
        self.assertIn("Former les élus", page)
        self.assertIn("Plan secret de formation", page)
        self.assertIn(f'href="/my/actions/{self.action.id}"', page)
        # the evaluation is completed: the evaluated organisation reads the
        # peer grid too
        self.assertIn("Constat des pairs", page)
        self._login(self.evaluator_user)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Former les élus", response.text)
        self.assertIn("Constat des pairs", response.text)
        for secret in self.secrets:
            self.assertNotIn(secret, response.text)

    def test_report_shows_the_actions_to_the_evaluated_organisation_only(self):
        url = f"/my/evaluations/{self.evaluation.id}/report"
        self._login()
        response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Former les élus", response.text)
        self.assertIn("Plan secret de formation", response.text)
        self._login(self.evaluator_user)
        response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 200)
        # tests render reports as HTML (a real PDF is the report's own test)
        self.assertIn("text/html", response.headers["Content-Type"])
        self.assertIn("Former les élus", response.text)
        self.assertIn("Accueil ouvert", response.text)
        for secret in self.secrets:
            self.assertNotIn(secret, response.text)
        self._login(self.other_user)
        response = self.url_open(url)
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Former les élus", response.text)

    def test_report_file_name(self):
        self.assertEqual(
            self.evaluation._get_report_base_filename(),
            "Evaluation 2026 – Scop Évaluée (evaluator: Mutuelle Évaluatrice)",
        )
