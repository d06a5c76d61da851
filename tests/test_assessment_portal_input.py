from odoo.tests import tagged

from .test_assessment_portal import AssessmentPortalCase

NUL = "Texte\x00caché"
BELL = "Texte\x07sonore"
ESCAPE = "Texte\x1b[31mrouge"
INVISIBLE = "\u200b\u200c\u2060\ufeff\u3164"


@tagged("post_install", "-at_install")
class TestAssessmentPortalInput(AssessmentPortalCase):
    """Whatever a member types in the self-assessment grid and the
    stakeholder forms, the answer is a page that says what is wrong, never a
    server error (nor an ERROR in the log), and nothing is written."""

    def _refused_quietly(self, post, message):
        """``post()`` is refused with ``message`` and writes nothing, and
        nothing is logged as an error."""
        before = self._snapshot()
        with self.assertNoLogs(level="ERROR"):
            response = post()
        self.assertRefused(response, message, before)
        return response

    # --------------------------------------------------------------------- grid
    def test_control_characters_are_refused_in_comments(self):
        self._login()
        valid = {f"answer_{self.a132.id}_level": str(self.level_2.id)}
        for text in (NUL, BELL, ESCAPE, "\x00"):
            with self.subTest(text=repr(text)):
                self._refused_quietly(
                    lambda text=text: self._save(
                        **valid, **{f"answer_{self.a131.id}_comment": text}
                    ),
                    "control characters",
                )

    def test_line_breaks_are_kept_in_comments(self):
        self._login()
        response = self._save(
            **{f"answer_{self.a131.id}_comment": "Première ligne\r\n\tdeuxième\u2028troisième"}
        )
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.a131.comment, "Première ligne\n\tdeuxième\ntroisième")

    def test_invisible_characters_are_dropped_from_comments(self):
        self.a132.comment = "Un avis à effacer"
        self.env.flush_all()
        self._login()
        response = self._save(
            **{
                f"answer_{self.a131.id}_comment": "Compte\u200b rendu\u2060 joint",
                # made only of invisible characters: no comment at all
                f"answer_{self.a132.id}_comment": INVISIBLE,
            }
        )
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.a131.comment, "Compte rendu joint")
        self.assertFalse(self.a132.comment)

    def test_forged_grid_values(self):
        """Values a browser never posts are refused whole, cleanly."""
        self._login()
        a131 = self.a131.id
        for data, message in [
            ({f"answer_{a131}_level": f"{self.level_2.id}\x00"}, "Choose a level of the scale."),
            ({f"answer_{a131}_na": "1\x00"}, "Tick or untick the box."),
            ({f"answer_{a131}_remove_{self.other_evidence.id}": "1\x00"}, "Tick or untick"),
        ]:
            with self.subTest(data=repr(data)[:60]):
                self._refused_quietly(lambda data=data: self._save(**data), message)

    def test_french_member_reads_why_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "ess_network")])._update_translations(
            ["fr_FR"]
        )
        self.user.lang = "fr_FR"
        self.env.flush_all()
        self._login()
        for post, message in (
            (
                lambda: self._save(**{f"answer_{self.a131.id}_comment": NUL}),
                "Ce texte contient des caractères de contrôle",
            ),
            (
                lambda: self._save_stakeholder(**{**self.VALID_STAKEHOLDER, "name": "Élus\nCA"}),
                "Une seule ligne est attendue",
            ),
        ):
            before = self._snapshot()
            with self.assertNoLogs(level="ERROR"):
                response = post()
            self.assertEqual(response.status_code, 400)
            self.assertIn("Rien n'a été enregistré.", response.text)
            self.assertIn(message, response.text)
            self.assertEqual(self._snapshot(), before)

    # ------------------------------------------------------------ stakeholders
    def test_hostile_stakeholder_names_are_refused(self):
        self._login()
        cases = [
            (NUL, "control characters"),
            (BELL, "control characters"),
            ("Élus\nConseil d'administration", "A single line is expected"),
            ("Élus\r\nCA", "A single line is expected"),
            ("Élus\u2028CA", "A single line is expected"),
            (INVISIBLE, "Give the stakeholder a name."),
            (f" {INVISIBLE}\u00a0 ", "Give the stakeholder a name."),
        ]
        for text, message in cases:
            with self.subTest(new=repr(text)):
                self._refused_quietly(
                    lambda text=text: self._save_stakeholder(
                        **{**self.VALID_STAKEHOLDER, "name": text}
                    ),
                    message,
                )
            with self.subTest(edit=repr(text)):
                self._refused_quietly(
                    lambda text=text: self._save_stakeholder(
                        stakeholder_id=str(self.stakeholder.id), name=text
                    ),
                    message,
                )

    def test_hostile_expectations_are_refused(self):
        self._login()
        for text in (NUL, BELL, ESCAPE):
            with self.subTest(new=repr(text)):
                self._refused_quietly(
                    lambda text=text: self._save_stakeholder(
                        **{**self.VALID_STAKEHOLDER, "expectations": text}
                    ),
                    "control characters",
                )
            with self.subTest(edit=repr(text)):
                self._refused_quietly(
                    lambda text=text: self._save_stakeholder(
                        stakeholder_id=str(self.stakeholder.id), expectations=text
                    ),
                    "control characters",
                )

    def test_stakeholder_texts_are_cleaned(self):
        """Invisible characters go, spaces of a name are collapsed, line
        breaks of expectations are kept."""
        self._login()
        response = self._save_stakeholder(
            **{
                **self.VALID_STAKEHOLDER,
                "name": "\u200bConseil\u00a0\u00a0départemental\u2060 ",
                "expectations": "Un bilan annuel.\r\nUne visite\u200b sur site.",
            }
        )
        self.assertIn("saved=", response.url)
        stakeholder = self.env["ess.stakeholder"].search([("name", "=", "Conseil départemental")])
        self.assertEqual(len(stakeholder), 1)
        self.assertEqual(stakeholder.expectations, "Un bilan annuel.\nUne visite sur site.")

    def test_forged_stakeholder_values(self):
        self._login()
        for data, message in [
            ({"influence": "3\x00"}, "Choose a value from 1 to 5."),
            ({"importance": "0x3"}, "Choose a value from 1 to 5."),
            ({"category": "volunteers\x00"}, "Choose a value in the list."),
            ({"dialogue_mode_ids": ["", f"{self.mode_meeting.id}\x00"]}, "Choose dialogue modes"),
            ({"contact_ids": ["", "-1"]}, "Choose contacts among"),
        ]:
            with self.subTest(data=repr(data)[:60]):
                self._refused_quietly(
                    lambda data=data: self._save_stakeholder(**{**self.VALID_STAKEHOLDER, **data}),
                    message,
                )
