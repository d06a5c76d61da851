from odoo.tests import tagged

from .test_assessment_portal import AssessmentPortalCase


@tagged("post_install", "-at_install")
class TestAssessmentTour(AssessmentPortalCase):
    """A member fills its self-assessment and stakeholder map, in a browser."""

    def test_member_fills_its_grid_and_stakeholder_map(self):
        self.start_tour("/my", "ess_assessment_portal_tour", login=self.user.login)

        self.env.invalidate_all()
        self.assertEqual(self.a131.level_id, self.level_top)
        self.assertEqual(self.a131.comment, "Compte rendu du conseil d'administration joint.")
        self.assertEqual(self.a132.level_id, self.level_2)
        self.assertTrue(self.a133.not_applicable)
        self.assertFalse(self.a133.level_id)
        # the rest of the grid is as it was
        others = self.assessment.answer_ids - self.a131 - self.a132 - self.a133
        self.assertFalse(others.filtered(lambda a: a.level_id or a.not_applicable or a.comment))
        self.assertEqual(self.assessment.answered_count, 3)
        self.assertAlmostEqual(self.assessment.score, 75.0)
        message = self.assessment.message_ids[0]
        self.assertIn("Updated through the portal by Marie Membre", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        # the other organisation's grid is untouched
        self.assertEqual(self.other_a131.level_id, self.level_2)

        stakeholder = self.env["ess.stakeholder"].search([("name", "=", "Conseil départemental")])
        self.assertRecordValues(
            stakeholder,
            [
                {
                    "partner_id": self.org.id,
                    "scope": "external",
                    "category": "local_authorities",
                    "influence": 5,
                    "importance": 4,
                    "quadrant": "key_players",
                    "dialogue_mode_ids": self.mode_meeting.ids,
                    "active": True,
                }
            ],
        )
        self.assertEqual(stakeholder.create_uid, self.user)
