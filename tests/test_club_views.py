from odoo.tests import HttpCase, new_test_user, tagged

WAIT = """
(async () => {
    for (let i = 0; i < 150; i++) {
        const view = document.querySelector(%(selector)r);
        if (view && !document.querySelector(".o_loading_indicator")) {
            console.log("test successful");
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.error("The view %(selector)s did not show");
})();
"""


@tagged("post_install", "-at_install")
class TestClubViews(HttpCase):
    """Each back-end view of the clubs opens in the browser for a staff
    member, without a JavaScript error: the clubs' kanban and form, the
    meetings' calendar, list and form, the working groups, deliverables and
    figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env,
            "club_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Club",
        )

    def _open(self, path, selector):
        self.browser_js(path, WAIT % {"selector": selector}, login="club_staff", timeout=90)

    def test_views_open(self):
        club = self.env.ref("ess_network.club_rse")
        meeting = self.env.ref("ess_network.club_rse_meeting_human_capital")
        group = self.env.ref("ess_network.club_rse_group_reviews")
        for path, selector in [
            ("/odoo/action-ess_network.ess_club_action", ".o_kanban_view .o_kanban_record"),
            (f"/odoo/action-ess_network.ess_club_action/{club.id}", ".o_form_view .o_stat_info"),
            (
                "/odoo/action-ess_network.ess_club_meeting_action?view_type=calendar",
                ".o_calendar_view",
            ),
            ("/odoo/action-ess_network.ess_club_meeting_action", ".o_list_view .o_data_row"),
            (
                f"/odoo/action-ess_network.ess_club_meeting_action/{meeting.id}",
                ".o_form_view .o_field_boolean_toggle",
            ),
            (f"/odoo/action-ess_network.ess_club_group_action/{group.id}", ".o_form_view"),
            ("/odoo/action-ess_network.ess_club_deliverable_action", ".o_list_view"),
            ("/odoo/action-ess_network.ess_club_figure_action", ".o_pivot_view .o_pivot"),
        ]:
            with self.subTest(path=path):
                self._open(path, selector)
