import base64
import html
import io
import re
import zipfile
from datetime import date, timedelta
from unittest.mock import patch

import openpyxl
from lxml import html as lxml_html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..controllers import portal_guide_year
from ..controllers.portal_guide_year import implementation_form_values
from ..models import ess_guide_year_portal as guide_year_portal
from ..wizards.spreadsheet_reader import SpreadsheetErrors
from .test_guide_portal import GuidePortalCase

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PRESENTATION_FIELDS = [
    "employees_presentation_date",
    "general_assembly_date",
    "general_assembly_debate",
    "general_assembly_minutes_name",
]


def docx_bytes():
    """A minimal Word document, as Odoo recognises one by its content."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return stream.getvalue()


@tagged("post_install", "-at_install")
class TestGuideYearPortal(GuidePortalCase):
    """A member ticks the twelve steps of its guide year, records its
    presentations to the employees and the general assembly, and imports
    its spreadsheet from the portal; another organisation's member can do
    none of it on this guide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env,
            "guide_year_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Sonia Staff",
        )
        cls.steps = cls.guide.step_ids
        cls.other_steps = cls.other_guide.step_ids
        cls.url = f"/my/guide/{cls.guide.id}"

    def _snapshot(self):
        """Everything a member could change, in both guides."""
        snapshot = super()._snapshot()
        guides = self.guide | self.other_guide
        return (
            *snapshot,
            guides.step_ids.read(["done", "done_date", "done_by_id"]),
            guides.read(PRESENTATION_FIELDS),
            [bool(guide.general_assembly_minutes) for guide in guides],
            guides.with_context(active_test=False).action_ids.read(["name", "progress"]),
        )

    def _open_page(self, user=None):
        """The implementation form as the browser holds it after opening
        the guide's page: its values and the fingerprints of what it showed."""
        self._login(user)
        page = self.url_open(self.url).text
        form = page[page.index("o_ess_guide_implementation_form") :]
        origin = re.search(r'name="ess_form_origin" value="([^"]+)"', form).group(1)
        return {**implementation_form_values(self.guide), "ess_form_origin": html.unescape(origin)}

    def _save(self, guide=None, files=None, **data):
        guide = guide or self.guide
        return self._post(f"/my/guide/{guide.id}/implementation", files=files, **data)

    def _import(self, content, guide=None, filename="guide.xlsx"):
        guide = guide or self.guide
        return self._post(
            f"/my/guide/{guide.id}/import", files={"file": (filename, content, XLSX_MIMETYPE)}
        )

    @staticmethod
    def _import_errors(response):
        page = lxml_html.fromstring(response.text)
        return [
            item.text_content()
            for item in page.xpath("//div[contains(@class, 'o_ess_guide_import_errors')]//li")
        ]

    def _export(self, guide=None):
        """The spreadsheet of ``guide`` as its member downloads it."""
        guide = guide or self.guide
        response = self.url_open(f"/my/guide/{guide.id}/xlsx")
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        return response.content

    @staticmethod
    def _modified(content, change):
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        change(workbook)
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()

    # ------------------------------------------------------------------ reading
    def test_page_shows_steps_presentations_and_import(self):
        self._login()
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertEqual(len(self.steps), 12)
        for step in self.steps:
            self.assertIn(f'name="step_{step.id}_done"', page)
            self.assertIn(f'name="step_{step.id}_done_date"', page)
        self.assertIn(f'action="/my/guide/{self.guide.id}/implementation"', page)
        self.assertIn(f'action="/my/guide/{self.guide.id}/import"', page)
        self.assertIn('name="general_assembly_minutes"', page)
        self.assertIn('name="general_assembly_debate"', page)
        for other in self.other_steps:
            self.assertNotIn(f"step_{other.id}_", page)

    # ---------------------------------------------------- steps, presentations
    def test_tick_steps_and_record_presentations(self):
        first, second, third = self.steps[:3]
        page = self._open_page()
        yesterday = fields.Date.today() - timedelta(days=1)
        response = self._save(
            files={"general_assembly_minutes": ("PV AG 2025.pdf", PDF, "application/pdf")},
            **{
                **page,
                f"step_{first.id}_done": "1",
                f"step_{first.id}_done_date": "15/01/2025",
                f"step_{second.id}_done": "1",
                "employees_presentation_date": "2025-03-10",
                "general_assembly_date": str(yesterday),
                "general_assembly_debate": "L'AG a salué le travail sur la gouvernance.",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"{self.url}#o_ess_guide_implementation"))
        self.assertIn("The steps and presentations are saved.", response.text)
        self.env.invalidate_all()
        self.assertEqual((first.done, first.done_date), (True, date(2025, 1, 15)))
        self.assertEqual((second.done, second.done_date), (True, fields.Date.today()))
        self.assertEqual(first.done_by_id, self.user)
        self.assertFalse(third.done)
        self.assertEqual(self.guide.step_progress, round(100 * 2 / 12))
        guide = self.guide
        self.assertEqual(guide.employees_presentation_date, date(2025, 3, 10))
        self.assertEqual(guide.general_assembly_date, yesterday)
        self.assertEqual(
            guide.general_assembly_debate, "L'AG a salué le travail sur la gouvernance."
        )
        self.assertEqual(guide.general_assembly_minutes_name, "PV AG 2025.pdf")
        self.assertEqual(base64.b64decode(guide.general_assembly_minutes), PDF)
        self.assertEqual(guide.write_uid, self.user)

        # the chatter: the steps ticked, the dates tracked, the rest listed
        self.env.flush_all()
        messages = guide.message_ids
        ticked = messages.filtered(lambda m: "Steps updated (done)" in (m.body or ""))
        self.assertEqual(len(ticked), 1)
        self.assertIn(first.name, ticked.body)
        self.assertIn(second.name, ticked.body)
        self.assertEqual(ticked.author_id, self.user.partner_id)
        updated = messages.filtered(lambda m: "Updated through the portal by" in (m.body or ""))
        self.assertEqual(len(updated), 1)
        self.assertIn("General assembly minutes: PV AG 2025.pdf", updated.body)
        self.assertIn("Debate at the general assembly updated", updated.body)
        self.assertEqual(updated.author_id, self.user.partner_id)
        self.assertEqual(
            set(updated.tracking_value_ids.field_id.mapped("name")),
            {"employees_presentation_date", "general_assembly_date"},
        )

        # the minutes are a download link, for the organisation only
        page = self.url_open(self.url).text
        self.assertIn(f'href="/my/guide/{guide.id}/minutes"', page)
        response = self.url_open(f"/my/guide/{guide.id}/minutes")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self._login(self.other_user)
        response = self.url_open(f"/my/guide/{guide.id}/minutes")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotEqual(response.content, PDF)

    def test_untick_redate_and_replace_the_minutes(self):
        first, second = self.steps[:2]
        (first | second).write({"done": True, "done_date": date(2025, 2, 1)})
        self.guide.write(
            {
                "general_assembly_minutes": base64.b64encode(PDF),
                "general_assembly_minutes_name": "ancien.pdf",
            }
        )
        page = self._open_page()
        response = self._save(
            files={"general_assembly_minutes": ("PV.docx", docx_bytes(), "application/zip")},
            **{
                **page,
                f"step_{first.id}_done": "0",
                f"step_{second.id}_done_date": "2025-02-03",
            },
        )
        self.assertTrue(response.url.endswith("#o_ess_guide_implementation"), response.url)
        self.env.invalidate_all()
        self.assertEqual((first.done, first.done_date), (False, False))
        self.assertEqual((second.done, second.done_date), (True, date(2025, 2, 3)))
        self.assertEqual(self.guide.general_assembly_minutes_name, "PV.docx")
        self.env.flush_all()
        updated = self.guide.message_ids.filtered(lambda m: "Updated through the portal" in m.body)
        self.assertIn(f"Date of the steps changed: {second.name}", updated.body)
        self.assertTrue(
            self.guide.message_ids.filtered(lambda m: "Steps updated (to do again)" in m.body)
        )

        # removing the file
        page = self._open_page()
        self._save(**{**page, "general_assembly_minutes_remove": "1"})
        self.env.invalidate_all()
        self.assertFalse(self.guide.general_assembly_minutes)
        self.assertFalse(self.guide.general_assembly_minutes_name)
        self.assertNotIn("/minutes", self.url_open(self.url).text)

    def test_saving_the_form_unchanged_writes_nothing(self):
        page = self._open_page()
        before = self._snapshot()
        response = self._save(**page)
        self.assertTrue(response.url.endswith("#o_ess_guide_implementation"), response.url)
        self.assertEqual(self._snapshot(), before)

    def test_invalid_posts_write_nothing(self):
        first = self.steps[0]
        tomorrow = str(fields.Date.today() + timedelta(days=1))
        # a valid value rides along with each wrong one: it is not saved either
        valid = {f"step_{self.steps[1].id}_done": "1", "general_assembly_debate": "Débat"}
        text_as_pdf = ("pv.pdf", b"Just a text, not a PDF", "application/pdf")
        pdf_as_docx = ("pv.docx", PDF, "application/pdf")
        script = ("pv.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
        # over a limit of 1 MB (the test server refuses a form over 10 MB)
        big = ("pv.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
        cases = [
            (
                {f"step_{first.id}_done": "1", f"step_{first.id}_done_date": tomorrow},
                None,
                "future",
            ),
            (
                {f"step_{first.id}_done": "1", f"step_{first.id}_done_date": "hier"},
                None,
                "not a date",
            ),
            (
                {f"step_{first.id}_done": "1", f"step_{first.id}_done_date": "01/01/1999"},
                None,
                "2014",
            ),
            ({f"step_{first.id}_done": "maybe"}, None, "Tick or untick the box."),
            ({"general_assembly_date": tomorrow}, None, "This date is in the future"),
            ({"employees_presentation_date": "32/13/2025"}, None, "is not a date"),
            ({"general_assembly_debate": "x" * 10001}, None, "At most 10000 characters."),
            ({"general_assembly_debate": "a\x00b"}, None, "control characters"),
            ({}, {"general_assembly_minutes": text_as_pdf}, "is not a PDF, ODT or DOCX"),
            ({}, {"general_assembly_minutes": pdf_as_docx}, "is not a PDF, ODT or DOCX"),
            ({}, {"general_assembly_minutes": script}, "is not a PDF, ODT or DOCX"),
            ({}, {"general_assembly_minutes": ("pv.pdf", b"", "x")}, "is empty"),
            ({}, {"general_assembly_minutes": big}, "is larger than 1 MB"),
            # forged: a step of the other organisation's guide, a field of the guide
            ({f"step_{self.other_steps[0].id}_done": "1"}, None, "not part of this guide"),
            ({"state": "closed"}, None, "not part of this guide"),
            ({"general_assembly_minutes_name": "x.pdf"}, None, "not part of this guide"),
        ]
        self._login()
        limit = 1024 * 1024
        with (
            patch.object(guide_year_portal, "MINUTES_MAX_SIZE", limit),
            patch.object(portal_guide_year, "MINUTES_MAX_SIZE", limit),
        ):
            self._assert_refused_cases(cases, valid)

    def _assert_refused_cases(self, cases, valid):
        for data, files, message in cases:
            with self.subTest(data=str(data)[:80], files=bool(files)):
                before = self._snapshot()
                self.assertRefused(self._save(files=files, **{**valid, **data}), message, before)

    def test_refused_post_keeps_the_values(self):
        self._login()
        response = self._save(
            general_assembly_debate="Texte gardé après l'erreur", general_assembly_date="demain"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Texte gardé après l&#39;erreur", response.text)
        self.assertIn("is-invalid", response.text)

    def test_same_date_changed_by_two_users_is_refused(self):
        colleague = self._member("guide_year_member_2", "Bruno Collègue", self.org)
        page_a, page_b = self._open_page(self.user), self._open_page(colleague)
        self._login(self.user)
        self._save(**{**page_a, "general_assembly_date": "2025-06-10"})
        before = self._snapshot()
        self._login(colleague)
        response = self._save(**{**page_b, "general_assembly_date": "2025-06-12"})
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        # a different value on the stale page is kept
        response = self._save(**{**page_b, "employees_presentation_date": "2025-05-01"})
        self.assertTrue(response.url.endswith("#o_ess_guide_implementation"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.guide.general_assembly_date, date(2025, 6, 10))
        self.assertEqual(self.guide.employees_presentation_date, date(2025, 5, 1))

    def test_closed_year_is_read_only(self):
        self.steps[0].write({"done": True, "done_date": date(2025, 1, 2)})
        self.guide.write({"state": "closed", "general_assembly_debate": "Débat clos"})
        self.env.flush_all()
        self._login()
        page = self.url_open(self.url).text
        self.assertNotIn("/implementation", page)
        self.assertNotIn("/import", page)
        self.assertNotIn(f'name="step_{self.steps[0].id}_done"', page)
        self.assertIn("Débat clos", page)
        before = self._snapshot()
        response = self._save(**{f"step_{self.steps[1].id}_done": "1"})
        self.assertRefused(response, "This guide is closed", before)
        response = self._import(self._export())
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            self._import_errors(response), ["This guide is closed: it can no longer be changed."]
        )
        self.assertEqual(self._snapshot(), before)

    # ------------------------------------------------- other organisation's data
    def test_other_organisation_cannot_post_to_this_guide(self):
        """A member of another organisation forging posts to this guide's
        URLs is sent back to its portal home; nothing is written."""
        self._login()
        content = self._export()
        self._login(self.other_user)
        before = self._snapshot()
        response = self._save(
            files={"general_assembly_minutes": ("pv.pdf", PDF, "application/pdf")},
            **{f"step_{self.steps[0].id}_done": "1", "general_assembly_debate": "Forgé"},
        )
        self.assertTrue(response.url.endswith("/my"), response.url)
        changed = self._modified(
            content, lambda workbook: workbook["Thèmes"].cell(2, 4, "Forgé par la voisine")
        )
        response = self._import(changed)
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Scop Guide Portail", response.text)
        self.assertEqual(self._snapshot(), before)

    def test_model_checks_the_organisation_again(self):
        with self.assertRaises(AccessError):
            self.guide.sudo()._portal_save_implementation(
                {}, {"general_assembly_debate": "x"}, self.other_user
            )
        with self.assertRaises(AccessError):
            # a step of another guide through this guide
            self.guide.sudo()._portal_save_implementation(
                {self.other_steps[0]: {"done": True}}, {}, self.user
            )
        with self.assertRaises(AccessError):
            self.guide.sudo()._portal_save_implementation({}, {"state": "closed"}, self.user)
        with self.assertRaises(AccessError):
            self.guide.sudo()._portal_import(b"PK", "x.xlsx", self.other_user)
        self.assertFalse(self.other_steps[0].done)
        self.assertFalse(self.guide.general_assembly_debate)

    def test_rpc_cannot_write(self):
        self._login()
        step = self.steps[0]
        self.assertRpcRefused(
            [
                ("ess.guide.year.step", "write", [[step.id], {"done": True}]),
                ("ess.guide.year.step", "write", [[self.other_steps[0].id], {"done": True}]),
                (
                    "ess.guide.year",
                    "write",
                    [[self.guide.id], {"general_assembly_date": "2025-01-01"}],
                ),
                ("ess.guide.year.import", "create", [{"guide_year_id": self.guide.id}]),
                (
                    "ess.guide.year",
                    "_portal_save_implementation",
                    [[self.guide.id], {}, {"general_assembly_debate": "x"}, self.user.id],
                ),
                (
                    "ess.guide.year",
                    "_portal_import",
                    [[self.guide.id], "UEs=", "x.xlsx", self.user.id],
                ),
                (
                    "ess.guide.year.import",
                    "_ess_import",
                    [[], self.guide.id, "UEs=", "x.xlsx"],
                ),
            ]
        )

    # ------------------------------------------------------------------ import
    def test_import_round_trip_from_the_portal_export(self):
        self._login()
        content = self._export()
        before = self._snapshot()
        # the file as exported changes nothing
        response = self._import(content)
        self.assertTrue(response.url.endswith("#o_ess_guide_import"), response.url)
        self.assertIn("Spreadsheet imported: 0 theme(s)", response.text)
        self.assertEqual(self._snapshot()[:3], before[:3])

        theme_row = 1 + list(self.guide.theme_line_ids).index(self.theme_line_1) + 1

        def change(workbook):
            workbook["Thèmes"].cell(theme_row, 2, "Oui")
            workbook["Thèmes"].cell(theme_row, 4, "AG annuelle ouverte aux salariés")
            workbook["Plan d'action"].append(
                [None, "Ouvrir le CA aux salariés", None, None, None, "Paula Pilote"]
            )

        response = self._import(self._modified(content, change), filename="Guide rempli.xlsx")
        self.assertTrue(response.url.endswith("#o_ess_guide_import"), response.url)
        self.assertIn(
            "Spreadsheet imported: 1 theme(s), 0 question(s) or indicator(s) and 0 action(s) "
            "updated, 1 action(s) created.",
            response.text,
        )
        self.env.invalidate_all()
        self.assertEqual(self.theme_line_1.decision, "retained")
        self.assertEqual(self.theme_line_1.good_practices, "AG annuelle ouverte aux salariés")
        self.assertEqual(self.theme_line_1.write_uid, self.user)
        created = self.guide.action_ids.filtered(lambda a: a.name == "Ouvrir le CA aux salariés")
        self.assertEqual((created.pilot_id, created.partner_id), (self.pilot, self.org))
        message = self.guide.message_ids[0]
        self.assertIn("Spreadsheet imported through the portal by Marie Membre", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        self.assertEqual(message.attachment_ids.mapped("name"), ["Guide rempli.xlsx"])
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        # shown once: the page opened again says nothing more
        self.assertNotIn("Spreadsheet imported:", self.url_open(self.url).text)

    def test_import_errors_are_the_wizards(self):
        """The portal lists the errors the staff's import wizard gives for
        the same file, and writes nothing."""
        self.theme_line_1.decision = "retained"
        self._login()
        other_action = self.other_action

        def change(workbook):
            steering = workbook["Pilotage"]
            steering.append(["1. Gouvernance", "1.3 Exercice du pouvoir", "Question inventée"])
            row = next(
                r
                for r in range(2, steering.max_row + 1)
                if steering.cell(r, 3).value == self.question_number.name
            )
            steering.cell(row, 4, "douze")
            themes = workbook["Thèmes"]
            themes.cell(2, 2, "Peut-être")
            actions = workbook["Plan d'action"]
            actions.append([f"ACT-{other_action.id}", "Forgée", None, None, None, "Inconnu"])

        content = self._modified(self._export(), change)
        wizard_guide = self.guide.with_user(self.staff)
        with self.assertRaises(SpreadsheetErrors) as caught:
            self.env["ess.guide.year.import"].with_user(self.staff)._ess_import(
                wizard_guide, content, "guide.xlsx"
            )
        expected = caught.exception.messages
        self.assertGreaterEqual(len(expected), 4)
        for message in expected:
            self.assertIn(message, caught.exception.args[0])
        before = self._snapshot()
        response = self._import(content)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Nothing was imported.", response.text)
        self.assertEqual(self._import_errors(response), expected)
        self.assertIn(
            f"Sheet “Plan d'action”, row 3, column A: unknown action “ACT-{other_action.id}”",
            "\n".join(expected),
        )
        self.assertNotIn("Action secrète de la voisine", response.text)
        self.assertEqual(self._snapshot(), before)

    def test_import_refuses_bad_files(self):
        self._login()
        content = self._export()
        # another organisation's file, and another year's of this organisation
        other_file = self.env["report.ess_network.guide_year_xlsx"]._ess_render(self.other_guide)[0]
        previous = self.env["ess.guide.year"].create(
            {"partner_id": self.org.id, "year": 2024, "state": "in_progress"}
        )
        previous_file = self._export(previous)
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", b"\0" * (61 * 1024 * 1024))
        bomb = stream.getvalue()
        self.assertLess(len(bomb), 1024 * 1024)

        def no_steering(workbook):
            workbook["Pilotage"].title = "Feuil1"

        cases = [
            (b"\x00\xffgarbage" * 100, "This file is not an Excel workbook"),
            (b"Th\xc3\xa8me;Domaine\n1;1.3\n", "This file is not an Excel workbook"),
            (content[: len(content) // 2], "This file is not an Excel workbook"),
            (bomb, "The workbook holds too much data to be imported."),
            (b"PK" + b"\0" * (5 * 1024 * 1024 + 10), "The file is too large"),
            (b"", "The file is empty."),
            (self._modified(content, no_steering), "The workbook has no sheet “Pilotage”"),
            (other_file, "This spreadsheet was exported from another guide year"),
            (previous_file, "This spreadsheet was exported from another guide year"),
        ]
        for data, message in cases:
            with self.subTest(message=message, size=len(data)):
                before = self._snapshot()
                response = self._import(data)
                self.assertEqual(response.status_code, 400)
                errors = self._import_errors(response)
                self.assertEqual(len(errors), 1, errors)
                self.assertIn(message, errors[0])
                self.assertEqual(self._snapshot(), before)
        # the other organisation's file names its own guide, which the member holds anyway
        before = self._snapshot()
        response = self._post(f"/my/guide/{self.guide.id}/import")
        self.assertEqual(self._import_errors(response), ["Choose the spreadsheet to import."])
        self.assertEqual(self._snapshot(), before)
