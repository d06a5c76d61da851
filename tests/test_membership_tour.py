from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMembershipTour(HttpCase):
    """From the public form to a member, through a staff user's browser."""

    def test_request_from_submission_to_member(self):
        self.env["ess.employment.area"].create({"name": "Tour area"})
        new_test_user(
            self.env,
            "tour_staff",
            password="tour_staff_pw",
            name="Camille Staff",
            groups="base.group_user,ess_network.group_ess_user",
            tz="Europe/Paris",
        )
        # a prospective organisation, not logged in
        self.start_tour("/adhesion", "ess_adhesion_public_form_tour")
        membership = self.env["ess.membership"].search(
            [("partner_id.name", "=", "Association Tour de Loire")]
        )
        self.assertEqual(membership.state, "request")
        self.assertEqual(membership.origin, "public_form")

        # network staff: presentation, decision, first integration meeting
        self.start_tour("/odoo", "ess_membership_staff_tour", login="tour_staff")
        self.assertEqual(membership.state, "meeting")
        self.assertEqual(membership.deciding_body, "board")
        self.assertEqual(membership.welcome_note, "Bienvenue parmi nous !")
        event = membership.meeting_event_id
        self.assertEqual(event.name, "Première rencontre - Tour de Loire")

        # the meeting takes place
        start = fields.Datetime.now() - timedelta(days=1)
        event.write({"start": start, "stop": start + timedelta(hours=2)})

        self.start_tour("/odoo", "ess_membership_member_tour", login="tour_staff")
        self.assertEqual(membership.state, "member")
        self.assertEqual(membership.phase, "appropriation")
        self.assertEqual(membership.convention_filename, "convention.pdf")
        self.assertEqual(membership.charter_filename, "charte.pdf")
        self.assertEqual(membership.member_since, fields.Date.context_today(membership))
        self.assertEqual(membership.partner_id.ess_member_state, "member")
