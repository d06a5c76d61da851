from odoo.tests import tagged

from .test_guide_portal import GuidePortalCase


@tagged("post_install", "-at_install")
class TestGuideTour(GuidePortalCase):
    """A member fills its guide and updates an action, in a browser."""

    def test_member_fills_its_guide_and_updates_an_action(self):
        self.start_tour("/my", "ess_guide_portal_tour", login=self.user.login)

        self.env.invalidate_all()
        self.assertEqual(self.theme_line_8.decision, "not_retained")
        self.assertEqual(
            self.theme_line_8.reason,
            "Thème non traité car déjà couvert par notre démarche qualité.",
        )
        number = self.line_number
        self.assertEqual(
            (number.baseline, number.objective_1y, number.objective_3y, number.value),
            (12.5, 20.0, 40.0, 15.0),
        )
        self.assertTrue(number.has_value)
        self.assertEqual(self.line_text.baseline_text, "45 % des membres présents à l'AG")
        # the rest of the guide is as it was
        self.assertEqual(self.guide.theme_line_ids.mapped("decision").count("pending"), 7)
        self.assertTrue(all(self.guide.line_ids.mapped("retained")))
        self.assertIn("Updated through the portal by Marie Membre", self.guide.message_ids[0].body)
        # the other organisation's guide is untouched
        self.assertEqual(self.other_theme_line_8.decision, "pending")
        self.assertEqual(self.other_line_number.baseline, 0.0)

        self.assertEqual((self.action.progress, self.action.state), (60, "in_progress"))
        self.assertTrue(
            self.action.message_ids.filtered(
                lambda m: "Première session de formation faite." in m.body
                and m.author_id == self.user.partner_id
            )
        )
