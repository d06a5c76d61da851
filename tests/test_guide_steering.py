from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestGuideSteering(EssNetworkCase):
    """The steering table worked by a staff member (not an administrator)
    in the back end, like the spreadsheet it replaces."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.theme_gov = cls.env.ref("ess_network.ess_guide_theme_1")
        cls.q_ag = cls.env.ref("ess_network.ess_guide_question_1_3_1")  # qualitative
        cls.q_training = cls.env.ref("ess_network.ess_guide_question_1_3_2")  # quantitative, %
        cls.guide = (
            cls.env["ess.guide.year"]
            .with_user(cls.staff)
            .create({"partner_id": cls.org.id, "year": 2025})
        )
        cls.guide.theme_line_ids.filtered(
            lambda t: t.theme_id == cls.theme_gov
        ).decision = "retained"

    def _index(self, question):
        return self.guide.line_ids.ids.index(
            self.guide.line_ids.filtered(lambda line: line.question_id == question).id
        )

    def _line(self, question):
        return self.guide.line_ids.filtered(lambda line: line.question_id == question)

    def test_untick_without_reason_is_refused_before_saving(self):
        # the cause of the dead end: unticking wrote at once, with no reason
        # and no column to give one; now the row asks for the reason first
        line = self._line(self.q_training).with_user(self.staff)
        with self.assertRaisesRegex(ValidationError, "Say why the question"):
            line.retained = False
        form = Form(self.guide.with_user(self.staff))
        with form.line_ids.edit(self._index(self.q_training)) as row:
            row.retained = False
            with self.assertRaisesRegex(AssertionError, "reason"):
                row.save()
            row.reason = "Question non traitée car hors de notre périmètre"
        form.save()
        self.assertFalse(line.retained)
        self.assertEqual(line.reason, "Question non traitée car hors de notre périmètre")
        self.assertFalse(line.in_scope)

    def test_reason_not_asked_when_the_theme_is_not_retained(self):
        form = Form(self.guide.with_user(self.staff))
        theme_index = self.guide.theme_line_ids.ids.index(
            self.guide.theme_line_ids.filtered(lambda t: t.theme_id == self.theme_gov).id
        )
        with form.theme_line_ids.edit(theme_index) as theme:
            theme.decision = "not_retained"
            theme.reason = "Thème non traité car déjà certifié"
        form.save()
        form = Form(self.guide.with_user(self.staff))
        with form.line_ids.edit(self._index(self.q_training)) as row:
            row.retained = False
        form.save()
        self.assertFalse(self._line(self.q_training).retained)

    def test_figures_typed_in_their_cells(self):
        form = Form(self.guide.with_user(self.staff))
        with form.line_ids.edit(self._index(self.q_training)) as row:
            row.baseline_entry = "12,5"
            row.objective_1y_entry = "20"
            row.objective_3y_entry = "1 000"
        with form.line_ids.edit(self._index(self.q_ag)) as row:
            row.baseline_entry = "Participation faible"
            row.objective_1y_entry = "Un tiers des adhérents"
        form.save()
        indicator, question = self._line(self.q_training), self._line(self.q_ag)
        self.assertEqual(
            (indicator.baseline, indicator.objective_1y, indicator.objective_3y),
            (12.5, 20.0, 1000.0),
        )
        self.assertFalse(indicator.has_value)
        self.assertEqual(indicator.value_entry, "")
        self.assertEqual(question.baseline_text, "Participation faible")
        self.assertEqual(question.objective_1y_text, "Un tiers des adhérents")
        # a value of 0 is a value measured; emptied, it is no longer measured
        indicator.with_user(self.staff).value_entry = "0"
        self.assertTrue(indicator.has_value)
        self.assertEqual(indicator.value_entry, "0")
        indicator.with_user(self.staff).value_entry = ""
        self.assertFalse(indicator.has_value)
        # the other figures are kept exactly when one cell changes
        indicator.with_user(self.staff).objective_1y_entry = "25"
        self.assertEqual((indicator.baseline, indicator.objective_1y), (12.5, 25.0))

    def test_a_word_is_not_a_number(self):
        indicator = self._line(self.q_training).with_user(self.staff)
        with self.assertRaisesRegex(ValidationError, "is not a number for the indicator"):
            indicator.baseline_entry = "beaucoup"
        self.assertEqual(indicator.baseline, 0.0)

    def test_steering_table_grouped_by_theme(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ess_network.ess_guide_year_line_action_steering"
        )
        Line = self.env["ess.guide.year.line"].with_user(self.staff)
        views = Line.get_views([(False, "list"), (False, "search")], {})
        self.assertIn("list", views["views"])
        list_view = self.env.ref("ess_network.ess_guide_year_line_view_list_steering")
        arch = Line.get_views([(list_view.id, "list")])["views"]["list"]["arch"]
        for field in (
            "retained",
            "reason",
            "baseline_entry",
            "objective_1y_entry",
            "objective_3y_entry",
            "value_entry",
        ):
            self.assertIn(f'name="{field}"', arch)
        self.assertIn("search_default_group_theme", action["context"])
        groups = Line.read_group(
            [("year_id", "=", self.guide.id)], ["theme_id"], ["theme_id"], orderby="theme_id"
        )
        self.assertEqual(len(groups), 8)
        # the button of the guide year opens it on this year only
        self.assertIn("'search_default_year_id': active_id", action["context"])
        form_arch = self.guide.with_user(self.staff).get_views([(False, "form")])["views"]["form"]
        self.assertIn(f'name="{action["id"]}"', form_arch["arch"])
