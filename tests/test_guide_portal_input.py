from odoo.tests import tagged

from .test_guide_portal import GuidePortalCase

NUL = "Texte\x00caché"
BELL = "Texte\x07sonore"
INVISIBLE = "\u200b\u200c\u2060\ufeff\u3164"


@tagged("post_install", "-at_install")
class TestGuidePortalInput(GuidePortalCase):
    """Whatever a member types in the guide and action forms, the answer is
    a page that says what is wrong, never a server error, and nothing is
    written."""

    def _text_fields(self):
        theme, line = self.theme_line_8.id, self.line_text.id
        return [
            f"theme_{theme}_reason",
            f"theme_{theme}_good_practices",
            f"theme_{theme}_progress_areas",
            f"line_{line}_reason",
            f"line_{line}_baseline",
            f"line_{line}_objective_1y",
            f"line_{line}_objective_3y",
            f"line_{line}_value",
        ]

    def test_control_characters_are_refused_in_every_text_field(self):
        self._login()
        valid = {f"line_{self.line_number.id}_objective_1y": "30"}
        for field in self._text_fields():
            for text in (NUL, BELL):
                with self.subTest(field=field, text=repr(text)):
                    before = self._snapshot()
                    # an ERROR in the log fails ./dev test: nothing is muted
                    response = self._save(**valid, **{field: text})
                    self.assertRefused(response, "control characters", before)
        # the action's comment too
        before = self._snapshot()
        response = self.url_open(
            f"/my/actions/{self.action.id}/progress",
            data={"csrf_token": self._csrf(), "progress": "10", "state": "todo", "comment": NUL},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("control characters", response.text)
        self.assertEqual(self._snapshot(), before)

    def test_line_breaks_are_kept_in_texts(self):
        self._login()
        field = f"theme_{self.theme_line_1.id}_good_practices"
        response = self._save(**{field: "Première ligne\r\n\tdeuxième ligne\u2028troisième"})
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(
            self.theme_line_1.good_practices, "Première ligne\n\tdeuxième ligne\ntroisième"
        )

    def test_invisible_characters_are_no_reason(self):
        """A reason made of zero-width spaces and fillers is no reason."""
        self._login()
        before = self._snapshot()
        response = self._save(
            **{
                f"theme_{self.theme_line_8.id}_decision": "not_retained",
                f"theme_{self.theme_line_8.id}_reason": INVISIBLE,
            }
        )
        self.assertRefused(response, "Say why this theme is not retained.", before)
        before = self._snapshot()
        response = self._save(
            **{
                f"line_{self.line_text.id}_retained": "0",
                f"line_{self.line_text.id}_reason": f" {INVISIBLE}\u00a0 ",
            }
        )
        self.assertRefused(response, "Say why this question is not treated.", before)

    def test_invisible_characters_are_dropped_from_texts(self):
        self._login()
        field = f"line_{self.line_text.id}_baseline"
        response = self._save(**{field: "45\u200b % des membres\u2060 présents"})
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.line_text.baseline_text, "45 % des membres présents")

    def test_numbers_typed_in_odd_ways(self):
        self._login()
        number = self.line_number.id
        response = self._save(
            **{
                f"line_{number}_baseline": "1\u202f250,5",  # narrow no-break space
                f"line_{number}_objective_1y": "\u00a01 300 ",
                f"line_{number}_objective_3y": "+1.4e3",
            }
        )
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        line = self.line_number
        self.assertEqual(
            (line.baseline, line.objective_1y, line.objective_3y), (1250.5, 1300, 1400)
        )
        for text in ("12\x00", "١٢ %", "Infinity", "0x1F", "1,2,3", "%"):
            with self.subTest(text=repr(text)):
                before = self._snapshot()
                response = self._save(**{f"line_{number}_value": text})
                self.assertRefused(response, "Enter a number", before)

    def test_forged_keys_and_values(self):
        """Names and values a browser never posts are refused whole."""
        self._login()
        number = self.line_number.id
        for data, message in [
            ({f"line_{number}_baseline[]": "1"}, "Your guide is saved."),  # ignored name
            ({f"theme_{self.theme_line_8.id}_decision": "retained\x00"}, "Choose a decision"),
            ({f"line_{number}_retained": "1\x00"}, "Tick or untick the box."),
            ({f"line_{'9' * 19}_baseline": "1"}, "Your guide is saved."),  # not a key
            ({"ess_form_origin": "{not json"}, "Your guide is saved."),
        ]:
            with self.subTest(data=repr(data)[:60]):
                before = self._snapshot()
                response = self._save(**data)
                self.assertIn(message, response.text)
                if message != "Your guide is saved.":
                    self.assertRefused(response, message, before)
                self.assertEqual(self._snapshot(), before)
