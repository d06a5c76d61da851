from datetime import date, datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import formatLang

from ..tools.formats import format_number, number_formatter


@tagged("post_install", "-at_install")
class TestFormats(TransactionCase):
    """Figures and dates in the reader's language: French readers see
    ``12,5`` and ``14/03/2026``, English readers ``12.5`` and ``03/14/2026``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.org = cls.env["res.partner"].create({"name": "Scop Chiffres", "is_company": True})

    def _in(self, lang, record):
        return record.with_context(lang=lang, tz="Europe/Paris")

    def test_figures_of_a_guide_line(self):
        guide = self.env["ess.guide.year"].create({"partner_id": self.org.id, "year": 2026})
        question = self.env.ref("ess_network.ess_guide_question_1_3_2")  # in %
        line = guide.line_ids.filtered(lambda line: line.question_id == question)
        line.write({"baseline": 12.5, "objective_1y": 30, "value": 1234567.25, "has_value": True})
        french_sep = self.env["res.lang"]._lang_get("fr_FR").thousands_sep
        for lang, baseline, objective, value in (
            ("en_US", "12.5 %", "30 %", "1,234,567.25 %"),
            ("fr_FR", "12,5 %", "30 %", f"1{french_sep}234{french_sep}567,25 %"),
        ):
            with self.subTest(lang=lang):
                shown = self._in(lang, line)
                self.assertEqual(shown.baseline_display, baseline)
                self.assertEqual(shown.objective_1y_display, objective)
                self.assertEqual(shown.value_display, value)

    def test_dates_of_membership_messages(self):
        membership = self.env["ess.membership"].create(
            {"partner_id": self.org.id, "request_date": date(2026, 3, 14)}
        )
        for lang, day in (("en_US", "03/14/2026"), ("fr_FR", "14/03/2026")):
            with self.subTest(lang=lang):
                with self.assertRaisesRegex(ValidationError, day):
                    self._in(lang, membership).decision_date = date(2026, 3, 1)
                membership.decision_date = date(2026, 3, 14)
                with self.assertRaisesRegex(UserError, day):
                    self._in(lang, membership)._raise_already_decided()
                membership.decision_date = False

    def test_meeting_date_of_membership_messages(self):
        membership = self.env["ess.membership"].create({"partner_id": self.org.id})
        start = datetime(2099, 3, 14, 9, 0)  # 10:00 in Paris
        membership.meeting_event_id = self.env["calendar.event"].create(
            {"name": "Rencontre", "start": start, "stop": datetime(2099, 3, 14, 11, 0)}
        )
        french = self._in("fr_FR", membership)._missing_for("signature")
        self.assertIn("14/03/2099 10:00", french)
        english = self._in("en_US", membership)._missing_for("signature")
        self.assertIn("3/14/99", english)
        self.assertIn("10:00", english)
        self.assertNotIn("14/03/2099", english)


@tagged("post_install", "-at_install")
class TestNumberFormatter(TransactionCase):
    """The figures of a page are written with the language read once: the
    same text as Odoo's ``formatLang`` with the figure's own decimals."""

    def test_same_text_as_format_lang(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        numbers = [0, 1, -1, 0.5, 12.5, -1234.25, 1234567.125, 1e9, 0.000001, 2.675, 1 / 3]
        for lang in ("en_US", "fr_FR"):
            env = self.env(context={"lang": lang})
            write = number_formatter(env)
            for number in numbers:
                with self.subTest(lang=lang, number=number):
                    decimals = f"{number:.6f}".rstrip("0").partition(".")[2]
                    expected = formatLang(env, number, digits=len(decimals))
                    self.assertEqual(write(number), expected)
                    self.assertEqual(format_number(env, number), expected)
