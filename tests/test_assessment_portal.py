import base64
import html
import re

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException, warmup
from odoo.tools import mute_logger

from ..controllers.portal_assessment import assessment_form_values
from ..controllers.portal_stakeholder import stakeholder_form_values
from ..models.ess_assessment_portal import EVIDENCE_MAX_SIZE
from .common import EssPortalCase

PDF = b"%PDF-1.4\n% evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
ANSWER_FIELDS = ["level_id", "not_applicable", "comment", "attachment_ids", "write_date"]
STAKEHOLDER_FIELDS = [
    "name",
    "scope",
    "category",
    "influence",
    "importance",
    "frequency",
    "expectations",
    "dialogue_mode_ids",
    "contact_ids",
    "active",
]


class AssessmentPortalCase(EssPortalCase):
    """Two member organisations, each with a portal user, a contact, a
    self-assessment on the shipped reference, a stakeholder; cross-evaluations
    with a third organisation."""

    org_name = "Scop Grille Portail"
    login_prefix = "assess"
    # a stakeholder form a member may post
    VALID_STAKEHOLDER = {
        "name": "Bénévoles",
        "scope": "internal",
        "category": "volunteers",
        "influence": "3",
        "importance": "3",
        "frequency": "monthly",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.third_org = Partner.create({"name": "Fondation Tierce", "is_company": True})
        cls.contact = Partner.create({"name": "Paula Contact", "parent_id": cls.org.id})
        cls.other_contact = Partner.create({"name": "Oscar Voisin", "parent_id": cls.other_org.id})

        Assessment = cls.env["ess.assessment"]
        cls.assessment = Assessment.create({"partner_id": cls.org.id, "year": 2025})
        cls.other_assessment = Assessment.create({"partner_id": cls.other_org.id, "year": 2025})
        cls.levels = cls.env["ess.maturity.level"].search([], order="value")
        cls.level_0, cls.level_1, cls.level_2 = cls.levels[0], cls.levels[1], cls.levels[2]
        cls.level_top = cls.levels[-1]
        cls.q131 = cls.env.ref("ess_network.ess_guide_question_1_3_1")
        cls.q132 = cls.env.ref("ess_network.ess_guide_question_1_3_2")
        cls.q133 = cls.env.ref("ess_network.ess_guide_question_1_3_3")
        cls.q211 = cls.env.ref("ess_network.ess_guide_question_2_1_1")
        cls.a131 = cls._answer(cls.assessment, cls.q131)
        cls.a132 = cls._answer(cls.assessment, cls.q132)
        cls.a133 = cls._answer(cls.assessment, cls.q133)
        cls.a211 = cls._answer(cls.assessment, cls.q211)
        cls.other_a131 = cls._answer(cls.other_assessment, cls.q131)
        cls.other_a131.write({"level_id": cls.level_2.id, "comment": "Commentaire secret"})
        cls.other_evidence = cls.env["ir.attachment"].create(
            {
                "name": "preuve-secrete.pdf",
                "raw": PDF,
                "res_model": "ess.assessment.answer",
                "res_id": cls.other_a131.id,
            }
        )
        cls.other_a131.attachment_ids = [Command.link(cls.other_evidence.id)]

        Stakeholder = cls.env["ess.stakeholder"]
        cls.mode_meeting = cls.env.ref("ess_network.ess_dialogue_mode_meeting")
        cls.mode_survey = cls.env.ref("ess_network.ess_dialogue_mode_survey")
        cls.mode_retired = cls.env["ess.dialogue.mode"].create(
            {"name": "Pigeon voyageur", "active": False}
        )
        cls.stakeholder = Stakeholder.create(
            {
                "name": "Salariés",
                "partner_id": cls.org.id,
                "scope": "internal",
                "category": "employees",
                "influence": 4,
                "importance": 5,
            }
        )
        cls.other_stakeholder = Stakeholder.create(
            {
                "name": "Financeur secret",
                "partner_id": cls.other_org.id,
                "category": "funders",
                "influence": 5,
                "importance": 2,
            }
        )

        Evaluation = cls.env["ess.evaluation"]
        cls.evaluation_received = Evaluation.create(
            {"partner_id": cls.org.id, "evaluator_partner_id": cls.third_org.id, "year": 2025}
        )
        cls.evaluation_given = Evaluation.create(
            {"partner_id": cls.third_org.id, "evaluator_partner_id": cls.org.id, "year": 2025}
        )
        cls.other_evaluation = Evaluation.create(
            {"partner_id": cls.other_org.id, "evaluator_partner_id": cls.third_org.id, "year": 2025}
        )

    @classmethod
    def _answer(cls, assessment, question):
        return assessment.answer_ids.filtered(lambda a: a.question_id == question)

    def _save(self, assessment=None, files=None, **data):
        assessment = assessment or self.assessment
        return self._post(f"/my/assessments/{assessment.id}/save", files=files, **data)

    def _save_stakeholder(self, **data):
        return self._post("/my/stakeholders/save", **data)

    def _snapshot(self):
        """Everything a member could change, in both organisations."""
        self.env.invalidate_all()
        assessments = self.assessment | self.other_assessment
        stakeholders = (
            self.env["ess.stakeholder"]
            .with_context(active_test=False)
            .search([("partner_id", "in", (self.org | self.other_org).ids)])
        )
        return (
            assessments.answer_ids.read(ANSWER_FIELDS),
            assessments.read(["state", "score", "answered_count"]),
            assessments.score_ids.read(["score", "answered_count"]),
            len(assessments.message_ids),
            self.env["ir.attachment"].search_count([("res_model", "=", "ess.assessment.answer")]),
            stakeholders.read(STAKEHOLDER_FIELDS),
            len(stakeholders.message_ids),
            self.env["ess.action"].search_count([]),
        )


@tagged("post_install", "-at_install")
class TestAssessmentPortal(AssessmentPortalCase):
    # ------------------------------------------------------------------ reading
    def test_member_sees_its_grid(self):
        self._login()
        response = self.url_open("/my/assessments")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/my/assessments/{self.assessment.id}"', response.text)
        self.assertNotIn(f'href="/my/assessments/{self.other_assessment.id}"', response.text)

        response = self.url_open(f"/my/assessments/{self.assessment.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Scop Grille Portail", page)
        self.assertIn(f'name="answer_{self.a131.id}_level"', page)
        self.assertIn(f'name="answer_{self.a131.id}_na"', page)
        self.assertIn(f'name="answer_{self.a131.id}_comment"', page)
        self.assertIn(f'name="answer_{self.a131.id}_evidence"', page)
        self.assertIn('enctype="multipart/form-data"', page)
        # each level with its description as help
        self.assertIn(f'value="{self.level_2.id}"', page)
        self.assertIn(self.level_2.name, page)
        self.assertIn(f'title="{self.level_2.description}"'.replace("'", "&#39;"), page)
        self.assertIn("o_ess_scores_chart", page)
        self.assertIn("o_ess_benchmark", page)
        self.assertEqual(page.count('class="o_ess_answer '), len(self.assessment.answer_ids))
        self.assertNotIn("Mutuelle Voisine Secrète", page)
        self.assertNotIn(f"answer_{self.other_a131.id}_", page)
        self.assertNotIn("preuve-secrete.pdf", page)

    def test_portal_home_counts(self):
        self._login()
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "ess_assessment_count",
                    "ess_stakeholder_count",
                    "ess_evaluation_count",
                ]
            },
        )
        self.assertEqual(
            counters,
            {"ess_assessment_count": 1, "ess_stakeholder_count": 1, "ess_evaluation_count": 2},
        )
        home = self.url_open("/my").text
        for url in ("/my/assessments", "/my/stakeholders", "/my/evaluations"):
            self.assertIn(f'href="{url}"', home)

    def test_start_this_years_assessment(self):
        self.assessment.year = 2024
        self.env.flush_all()
        self._login()
        page = self.url_open("/my/assessments").text
        self.assertIn('action="/my/assessments/new"', page)
        response = self._post("/my/assessments/new")
        new = self.env["ess.assessment"].search(
            [
                ("partner_id", "=", self.org.id),
                ("kind", "=", "self"),
                ("id", "!=", self.assessment.id),
            ]
        )
        self.assertEqual(len(new), 1)
        self.assertEqual((new.kind, new.state), ("self", "draft"))
        self.assertEqual(len(new.answer_ids), len(self.assessment.answer_ids))
        self.assertTrue(response.url.endswith(f"/my/assessments/{new.id}"), response.url)
        self.assertEqual(new.create_uid, self.user)
        # once started, the same one opens again
        response = self._post("/my/assessments/new")
        self.assertTrue(response.url.endswith(f"/my/assessments/{new.id}"), response.url)
        self.assertEqual(
            self.env["ess.assessment"].search_count(
                [("partner_id", "=", self.org.id), ("kind", "=", "self")]
            ),
            2,
        )
        self.assertNotIn('action="/my/assessments/new"', self.url_open("/my/assessments").text)

    # ------------------------------------------------------------------- saving
    def test_partial_save_updates_answers_and_scores(self):
        self.a211.comment = "Déjà écrit dans le back-office"
        self.env.flush_all()
        self._login()
        response = self._save(
            **{
                f"answer_{self.a131.id}_level": str(self.level_top.id),
                f"answer_{self.a132.id}_level": str(self.level_2.id),
                f"answer_{self.a132.id}_comment": "Formation prévue en septembre.",
                f"answer_{self.a133.id}_na": "0",
                f"answer_{self.a133.id}_level": str(self.level_1.id),
            }
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.assertIn("Your answers are saved", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.a131.level_id, self.level_top)
        self.assertEqual(self.a132.level_id, self.level_2)
        self.assertEqual(self.a132.comment, "Formation prévue en septembre.")
        self.assertEqual(self.a133.level_id, self.level_1)
        # what was not posted did not change
        self.assertEqual(self.a211.comment, "Déjà écrit dans le back-office")
        self.assertFalse(self.a211.level_id)
        self.assertEqual(self.assessment.answered_count, 3)
        self.assertAlmostEqual(self.assessment.score, (100 + 50 + 25) / 3)

        # 1.3.3 is not applicable: it leaves the scores; its level goes
        response = self._save(**{f"answer_{self.a133.id}_na": "1"})
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertTrue(self.a133.not_applicable)
        self.assertFalse(self.a133.level_id)
        self.assertEqual(self.assessment.answered_count, 3)
        self.assertAlmostEqual(self.assessment.score, 75.0)
        domain_score = self.assessment.domain_score_ids.filtered(
            lambda s: s.domain_id == self.q131.domain_id
        )
        self.assertAlmostEqual(domain_score.score, 75.0)
        self.assertEqual(domain_score.applicable_count, 2)
        self.assertIn("75 %", self.url_open(f"/my/assessments/{self.assessment.id}").text)

        message = self.assessment.message_ids[0]
        self.assertIn("Updated through the portal by Marie Membre", message.body)
        self.assertIn("Answers: 1 (1.3.3)", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        self.assertEqual(self.a131.write_uid, self.user)

    def test_saving_the_page_unchanged_writes_nothing(self):
        self.a131.write({"level_id": self.level_2.id, "comment": "Déjà là"})
        self._login()
        form = assessment_form_values(self.assessment)
        self.assertEqual(len(form), 3 * len(self.assessment.answer_ids))
        before = self._snapshot()
        response = self._save(**form)
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.assertEqual(self._snapshot(), before)

    def _open_grid(self, user):
        """What ``user``'s browser posts from the grid it opened now: the
        values it shows (no level when none is chosen, as radio buttons go)
        and the hidden fingerprints of what it showed."""
        self._login(user)
        page = self.url_open(f"/my/assessments/{self.assessment.id}").text
        origin = re.search(r'name="ess_form_origin" value="([^"]+)"', page).group(1)
        form = {
            key: value
            for key, value in assessment_form_values(self.assessment).items()
            if value or not key.endswith("_level")
        }
        return {**form, "ess_form_origin": html.unescape(origin)}

    def _save_grid(self, user, page, **changes):
        self._login(user)
        return self._save(**{**page, **changes})

    def test_saving_a_stale_grid_keeps_the_other_users_answers(self):
        """Two users of the organisation open the grid; A changes a level and
        a comment and saves; B changes another answer and saves the page
        opened before A's save: A's answers stay."""
        self.a131.write({"level_id": self.level_1.id, "comment": "Premier avis"})
        colleague = self._member("assess_member_2", "Bruno Collègue", self.org)
        a131, a132 = self.a131.id, self.a132.id
        page_a, page_b = self._open_grid(self.user), self._open_grid(colleague)
        response = self._save_grid(
            self.user,
            page_a,
            **{f"answer_{a131}_level": str(self.level_top.id), f"answer_{a131}_comment": "Revu"},
        )
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        response = self._save_grid(
            colleague,
            page_b,
            **{f"answer_{a132}_level": str(self.level_2.id), f"answer_{a132}_comment": "Ajouté"},
        )
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual((self.a131.level_id, self.a131.comment), (self.level_top, "Revu"))
        self.assertEqual((self.a132.level_id, self.a132.comment), (self.level_2, "Ajouté"))
        self.assertEqual(self.a132.write_uid, colleague)
        self.assertAlmostEqual(self.assessment.score, (100 + 50) / 2)

    def test_same_answer_changed_by_two_users_is_refused(self):
        """A real conflict (both changed the same answer's level) is refused
        with a message asking to reload; nothing of the stale page is
        written."""
        colleague = self._member("assess_member_3", "Chloé Collègue", self.org)
        a131, a132 = self.a131.id, self.a132.id
        page_a, page_b = self._open_grid(self.user), self._open_grid(colleague)
        self._save_grid(self.user, page_a, **{f"answer_{a131}_na": "1"})
        before = self._snapshot()
        response = self._save_grid(
            colleague,
            page_b,
            **{
                f"answer_{a131}_na": "0",
                f"answer_{a131}_level": str(self.level_2.id),
                f"answer_{a132}_comment": "Ne doit pas être enregistré",
            },
        )
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        self.assertIn("reload the page", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.a131.not_applicable)
        # reloaded, the page shows the other user's answer and saves
        page_b = self._open_grid(colleague)
        response = self._save_grid(
            colleague,
            page_b,
            **{f"answer_{a131}_na": "0", f"answer_{a131}_level": str(self.level_2.id)},
        )
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual((self.a131.not_applicable, self.a131.level_id), (False, self.level_2))

    def test_member_posts_in_the_grid_chatter(self):
        self._login()
        page = self.url_open(f"/my/assessments/{self.assessment.id}").text
        self.assertIn('id="discussion"', page)
        # reading the grid is enough to post: no access token is needed
        self.assertFalse(self.assessment.access_token)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "ess.assessment",
                "thread_id": self.assessment.id,
                "post_data": {"body": "Question sur la grille", "message_type": "comment"},
            },
        )
        self.env.invalidate_all()
        message = self.assessment.message_ids[0]
        self.assertIn("Question sur la grille", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        # not on the other organisation's grid
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "ess.assessment",
                    "thread_id": self.other_assessment.id,
                    "post_data": {"body": "Intrusion", "message_type": "comment"},
                },
            )
        self.assertNotIn("Intrusion", self.other_assessment.message_ids.mapped("body"))

    def test_evidence_upload_download_and_removal(self):
        self._login()
        key = f"answer_{self.a131.id}_evidence"
        response = self._save(
            files=[
                (key, ("compte-rendu CA.pdf", PDF, "application/pdf")),
                (key, ("photo.png", PNG, "image/png")),
            ],
            **{f"answer_{self.a131.id}_comment": "Voir les pièces"},
        )
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        evidence = self.a131.attachment_ids.sorted("id")
        self.assertEqual(evidence.mapped("name"), ["compte-rendu CA.pdf", "photo.png"])
        self.assertEqual(evidence[0].mimetype, "application/pdf")
        self.assertEqual(evidence.mapped("res_model"), ["ess.assessment.answer"] * 2)
        self.assertEqual(evidence.mapped("res_id"), [self.a131.id] * 2)
        self.assertEqual(evidence.create_uid, self.user)
        self.assertIn(
            "Evidence added: compte-rendu CA.pdf, photo.png", self.assessment.message_ids[0].body
        )

        page = self.url_open(f"/my/assessments/{self.assessment.id}").text
        url = f"/my/assessments/{self.assessment.id}/evidence/{evidence[0].id}"
        self.assertIn(f'href="{url}"', page)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.assertIn("attachment", response.headers["Content-Disposition"])

        response = self._save(**{f"answer_{self.a131.id}_remove_{evidence[0].id}": "1"})
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.a131.attachment_ids, evidence[1])
        self.assertFalse(evidence[0].exists())
        self.assertIn("Evidence removed: compte-rendu CA.pdf", self.assessment.message_ids[0].body)

    def test_other_organisations_evidence_is_refused(self):
        self._login()
        for url in (
            # the other file through one's own grid
            f"/my/assessments/{self.assessment.id}/evidence/{self.other_evidence.id}",
            # through the other grid
            f"/my/assessments/{self.other_assessment.id}/evidence/{self.other_evidence.id}",
            f"/web/content/{self.other_evidence.id}?download=true",
        ):
            with self.subTest(url=url), mute_logger("odoo.http"):
                response = self.url_open(url)
                self.assertNotEqual(response.content, PDF)
                self.assertNotIn("preuve-secrete", response.headers.get("Content-Disposition", ""))
        before = self._snapshot()
        # forged: remove the other file from one's own answer, or from the other's
        for key in (
            f"answer_{self.a131.id}_remove_{self.other_evidence.id}",
            f"answer_{self.other_a131.id}_remove_{self.other_evidence.id}",
        ):
            with self.subTest(key=key):
                response = self._save(**{key: "1"})
                self.assertRefused(response, "not part of this grid", before)
        self.assertTrue(self.other_evidence.exists())
        self.assertEqual(self.other_a131.attachment_ids, self.other_evidence)

    def test_invalid_posts_write_nothing(self):
        self._login()
        a131, a132 = self.a131.id, self.a132.id
        inactive = self.env["ess.maturity.level"].create(
            {"name": "Niveau retiré", "value": 99, "active": False}
        )
        # a valid value rides along with each wrong one: it is not saved either
        valid = {f"answer_{a132}_level": str(self.level_2.id)}
        cases = [
            ({f"answer_{a131}_level": "999999"}, "Choose a level of the scale."),
            ({f"answer_{a131}_level": str(inactive.id)}, "Choose a level of the scale."),
            ({f"answer_{a131}_level": "deux"}, "Choose a level of the scale."),
            ({f"answer_{a131}_na": "peut-être"}, "Tick or untick the box."),
            ({f"answer_{a131}_comment": "x" * 2001}, "At most 2000 characters."),
            # a forged answer id of the other organisation's grid
            ({f"answer_{self.other_a131.id}_level": str(self.level_0.id)}, "not part of this grid"),
            ({f"answer_{self.other_a131.id}_comment": "Piraté"}, "not part of this grid"),
            ({"answer_99999999_level": str(self.level_0.id)}, "not part of this grid"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:80]):
                before = self._snapshot()
                self.assertRefused(self._save(**valid, **data), message, before)

        key = f"answer_{a131}_evidence"
        too_large = b"%PDF-" + b"0" * EVIDENCE_MAX_SIZE
        file_cases = [
            (
                [(key, ("virus.exe", b"MZ\x90\x00", "application/octet-stream"))],
                "not an accepted kind",
            ),
            (
                [(key, ("page.html", b"<script>alert(1)</script>", "text/html"))],
                "not an accepted kind",
            ),
            ([(key, ("dessin.svg", b"<svg></svg>", "image/svg+xml"))], "not an accepted kind"),
            # the name says PDF, the content does not
            (
                [(key, ("faux.pdf", b"MZ\x90\x00 no pdf", "application/pdf"))],
                "not an accepted kind",
            ),
            ([(key, ("vide.pdf", b"", "application/pdf"))], "vide.pdf is empty."),
            ([(key, ("enorme.pdf", too_large, "application/pdf"))], "larger than 10 MB"),
            (
                [(key, (f"piece{i}.pdf", PDF, "application/pdf")) for i in range(11)],
                "At most 10 files per question.",
            ),
            (
                [(f"answer_{self.other_a131.id}_evidence", ("p.pdf", PDF, "application/pdf"))],
                "not part of this grid",
            ),
        ]
        for files, message in file_cases:
            with self.subTest(file=files[0][1][0]):
                before = self._snapshot()
                self.assertRefused(self._save(files=files, **valid), message, before)

    def test_refused_post_keeps_the_values(self):
        self._login()
        response = self._save(
            **{
                f"answer_{self.a132.id}_comment": "Texte gardé après l'erreur",
                f"answer_{self.a132.id}_level": str(self.level_1.id),
                f"answer_{self.a131.id}_level": "424242",
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Texte gardé après l&#39;erreur", response.text)
        radio = f'id="answer_{self.a132.id}_level_{self.level_1.id}"'
        self.assertRegex(response.text, rf"{radio}[^>]*checked=")
        self.assertIn("is-invalid", response.text)

    def test_completed_grid_is_read_only(self):
        self._login()
        # nothing answered: it cannot be completed
        before = self._snapshot()
        response = self._post(f"/my/assessments/{self.assessment.id}/complete")
        self.assertRefused(response, "Answer at least one question", before)

        self._save(**{f"answer_{self.a131.id}_level": str(self.level_2.id)})
        response = self._post(f"/my/assessments/{self.assessment.id}/complete")
        self.assertTrue(response.url.endswith("?completed=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.assessment.state, "done")
        message = self.assessment.message_ids.filtered(
            lambda m: "Marked as completed through the portal by Marie Membre" in m.body
        )
        self.assertEqual(message.author_id, self.user.partner_id)

        page = self.url_open(f"/my/assessments/{self.assessment.id}").text
        self.assertIn("it is shown read-only", page)
        self.assertNotIn("/save", page)
        self.assertNotIn(f'name="answer_{self.a131.id}_level"', page)
        before = self._snapshot()
        response = self._save(**{f"answer_{self.a131.id}_level": str(self.level_top.id)})
        self.assertRefused(response, "This self-assessment is completed", before)
        response = self._post(f"/my/assessments/{self.assessment.id}/complete")
        self.assertRefused(response, "already completed", before)

    def test_progress_area_becomes_an_action(self):
        self.a131.level_id = self.level_0
        self.a132.level_id = self.level_1
        self.a211.level_id = self.level_top
        self.env.flush_all()
        area = self.assessment.progress_area_ids
        self.assertEqual(area.domain_id, self.q131.domain_id)
        self._login()
        page = self.url_open(f"/my/assessments/{self.assessment.id}").text
        url = f"/my/assessments/{self.assessment.id}/action/{area.id}"
        self.assertIn(f'action="{url}"', page)

        response = self._post(url)
        action = self.env["ess.action"].search([("assessment_id", "=", self.assessment.id)])
        self.assertEqual(len(action), 1)
        self.assertTrue(response.url.endswith(f"/my/actions/{action.id}"), response.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(action.origin, "self_assessment")
        self.assertEqual(action.partner_id, self.org)
        self.assertEqual(action.domain_id, self.q131.domain_id)
        self.assertEqual(action.create_uid, self.user)

        # once created, the page links to it, and a second one is refused
        page = self.url_open(f"/my/assessments/{self.assessment.id}").text
        self.assertIn(f'href="/my/actions/{action.id}"', page)
        before = self._snapshot()
        self.assertRefused(self._post(url), "already has its action", before)
        # a domain score of another grid, or one that is no progress area
        other_score = self.other_assessment.domain_score_ids[:1]
        strong = self.assessment.domain_score_ids.filtered(
            lambda s: s.domain_id == self.q211.domain_id
        )
        for score in (other_score, strong):
            response = self._post(f"/my/assessments/{self.assessment.id}/action/{score.id}")
            self.assertRefused(response, "not one of the progress areas", before)

    # ------------------------------------------------- other organisation's data
    def test_other_organisation_by_url_is_refused(self):
        self._login()
        for url in (
            f"/my/assessments/{self.other_assessment.id}",
            f"/my/assessments/{self.other_evaluation.assessment_id.id}",
            f"/my/assessments/{self.evaluation_received.assessment_id.id}",
            "/my/assessments/99999999",
            f"/my/stakeholders/{self.other_stakeholder.id}",
            f"/my/evaluations/{self.other_evaluation.id}",
            f"/my/evaluations/{self.other_evaluation.id}/report",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertTrue(response.url.endswith("/my"), response.url)
                self.assertNotIn("Mutuelle Voisine Secrète", response.text)
                self.assertNotIn("Financeur secret", response.text)

    def test_other_organisation_by_post_is_refused(self):
        self._login()
        before = self._snapshot()
        other_area = self.other_assessment.domain_score_ids[:1]
        for url, data in (
            (
                f"/my/assessments/{self.other_assessment.id}/save",
                {f"answer_{self.other_a131.id}_level": str(self.level_0.id)},
            ),
            (f"/my/assessments/{self.other_assessment.id}/complete", {}),
            (f"/my/assessments/{self.other_assessment.id}/action/{other_area.id}", {}),
            (f"/my/stakeholders/{self.other_stakeholder.id}/archive", {}),
            (
                "/my/stakeholders/save",
                {"stakeholder_id": str(self.other_stakeholder.id), "name": "Piraté"},
            ),
        ):
            with self.subTest(url=url):
                response = self._post(url, **data)
                self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertEqual(self._snapshot(), before)

    def test_model_checks_the_organisation_again(self):
        """Even a caller that skipped the access check cannot change another
        organisation's records through the portal methods."""
        calls = [
            lambda: self.other_assessment.sudo()._portal_save(
                {self.other_a131: {"level_id": self.level_0.id}}, self.user
            ),
            # nor an answer of another grid through its own grid
            lambda: self.assessment.sudo()._portal_save(
                {self.other_a131: {"level_id": self.level_0.id}}, self.user
            ),
            lambda: self.assessment.sudo()._portal_save(
                {}, self.user, uploads={self.other_a131: [("p.pdf", PDF)]}
            ),
            lambda: self.other_assessment.sudo()._portal_complete(self.user),
            lambda: self.other_assessment.sudo()._portal_create_action(1, self.user),
            lambda: self.other_stakeholder.sudo()._portal_save({"name": "Piraté"}, self.user),
            lambda: self.other_stakeholder.sudo()._portal_archive(self.user),
        ]
        for call in calls:
            with self.assertRaises(AccessError):
                call()
        self.assertEqual(self.other_a131.level_id, self.level_2)
        self.assertEqual(self.other_stakeholder.name, "Financeur secret")
        self.assertTrue(self.other_stakeholder.active)

    def test_rpc_cannot_read_others_nor_write(self):
        self._login()
        answers = self._call_kw(
            "ess.assessment.answer",
            "search_read",
            [[]],
            {"fields": ["assessment_id"], "limit": 1000},
        )
        self.assertEqual({a["assessment_id"][0] for a in answers}, {self.assessment.id})
        stakeholders = self._call_kw("ess.stakeholder", "search_read", [[]], {"fields": ["name"]})
        self.assertEqual([s["name"] for s in stakeholders], ["Salariés"])
        forbidden = [
            ("ess.assessment", "read", [[self.other_assessment.id], ["name"]]),
            ("ess.assessment.answer", "read", [[self.other_a131.id], ["comment"]]),
            ("ess.assessment.score", "read", [self.other_assessment.score_ids[:1].ids, ["score"]]),
            ("ess.stakeholder", "read", [[self.other_stakeholder.id], ["name"]]),
            ("ess.evaluation", "read", [[self.other_evaluation.id], ["name"]]),
            ("ir.attachment", "read", [[self.other_evidence.id], ["datas"]]),
            ("ess.assessment", "write", [[self.assessment.id], {"state": "done"}]),
            ("ess.assessment.answer", "write", [[self.a131.id], {"level_id": self.level_2.id}]),
            ("ess.stakeholder", "write", [[self.stakeholder.id], {"influence": 1}]),
            ("ess.stakeholder", "create", [{"name": "Par RPC", "partner_id": self.org.id}]),
            ("ess.evaluation", "write", [[self.evaluation_received.id], {"summary": "<p>x</p>"}]),
            (
                "ess.assessment",
                "_portal_save",
                [[self.assessment.id], {f"answer_{self.a131.id}_level": "1"}, {}, self.user.id],
            ),
        ]
        self.assertRpcRefused(forbidden)

    # ------------------------------------------------------------- stakeholders
    def test_stakeholder_map_create_edit_archive(self):
        self._login()
        page = self.url_open("/my/stakeholders").text
        self.assertIn("o_ess_stakeholder_matrix", page)
        self.assertIn("Salariés", page)
        self.assertNotIn("Financeur secret", page)
        self.assertIn("Paula Contact", page)  # a contact to link
        self.assertNotIn("Oscar Voisin", page)

        response = self._save_stakeholder(
            name="  Région   Pays de la Loire ",
            scope="external",
            category="local_authorities",
            influence="5",
            importance="4",
            frequency="yearly",
            dialogue_mode_ids=["", str(self.mode_meeting.id), str(self.mode_survey.id)],
            contact_ids=["", str(self.contact.id)],
            expectations="Un bilan annuel de nos actions.",
        )
        self.assertEqual(response.status_code, 200)
        created = self.env["ess.stakeholder"].search([("name", "=", "Région Pays de la Loire")])
        self.assertEqual(len(created), 1)
        self.assertIn(f"saved={created.id}", response.url)
        self.assertIn("The stakeholder is saved.", response.text)
        self.assertRecordValues(
            created,
            [
                {
                    "partner_id": self.org.id,
                    "scope": "external",
                    "category": "local_authorities",
                    "influence": 5,
                    "importance": 4,
                    "quadrant": "key_players",
                    "frequency": "yearly",
                    "expectations": "Un bilan annuel de nos actions.",
                    "dialogue_mode_ids": (self.mode_meeting | self.mode_survey).ids,
                    "contact_ids": self.contact.ids,
                    "create_uid": self.user.id,
                }
            ],
        )
        self.assertEqual(created.message_ids[0].author_id, self.user.partner_id)
        # numbered in the legend and on the map, like the list
        self.assertIn("<title>Région Pays de la Loire</title>", response.text)

        # edit: only what is posted changes
        response = self._save_stakeholder(
            stakeholder_id=str(created.id), influence="2", dialogue_mode_ids=[""]
        )
        self.assertIn(f"saved={created.id}", response.url)
        self.env.invalidate_all()
        self.assertEqual((created.influence, created.importance), (2, 4))
        self.assertEqual(created.quadrant, "keep_informed")
        self.assertFalse(created.dialogue_mode_ids)
        self.assertEqual(created.contact_ids, self.contact)
        self.assertIn("Updated through the portal by Marie Membre", created.message_ids[0].body)
        edit_page = self.url_open(f"/my/stakeholders/{created.id}")
        self.assertEqual(edit_page.status_code, 200)
        self.assertIn('name="stakeholder_id"', edit_page.text)

        # archive: never deleted
        response = self._post(f"/my/stakeholders/{created.id}/archive")
        self.assertIn("archived=1", response.url)
        self.env.invalidate_all()
        self.assertTrue(created.exists())
        self.assertFalse(created.active)
        self.assertNotIn("Région Pays de la Loire", self.url_open("/my/stakeholders").text)
        self.assertIn("Archived through the portal", created.message_ids[0].body)

    def test_stakeholder_invalid_posts_write_nothing(self):
        self._login()
        valid = dict(self.VALID_STAKEHOLDER)
        cases = [
            ({"influence": "0"}, "Choose a value from 1 to 5."),
            ({"influence": "6"}, "Choose a value from 1 to 5."),
            ({"importance": "2.5"}, "Choose a value from 1 to 5."),
            ({"importance": "trois"}, "Choose a value from 1 to 5."),
            ({"category": "aliens"}, "Choose a value in the list."),
            ({"scope": "both"}, "Choose a value in the list."),
            ({"frequency": "hourly"}, "Choose a value in the list."),
            ({"name": "   "}, "Give the stakeholder a name."),
            ({"name": "x" * 121}, "At most 120 characters."),
            ({"expectations": "x" * 2001}, "At most 2000 characters."),
            ({"contact_ids": ["", str(self.other_contact.id)]}, "Choose contacts among"),
            ({"contact_ids": ["", str(self.other_org.id)]}, "Choose contacts among"),
            ({"contact_ids": ["", str(self.org.id)]}, "Choose contacts among"),
            ({"dialogue_mode_ids": ["", str(self.mode_retired.id)]}, "Choose dialogue modes"),
            ({"dialogue_mode_ids": ["", "99999999"]}, "Choose dialogue modes"),
            ({"dialogue_mode_ids": ["", "un"]}, "Choose dialogue modes"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:60]):
                before = self._snapshot()
                response = self._save_stakeholder(**{**valid, **data})
                self.assertRefused(response, message, before)
        # on an existing stakeholder: the edit page, with the values kept
        before = self._snapshot()
        response = self._save_stakeholder(
            stakeholder_id=str(self.stakeholder.id), name="Salariés gardés", importance="6"
        )
        self.assertRefused(response, "Choose a value from 1 to 5.", before)
        self.assertIn('value="Salariés gardés"', response.text)
        # forged ids
        for forged in (str(self.other_stakeholder.id), "99999999", "abc"):
            response = self._save_stakeholder(stakeholder_id=forged, name="Piraté")
            self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertEqual(self._snapshot(), before)

    def _open_stakeholder(self, user, stakeholder):
        """What ``user``'s browser posts from the page of ``stakeholder`` it
        opened now, with the hidden fingerprints of what it showed."""
        self._login(user)
        page = self.url_open(f"/my/stakeholders/{stakeholder.id}").text
        origin = re.search(r'name="ess_form_origin" value="([^"]+)"', page).group(1)
        form = stakeholder_form_values(stakeholder)
        for name in ("dialogue_mode_ids", "contact_ids"):
            form[name] = ["", *form[name]]  # the empty value before the boxes
        return {
            **form,
            "stakeholder_id": str(stakeholder.id),
            "ess_form_origin": html.unescape(origin),
        }

    def _save_stakeholder_page(self, user, page, **changes):
        self._login(user)
        return self._save_stakeholder(**{**page, **changes})

    def test_saving_a_stale_stakeholder_keeps_the_other_users_changes(self):
        """Two users of the organisation open a stakeholder; A changes its
        influence and dialogue modes and saves; B changes its expectations
        and saves the page opened before A's save: A's changes stay."""
        colleague = self._member("assess_member_4", "Denis Collègue", self.org)
        page_a = self._open_stakeholder(self.user, self.stakeholder)
        page_b = self._open_stakeholder(colleague, self.stakeholder)
        response = self._save_stakeholder_page(
            self.user,
            page_a,
            influence="2",
            dialogue_mode_ids=["", str(self.mode_meeting.id)],
        )
        self.assertIn(f"saved={self.stakeholder.id}", response.url)
        response = self._save_stakeholder_page(
            colleague, page_b, expectations="Être consultés sur l'organisation du travail."
        )
        self.assertIn(f"saved={self.stakeholder.id}", response.url)
        self.env.invalidate_all()
        self.assertRecordValues(
            self.stakeholder,
            [
                {
                    "influence": 2,
                    "importance": 5,
                    "dialogue_mode_ids": self.mode_meeting.ids,
                    "expectations": "Être consultés sur l'organisation du travail.",
                }
            ],
        )

    def test_same_stakeholder_value_changed_by_two_users_is_refused(self):
        colleague = self._member("assess_member_5", "Emma Collègue", self.org)
        page_a = self._open_stakeholder(self.user, self.stakeholder)
        page_b = self._open_stakeholder(colleague, self.stakeholder)
        self._save_stakeholder_page(self.user, page_a, name="Salariés et stagiaires")
        before = self._snapshot()
        response = self._save_stakeholder_page(
            colleague, page_b, name="Équipe salariée", importance="2"
        )
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        self.assertIn("reload the page", response.text)
        self.assertIn("it is now: “Salariés et stagiaires”", response.text)
        self.env.invalidate_all()
        self.assertEqual(
            (self.stakeholder.name, self.stakeholder.importance),
            (
                "Salariés et stagiaires",
                5,
            ),
        )

    # -------------------------------------------------------------- evaluations
    def test_evaluations_involving_the_organisation(self):
        self.a131.level_id = self.level_2
        peer = self.evaluation_received.assessment_id
        peer.answer_ids.filtered(lambda a: a.question_id == self.q131).level_id = self.level_top
        self.env["ess.evaluation.point"].create(
            [
                {
                    "evaluation_id": self.evaluation_received.id,
                    "kind": "strong",
                    "name": "Gouvernance partagée",
                },
                {
                    "evaluation_id": self.evaluation_received.id,
                    "kind": "improvement",
                    "name": "Former les élus",
                },
            ]
        )
        self.env.flush_all()
        self._login()
        page = self.url_open("/my/evaluations").text
        self.assertIn(f'href="/my/evaluations/{self.evaluation_received.id}"', page)
        self.assertIn(f'href="/my/evaluations/{self.evaluation_given.id}"', page)
        self.assertNotIn(f'href="/my/evaluations/{self.other_evaluation.id}"', page)
        self.assertNotIn("Mutuelle Voisine Secrète", page)

        response = self.url_open(f"/my/evaluations/{self.evaluation_received.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Fondation Tierce", page)
        # what the evaluators wrote shows once the evaluation is completed
        self.assertNotIn("Gouvernance partagée", page)
        self.assertNotIn("o_ess_evaluation_scores", page)
        self.evaluation_received.evaluator_ids = self.env["res.partner"].create(
            {"name": "Eve Évaluatrice", "parent_id": self.third_org.id}
        )
        self.evaluation_received.action_start()
        self.evaluation_received.action_complete()
        page = self.url_open(f"/my/evaluations/{self.evaluation_received.id}").text
        self.assertIn("Gouvernance partagée", page)
        self.assertIn("Former les élus", page)
        # theme 1: peers 100 %, self-assessment 50 %
        table = page[page.index("o_ess_evaluation_scores") :]
        row = re.search(r"1\. [^<]*</td>(.*?)</tr>", table, re.S).group(1)
        self.assertEqual(re.findall(r"(\d+) %", row), ["100", "50"])
        self.assertIn("+50", row)
        response = self.url_open(f"/my/evaluations/{self.evaluation_given.id}")
        self.assertEqual(response.status_code, 200)

    def test_evaluation_report_pdf(self):
        if not self.env.ref("ess_network.ess_evaluation_report", raise_if_not_found=False):
            self.skipTest("the evaluation report is not there yet")
        evaluation = self.evaluation_received
        evaluator = self.env["res.partner"].create(
            {"name": "Eve Évaluatrice", "parent_id": self.third_org.id}
        )
        evaluation.evaluator_ids = evaluator
        peer = evaluation.assessment_id
        peer.answer_ids.filtered(lambda a: a.question_id == self.q131).level_id = self.level_2
        self.env["ess.evaluation.point"].create(
            {"evaluation_id": evaluation.id, "kind": "improvement", "name": "Former les élus"}
        )
        evaluation.action_start()
        evaluation.action_complete()
        self.assertEqual(evaluation.state, "completed")
        self.env.flush_all()
        self._login()
        page = self.url_open(f"/my/evaluations/{self.evaluation_received.id}").text
        url = f"/my/evaluations/{self.evaluation_received.id}/report"
        self.assertIn(f'href="{url}"', page)
        response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 200)
        # tests render reports as HTML (a real PDF is the report's own test)
        self.assertIn("text/html", response.headers["Content-Type"])
        self.assertIn("Former les élus", response.text)
        self.assertIn("Scop Grille Portail", response.text)
        # another organisation's report is refused
        response = self.url_open(f"/my/evaluations/{self.other_evaluation.id}/report")
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_anonymous_is_sent_to_login(self):
        for url in (
            "/my/assessments",
            f"/my/assessments/{self.assessment.id}",
            "/my/stakeholders",
            "/my/evaluations",
        ):
            self.assertIn("/web/login", self.url_open(url).url)

    # -------------------------------------------------------------- performance
    def _count_grid_queries(self, assessment):
        return self._page_queries(f"/my/assessments/{assessment.id}", GRID_PAGE_QUERIES)

    @warmup
    def test_grid_page_queries_do_not_grow_with_questions(self):
        # answers with levels, comments and evidence, as a real grid has
        for answer, level in ((self.a131, self.level_2), (self.a132, self.level_0)):
            answer.write({"level_id": level.id, "comment": "Commentaire"})
        self.a133.not_applicable = True
        attachments = self.env["ir.attachment"].create(
            [
                {"name": f"preuve{i}.pdf", "raw": PDF, "res_model": "ess.assessment.answer"}
                for i in range(3)
            ]
        )
        self.a131.attachment_ids = [Command.set(attachments[:2].ids)]
        self.a211.attachment_ids = [Command.set(attachments[2:].ids)]
        self._login()
        self.url_open("/my")  # the first request of a session logs its device
        count = self._count_grid_queries(self.assessment)

        # thirty more questions in the reference, and a new grid with them
        domain = self.env["ess.guide.domain"].create(
            {"theme_id": self.q131.theme_id.id, "code": "1.99", "name": "Domaine de test"}
        )
        self.env["ess.guide.question"].create(
            [
                {"domain_id": domain.id, "code": f"1.99.{index}", "name": f"Question {index}"}
                for index in range(30)
            ]
        )
        bigger = self.env["ess.assessment"].create({"partner_id": self.org.id, "year": 2026})
        self.assertEqual(len(bigger.answer_ids), len(self.assessment.answer_ids) + 30)
        answers = bigger.answer_ids
        for index, answer in enumerate(answers[:40]):
            answer.write(
                {"level_id": self.levels[index % len(self.levels)].id, "comment": f"C{index}"}
            )
        more = self.env["ir.attachment"].create(
            [
                {"name": f"p{i}.pdf", "raw": PDF, "res_model": "ess.assessment.answer"}
                for i in range(10)
            ]
        )
        for index, attachment in enumerate(more):
            answers[index].attachment_ids = [Command.link(attachment.id)]
        bigger_count = self._count_grid_queries(bigger)
        if self.warm:  # the first run only warms the caches up
            self.assertEqual(bigger_count, count)


# SQL queries of a whole request to a grid page, as a member, caches warm:
# the same for 68 and for 98 questions.
GRID_PAGE_QUERIES = 26
