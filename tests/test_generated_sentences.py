from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestGeneratedSentences(EssNetworkCase):
    """Sentences built around names are written so that French can agree
    with them: one person or several (a sentence for each, chosen by
    count), an organisation's name quoted after "the organisation" (never
    "de Association …")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.evaluator_org = cls._create_org("Coopérative Lectrice")
        cls.evaluator = Partner.create({"name": "Paul Pair", "parent_id": cls.evaluator_org.id})
        cls.third_org = cls._create_org("Mutuelle Ailleurs")
        cls.strangers = Partner.create(
            [
                {"name": "Catherine Fontaine", "parent_id": cls.third_org.id},
                {"name": "Tom Tiers", "parent_id": cls.third_org.id},
            ]
        )

    def _evaluation(self, persons):
        return (
            self.env["ess.evaluation"]
            .with_user(self.staff)
            .create(
                {
                    "partner_id": self.org.id,
                    "evaluator_partner_id": self.evaluator_org.id,
                    "evaluator_ids": [fields.Command.set(persons.ids)],
                    "year": 2026,
                }
            )
        )

    def test_one_person_or_several(self):
        with self.assertRaisesRegex(
            ValidationError, "Catherine Fontaine does not belong to the evaluator organisation"
        ):
            self._evaluation(self.evaluator | self.strangers[0])
        with self.assertRaisesRegex(
            ValidationError,
            "Catherine Fontaine, Tom Tiers do not belong to the evaluator organisation",
        ):
            self._evaluation(self.evaluator | self.strangers)
        with self.assertRaisesRegex(
            ValidationError, "Marie Test belongs to the evaluated organisation"
        ):
            self._evaluation(self.evaluator | self.org_contact)

    def test_persons_of_the_organisation_one_or_several(self):
        evaluation = self._evaluation(self.evaluator)
        record = self.env["ess.sponsorship"].new({"partner_id": self.org.id})
        record.contact_ids = self.strangers[0]
        with self.assertRaisesRegex(
            ValidationError,
            "Catherine Fontaine is not a person of the organisation “Association Test Solidaire”",
        ):
            record._check_persons_of_organisation("contact_ids")
        record.contact_ids = self.strangers
        with self.assertRaisesRegex(
            ValidationError,
            "Catherine Fontaine, Tom Tiers are not persons of the organisation "
            "“Association Test Solidaire”",
        ):
            record._check_persons_of_organisation("contact_ids")
        self.assertTrue(evaluation)

    def test_names_of_organisations_are_quoted(self):
        evaluation = self._evaluation(self.evaluator)
        self.assertEqual(
            evaluation.name,
            "Evaluation 2026 – Association Test Solidaire (evaluator: Coopérative Lectrice)",
        )
        self.assertNotIn(" of Association", evaluation.name)
        evaluation.evaluator_ids = False
        with self.assertRaisesRegex(
            UserError, "Choose first the persons of the organisation “Coopérative Lectrice”"
        ):
            evaluation._check_evaluators()
        evaluation.date_visit = "2026-03-10 08:00:00"
        description = evaluation._visit_event_values()["description"]
        self.assertEqual(
            description,
            "Cross-evaluation 2026 of “Association Test Solidaire”: visit of the evaluators of "
            "“Coopérative Lectrice”.",
        )

    def test_evaluation_states_have_their_own_labels(self):
        # "Completed" is the evaluation's (feminine in French: "Terminée");
        # a self-assessment (masculine: "autodiagnostic") or a peer grid says
        # "Grid completed" ("Grille terminée"): no other record shares them
        labels = {}
        for model in self.env.values():
            if model._abstract or model._transient or not model._name.startswith("ess."):
                continue
            for field in model._fields.values():
                if field.type == "selection" and field.store and isinstance(field.selection, list):
                    for _key, label in field.selection:
                        labels.setdefault(label, set()).add(model._name)
        self.assertEqual(labels["Completed"], {"ess.evaluation"})
        self.assertEqual(labels["Grid completed"], {"ess.assessment"})
