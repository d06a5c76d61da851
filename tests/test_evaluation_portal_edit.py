import html
import re

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import EssPortalCase

YEAR = 2026


@tagged("post_install", "-at_install")
class TestEvaluationPortalEdit(EssPortalCase):
    """The evaluators fill in the evaluation from its portal page: ``peer``,
    the person of the evaluator organisation the network named, with its
    portal user ``evaluator_user``. ``colleague_user``, another user of the
    evaluator organisation, reads it; the evaluated organisation (``org``,
    ``user``) reads only its dates and status until it is completed; another
    organisation (``other_org``, ``other_user``), evaluator of another
    evaluation, reads nothing."""

    org_name = "Scop Évaluée Portail"
    login_prefix = "evaledit"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.evaluator_org = Partner.create({"name": "Mutuelle Évaluatrice", "is_company": True})
        cls.evaluator_user = cls._member("evaledit_peer", "Eve Évaluatrice", cls.evaluator_org)
        cls.colleague_user = cls._member("evaledit_colleague", "Cyril Collègue", cls.evaluator_org)
        cls.level = cls.env.ref("ess_network.ess_maturity_level_3")
        cls.domain = cls.env.ref("ess_network.ess_guide_domain_1_3")
        cls.evaluation = cls.env["ess.evaluation"].create(
            {
                "partner_id": cls.org.id,
                "evaluator_partner_id": cls.evaluator_org.id,
                "evaluator_ids": [Command.set(cls.evaluator_user.partner_id.ids)],
                "year": YEAR,
            }
        )
        cls.evaluation.action_start()
        cls.answer = cls.evaluation.assessment_id.answer_ids[0]
        cls.answer.comment = "Observé pendant la visite"
        cls.point = cls.env["ess.evaluation.point"].create(
            {"evaluation_id": cls.evaluation.id, "kind": "strong", "name": "Accueil chaleureux"}
        )
        # another evaluation, conducted by the other organisation
        cls.third_org = Partner.create({"name": "Association Tierce", "is_company": True})
        cls.other_evaluation = cls.env["ess.evaluation"].create(
            {
                "partner_id": cls.third_org.id,
                "evaluator_partner_id": cls.other_org.id,
                "evaluator_ids": [Command.set(cls.other_user.partner_id.ids)],
                "year": YEAR,
            }
        )
        cls.other_evaluation.action_start()
        cls.other_point = cls.env["ess.evaluation.point"].create(
            {"evaluation_id": cls.other_evaluation.id, "name": "Point d'une autre évaluation"}
        )
        cls.url = f"/my/evaluations/{cls.evaluation.id}"

    # ------------------------------------------------------------------ helpers
    def _snapshot(self):
        evaluations = self.evaluation | self.other_evaluation
        return (
            evaluations.assessment_id.answer_ids.read(["level_id", "not_applicable", "comment"]),
            self.env["ess.evaluation.point"]
            .search([("evaluation_id", "in", evaluations.ids)])
            .read(["name", "description", "domain_id", "kind"]),
            evaluations.read(["summary", "state"]),
        )

    def _origin(self):
        page = self.url_open(self.url).text
        origin = re.search(r'name="ess_form_origin" value="([^"]+)"', page)
        self.assertTrue(origin, "the page has the evaluators' form")
        return html.unescape(origin.group(1))

    def _save(self, origin=None, **data):
        if origin is not None:
            data["ess_form_origin"] = origin
        return self._post(f"{self.url}/save", **data)

    def _complete(self):
        self.evaluation.assessment_id.answer_ids[:2].write({"level_id": self.level.id})
        self.evaluation.summary = "<p>Une conclusion des pairs</p>"
        self.evaluation.action_complete()

    # ------------------------------------------------------------- the evaluator
    def test_evaluator_fills_in_grid_points_and_conclusion(self):
        self._login(self.evaluator_user)
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_ess_evaluation_form", page.text)
        self.assertIn(f'name="answer_{self.answer.id}_level"', page.text)
        self.assertNotIn("o_ess_evidence_input", page.text, "a peer grid has no evidence files")
        key = f"answer_{self.answer.id}_"
        response = self._save(
            self._origin(),
            **{
                f"{key}level": str(self.level.id),
                f"{key}comment": "Gouvernance partagée, AG suivie",
                "new_strong_name": "Une AG vivante",
                "new_improvement_name": "Former les administrateurs",
                "new_improvement_description": "Aucun plan de formation des élus",
                "new_improvement_domain": str(self.domain.id),
                "summary": "Une structure engagée.\nÀ suivre.",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("saved=1", response.url)
        self.assertEqual(self.answer.level_id, self.level)
        self.assertEqual(self.answer.comment, "Gouvernance partagée, AG suivie")
        self.assertEqual(self.evaluation.assessment_id.answered_count, 1)
        strong = self.evaluation.strong_point_ids - self.point
        self.assertEqual(strong.name, "Une AG vivante")
        improvement = self.evaluation.improvement_point_ids
        self.assertEqual(improvement.name, "Former les administrateurs")
        self.assertEqual(improvement.domain_id, self.domain)
        self.assertEqual(improvement.theme_id, self.domain.theme_id)
        self.assertEqual(improvement.create_uid, self.evaluator_user)
        self.assertIn("Une structure engagée.", self.evaluation.summary)
        self.assertIn("<br>", self.evaluation.summary)
        # the network's note in the chatter, by the evaluator
        note = self.evaluation.message_ids[0]
        self.assertEqual(note.author_id, self.evaluator_user.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        for text in (
            "Updated through the portal by Eve Évaluatrice",
            "Grid answers: 1",
            "Strong point added: Une AG vivante",
            "Improvement point added: Former les administrateurs",
            "Conclusion changed.",
        ):
            self.assertIn(text, str(note.body))

        # then changes a point, removes another: the note keeps its name
        response = self._save(
            self._origin(),
            **{
                f"point_{improvement.id}_name": "Former les élus",
                f"point_{self.point.id}_remove": "1",
            },
        )
        self.assertIn("saved=1", response.url)
        self.assertEqual(improvement.name, "Former les élus")
        self.assertFalse(self.point.exists())
        body = str(self.evaluation.message_ids[0].body)
        self.assertIn("Improvement point changed: Former les administrateurs", body)
        self.assertIn("Strong point removed: Accueil chaleureux", body)
        # nothing changed: nothing written, nothing said
        count = len(self.evaluation.message_ids)
        response = self._save(self._origin(), summary="Une structure engagée.\nÀ suivre.")
        self.assertIn("saved=1", response.url)
        self.assertEqual(len(self.evaluation.message_ids), count)

    def test_bad_input_writes_nothing(self):
        self._login(self.evaluator_user)
        origin = self._origin()
        key = f"answer_{self.answer.id}_"
        archived = self.env["ess.maturity.level"].create(
            {"name": "Niveau retiré", "value": 99, "active": False}
        )
        cases = [
            # a level that is not of the scale (archived, or no level at all)
            ({f"{key}level": str(archived.id)}, "Choose a level of the scale."),
            ({f"{key}level": "999999"}, "Choose a level of the scale."),
            # an answer, a point of another evaluation
            (
                {f"answer_{self.other_evaluation.assessment_id.answer_ids[0].id}_comment": "x"},
                "The form holds values that are not part of this grid",
            ),
            (
                {f"point_{self.other_point.id}_name": "Volé"},
                "The form holds values that are not part of this evaluation",
            ),
            # a point without its title, a domain of action that is not one
            ({f"point_{self.point.id}_name": "  "}, "The title of the point is required."),
            ({"new_strong_description": "Sans titre"}, "Give the point its title."),
            ({"new_strong_name": "Ok", "new_strong_domain": "abc"}, "Choose a value in the list."),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                before = self._snapshot()
                response = self._save(origin, **{**data, "summary": "Écrit quand même ?"})
                self.assertRefused(response, message, before)

    def test_lost_update_is_refused(self):
        self._login(self.evaluator_user)
        origin = self._origin()
        key = f"answer_{self.answer.id}_comment"
        self.assertIn("saved=1", self._save(origin, **{key: "Première version"}).url)
        before = self._snapshot()
        # the same page, opened before that save, changes the same comment
        response = self._save(origin, **{key: "Seconde version"})
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        self.assertEqual(self.answer.comment, "Première version")

    def test_nobody_else_fills_it_in(self):
        data = {
            f"answer_{self.answer.id}_comment": "Forgé",
            "new_strong_name": "Forgé",
            "summary": "Forgé",
        }
        before = self._snapshot()
        # the evaluated organisation, a colleague of the evaluators not named
        for user in (self.user, self.colleague_user):
            with self.subTest(user=user.login):
                self._login(user)
                page = self.url_open(self.url).text
                self.assertNotIn("o_ess_evaluation_form", page)
                response = self._save(**data)
                self.assertEqual(response.status_code, 403)
                self.assertIn("Only the evaluators named by the network", response.text)
                self.assertEqual(self._snapshot(), before)
        # the evaluator of another evaluation does not even read this one
        self._login(self.other_user)
        response = self._save(**data)
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertEqual(self._snapshot(), before)

    def test_read_only_once_completed(self):
        self._login(self.evaluator_user)
        origin = self._origin()
        self._complete()
        page = self.url_open(self.url).text
        self.assertNotIn("o_ess_evaluation_form", page)
        self.assertIn("Accueil chaleureux", page)
        before = self._snapshot()
        response = self._save(origin, new_strong_name="Trop tard", summary="Trop tard")
        self.assertRefused(response, "it can no longer be changed", before)

    def test_rpc_is_refused(self):
        self._login(self.evaluator_user)
        answer, point, evaluation = self.answer.ids, self.point.ids, self.evaluation.ids
        self.assertRpcRefused(
            [
                ("ess.evaluation", "write", [evaluation, {"summary": "<p>RPC</p>"}]),
                ("ess.evaluation", "_portal_save", [evaluation, self.evaluator_user.id]),
                ("ess.evaluation.point", "write", [point, {"name": "RPC"}]),
                (
                    "ess.evaluation.point",
                    "create",
                    [{"evaluation_id": evaluation[0], "name": "RPC"}],
                ),
                ("ess.evaluation.point", "unlink", [point]),
                ("ess.assessment.answer", "write", [answer, {"comment": "RPC"}]),
            ]
        )

    def test_model_checks_the_user_again(self):
        """A caller that skipped the controller's checks: the model refuses
        the wrong user, an answer or a point of another evaluation."""
        evaluation = self.evaluation.sudo()
        other_answer = self.other_evaluation.assessment_id.answer_ids[0]
        before = self._snapshot()
        for user in (self.user, self.colleague_user, self.other_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                evaluation._portal_save(user, summary="Forgé")
        with self.assertRaises(AccessError):
            evaluation._portal_save(self.evaluator_user, {other_answer: {"comment": "Forgé"}})
        with self.assertRaises(AccessError):
            evaluation._portal_save(self.evaluator_user, points={self.other_point: {"name": "x"}})
        with self.assertRaises(AccessError):
            evaluation._portal_save(self.evaluator_user, removed=self.other_point)
        # nor does the peer grid let anybody but the evaluators fill it in
        with self.assertRaises(AccessError):
            evaluation.assessment_id._portal_save({self.answer: {"comment": "x"}}, self.user)
        with self.assertRaises(AccessError):
            evaluation.assessment_id._portal_complete(self.evaluator_user)
        self.assertEqual(self._snapshot(), before)

    # ----------------------------------------------------- the evaluated organisation
    def test_evaluated_organisation_reads_them_once_completed(self):
        self.evaluation.summary = "<p>Une conclusion des pairs</p>"
        self.evaluation.message_post(
            body="Rien de secret", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.evaluation.with_user(self.evaluator_user).sudo()._portal_save(
            self.evaluator_user, new_points=[{"kind": "improvement", "name": "Point caché"}]
        )
        secrets = ("Accueil chaleureux", "Point caché", "Une conclusion des pairs", "Observé")
        self._login()
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_ess_evaluation_hidden", page.text)
        for secret in secrets:
            self.assertNotIn(secret, page.text)
        report = self.url_open(f"{self.url}/report")
        self.assertTrue(report.url.endswith(self.url), report.url)
        # nor over JSON-RPC: the points, the conclusion, the scores, the notes
        self.assertEqual(
            self._call_kw("ess.evaluation.point", "search_read", [[]], {"fields": ["name"]}), []
        )
        values = self._call_kw(
            "ess.evaluation",
            "read",
            [self.evaluation.ids, ["score", "grid_completion", "score_gap", "comparison_html"]],
        )[0]
        self.assertFalse(values["score"] or values["grid_completion"] or values["comparison_html"])
        record = self._call_kw(
            "ess.evaluation",
            "web_read",
            [self.evaluation.ids],
            {"specification": {"point_ids": {"fields": {"name": {}}}}},
        )
        self.assertEqual(record[0]["point_ids"], [])
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("ess.evaluation", "read", [self.evaluation.ids, ["summary"]])
        messages = self._call_kw(
            "mail.message",
            "search_read",
            [[("model", "=", "ess.evaluation"), ("res_id", "=", self.evaluation.id)]],
            {"fields": ["body"]},
        )
        self.assertIn("Rien de secret", str(messages))
        self.assertNotIn("Point caché", str(messages))

        self._complete()
        page = self.url_open(self.url).text
        self.assertNotIn("o_ess_evaluation_hidden", page)
        for secret in secrets:
            self.assertIn(secret, page)
        points = self._call_kw("ess.evaluation.point", "search_read", [[]], {"fields": ["name"]})
        self.assertEqual({p["name"] for p in points}, {"Accueil chaleureux", "Point caché"})
        self.assertTrue(
            self._call_kw("ess.evaluation", "read", [self.evaluation.ids, ["score"]])[0]["score"]
        )

    def test_evaluations_list_hides_the_peer_score_before_completion(self):
        self.evaluation.assessment_id.answer_ids[:2].write({"level_id": self.level.id})
        self._login()
        row = re.search(
            r'<tr class="o_ess_evaluation_row">.*?</tr>',
            self.url_open("/my/evaluations").text,
            re.S,
        ).group(0)
        self.assertNotIn("75 %", row)
        self._login(self.evaluator_user)
        row = re.search(
            r'<tr class="o_ess_evaluation_row">.*?</tr>',
            self.url_open("/my/evaluations").text,
            re.S,
        ).group(0)
        self.assertIn("75 %", row)
