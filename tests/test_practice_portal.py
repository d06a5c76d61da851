import base64
import io
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import urlencode

from lxml import html
from PIL import Image

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import warmup

from ..controllers import portal_library
from ..models import ess_practice_portal
from .common import PDF as PDF_BASE64
from .common import EssPortalCase

PDF = base64.b64decode(PDF_BASE64)
PRACTICE_FIELDS = [
    "name",
    "description",
    "state",
    "theme_id",
    "domain_id",
    "kind_ids",
    "source_named",
    "attachment_ids",
    "review_comment",
    "active",
]
# The queries of the library's page, whatever the number of sheets.
LIBRARY_PAGE_QUERIES = 40


# the first bytes of a WebP picture (what guess_mimetype reads)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24


def picture(kind="PNG"):
    """A small picture's bytes."""
    stream = io.BytesIO()
    Image.new("RGB", (8, 8), (33, 120, 96)).save(stream, kind)
    return stream.getvalue()


class PracticePortalCase(EssPortalCase):
    """Two member organisations, ``org`` and ``other_org``, each with a
    portal user; published sheets of the library, a proposal of each
    organisation (``org``'s returned with a comment), a guide year each
    whose theme 1 holds good practices. The sheets shipped with the add-on
    are archived."""

    org_name = "Scop Bibliothèque"
    login_prefix = "library"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.theme_1 = env.ref("ess_network.ess_guide_theme_1")
        cls.theme_2 = env.ref("ess_network.ess_guide_theme_2")
        cls.domain_1_1 = env.ref("ess_network.ess_guide_domain_1_1")
        cls.domain_1_2 = env.ref("ess_network.ess_guide_domain_1_2")
        # the sheets shipped with the add-on (seed 004, demo) leave the
        # library: the tests count their own
        env["ess.practice"].with_context(tracking_disable=True).search([]).write({"active": False})
        Kind = env["ess.organisation.kind"]
        cls.kind_scop = Kind.create({"name": "Scop (essai)"})
        cls.kind_asso = Kind.create({"name": "Association (essai)"})
        Practice = env["ess.practice"]
        today = fields.Date.today()
        cls.published = Practice.create(
            [
                {
                    "name": "Se doter d'un CA junior",
                    "description": "<p>Des jeunes salariés siègent dans un conseil miroir.</p>",
                    "theme_id": cls.theme_1.id,
                    "domain_id": cls.domain_1_1.id,
                    "kind_ids": [Command.set(cls.kind_scop.ids)],
                    "state": "published",
                    "date_published": today,
                },
                {
                    "name": "Soutenir des filières locales",
                    "description": "<p>Acheter aux producteurs du territoire.</p>",
                    "theme_id": cls.theme_2.id,
                    "kind_ids": [Command.set(cls.kind_asso.ids)],
                    "state": "published",
                    "date_published": today,
                },
            ]
        )
        cls.junior, cls.local = cls.published
        cls.document = env["ir.attachment"].create(
            {
                "name": "charte-ca-junior.pdf",
                "raw": PDF,
                "res_model": "ess.practice",
                "res_id": cls.junior.id,
            }
        )
        cls.junior.attachment_ids = [Command.set(cls.document.ids)]
        cls.other_proposal = Practice.create(
            {
                "name": "Proposition secrète de la voisine",
                "description": "<p>Ce que la voisine n'a pas encore publié.</p>",
                "partner_id": cls.other_org.id,
                "state": "proposed",
            }
        )
        cls.other_document = env["ir.attachment"].create(
            {
                "name": "secret.pdf",
                "raw": PDF,
                "res_model": "ess.practice",
                "res_id": cls.other_proposal.id,
            }
        )
        cls.other_proposal.attachment_ids = [Command.set(cls.other_document.ids)]
        cls.returned = Practice.create(
            {
                "name": "Associer les salariés aux décisions",
                "description": "<p>Un comité de salariés.</p>",
                "partner_id": cls.org.id,
                "theme_id": cls.theme_1.id,
                "state": "returned",
                "review_comment": "Précisez combien de salariés y participent.",
            }
        )
        Guide = env["ess.guide.year"]
        cls.guide = Guide.create({"partner_id": cls.org.id, "year": 2025, "state": "in_progress"})
        cls.other_guide = Guide.create(
            {"partner_id": cls.other_org.id, "year": 2025, "state": "in_progress"}
        )
        cls.theme_line = cls.guide.theme_line_ids.filtered(lambda t: t.theme_id == cls.theme_1)
        cls.theme_line.good_practices = (
            "Un conseil d'administration junior\nSix salariés de moins de 30 ans y siègent."
        )
        cls.other_theme_line = cls.other_guide.theme_line_ids.filtered(
            lambda t: t.theme_id == cls.theme_1
        )
        cls.other_theme_line.good_practices = "La bonne pratique de la voisine"

    def _snapshot(self):
        """Every sheet (what a member could change), the documents of the
        library, and the actions."""
        self.env.flush_all()  # the tracking messages are written at flush
        self.env.invalidate_all()
        Practice = self.env["ess.practice"].with_context(active_test=False)
        practices = Practice.search([], order="id")
        return (
            practices.read(PRACTICE_FIELDS),
            [bool(practice.image_128) for practice in practices],
            self.env["ir.attachment"].search_count([("res_model", "=", "ess.practice")]),
            self.env["ess.action"].search_count([]),
            len(practices.message_ids),
        )

    def _propose(self, url="/my/library/propose", files=None, **data):
        values = {
            "name": "Un jardin partagé",
            "description": "Les salariés cultivent un jardin sur le site.",
            "theme_id": str(self.theme_1.id),
            "domain_id": str(self.domain_1_2.id),
            "source_named": "1",
            **data,
        }
        return self._post(url, files=files, **{k: v for k, v in values.items() if v is not None})

    @staticmethod
    def _errors(response):
        """The errors a refused form shows, to tell why."""
        page = html.fromstring(response.content)
        return [
            " ".join(node.text_content().split())
            for node in page.xpath(
                "//*[contains(@class, 'invalid-feedback') or contains(@class, 'alert-danger')]"
            )
        ]

    def _own_sheets(self):
        return self.env["ess.practice"].search([("partner_id", "=", self.org.id)])


@tagged("post_install", "-at_install")
class TestPracticePortal(PracticePortalCase):
    """A member reads and searches the library, opens a sheet and its
    documents, proposes a sheet (from scratch, from its guide year) and
    changes the one the network returned."""

    def test_library_lists_published_sheets_and_own_proposals(self):
        self._login()
        page = self.url_open("/my/library")
        self.assertEqual(page.status_code, 200)
        for practice in self.published:
            self.assertIn(practice.name.replace("'", "&#39;"), page.text)
        self.assertIn("Sheets found: 2", page.text)
        # a proposal is not in the library: neither the member's nor another's
        self.assertNotIn("Proposition secrète", page.text)
        self.assertNotIn(self.returned.name, page.text)
        mine = self.url_open("/my/library?tab=mine").text
        self.assertIn(self.returned.name, mine)
        self.assertIn("Returned", mine)
        self.assertNotIn("Proposition secrète", mine)
        # the portal home's card counts the published sheets
        home = self.make_jsonrpc_request("/my/counters", {"counters": ["ess_practice_count"]})
        self.assertEqual(home["ess_practice_count"], 2)

    def test_search_and_filters(self):
        self._login()
        cases = [
            ({"search": "junior"}, [self.junior], [self.local]),
            ({"search": "producteurs"}, [self.local], [self.junior]),
            ({"theme": str(self.theme_2.id)}, [self.local], [self.junior]),
            ({"domain": str(self.domain_1_1.id)}, [self.junior], [self.local]),
            ({"kind": str(self.kind_scop.id)}, [self.junior], [self.local]),
            ({"search": "junior", "theme": str(self.theme_2.id)}, [], self.published),
        ]
        for params, found, not_found in cases:
            with self.subTest(params=params):
                query = "&".join(f"{key}={value}" for key, value in params.items())
                page = self.url_open(f"/my/library?{query}").text
                for practice in found:
                    self.assertIn(f'href="/my/library/{practice.id}"', page)
                for practice in not_found:
                    self.assertNotIn(f'href="/my/library/{practice.id}"', page)
                self.assertIn(f"Sheets found: {len(found)}", page)

    def test_suggested_reading(self):
        self.theme_line.progress_areas = "Ouvrir le conseil aux jeunes salariés."
        self._login()
        page = html.fromstring(self.url_open("/my/library").content)
        suggestions = page.xpath("//li[contains(@class, 'o_ess_library_suggestion')]")
        self.assertEqual(len(suggestions), 1)
        self.assertEqual(suggestions[0].xpath(".//a/@href"), [f"/my/library/{self.junior.id}"])
        self.assertIn("Progress areas of the guide year 2025", suggestions[0].text_content())
        # a search shows what was searched, without suggestions
        page = self.url_open("/my/library?search=filieres").text
        self.assertNotIn("o_ess_library_suggestions", page)
        self.assertIn(f'href="/my/library/{self.local.id}"', page)
        # the other organisation has no progress area: nothing suggested
        self._login(self.other_user)
        self.assertNotIn("o_ess_library_suggestions", self.url_open("/my/library").text)

    def test_odd_search_input_shows_the_page(self):
        self._login()
        odd = [
            {"search": "%"},
            {"search": "_"},
            {"search": "ju\x00nior"},
            {"search": "ju\u200bnior"},
            {"search": "Sсop jսnior"},  # Cyrillic "с", Armenian "ս"
            {"search": "x" * 5000},
            {"search": "'; DROP TABLE ess_practice; --"},
            {"theme": "abc"},
            {"theme": "99999999999999"},
            {"domain": "-1"},
            {"kind": "1,2"},
            {"tab": "<script>"},
        ]
        for params in odd:
            with self.subTest(params=str(params)[:60]):
                response = self.url_open(f"/my/library?{urlencode(params)}")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("\x00", response.text)
        # the zero-width space and the NUL byte do not hide a word
        query = urlencode({"search": "ju\u200bnior"})
        page = self.url_open(f"/my/library?{query}").text
        self.assertIn(f'href="/my/library/{self.junior.id}"', page)
        # a Cyrillic "і" in "junior"
        query = urlencode({"search": "CA junіor"})
        page = self.url_open(f"/my/library?{query}").text
        self.assertIn(f'href="/my/library/{self.junior.id}"', page)

    def test_sheet_page_and_documents(self):
        self.junior.write({"partner_id": self.other_org.id, "source_named": False})
        self._login()
        page = self.url_open(f"/my/library/{self.junior.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Des jeunes salariés siègent", page.text)
        self.assertIn("Scop (essai)", page.text)
        self.assertIn(self.domain_1_1.name, page.text)
        self.assertIn(f"/my/actions/new?practice={self.junior.id}", page.text)
        # the source organisation is not named without its consent
        self.assertNotIn(self.other_org.name, page.text)
        self.junior.source_named = True
        self.assertIn(self.other_org.name, self.url_open(f"/my/library/{self.junior.id}").text)
        # the document, through the sheet
        url = f"/my/library/{self.junior.id}/document/{self.document.id}"
        self.assertIn(url, page.text)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        # a document of another sheet is not one of this sheet's
        response = self.url_open(f"/my/library/{self.junior.id}/document/{self.other_document.id}")
        self.assertEqual(response.status_code, 404)

    def test_picture_has_alt_text(self):
        self.junior.image_1920 = base64.b64encode(picture())
        self._login()
        page = self.url_open(f"/my/library/{self.junior.id}").text
        self.assertIn(f'src="/web/image/ess.practice/{self.junior.id}/image_1024"', page)
        self.assertIn('alt="Picture of the sheet “Se doter d&#39;un CA junior”"', page)
        response = self.url_open(f"/web/image/ess.practice/{self.junior.id}/image_1024")
        self.assertEqual(response.status_code, 200)

    def test_propose_a_sheet(self):
        self._login()
        before = self.env["ess.practice"].search_count([])
        response = self._propose(
            kind_ids=[str(self.kind_scop.id), str(self.kind_asso.id)],
            files=[
                ("image", ("jardin.png", picture(), "image/png")),
                ("documents", ("plan.pdf", PDF, "application/pdf")),
                ("documents", ("photo.webp", WEBP, "image/webp")),
            ],
        )
        self.assertEqual(response.status_code, 200, self._errors(response))
        sheet = self._own_sheets() - self.returned
        self.assertEqual(len(sheet), 1)
        self.assertEqual(self.env["ess.practice"].search_count([]), before + 1)
        self.assertTrue(response.url.endswith(f"/my/library/{sheet.id}?proposed=1"), response.url)
        self.assertIn("Your sheet is proposed to the network", response.text)
        self.assertEqual(sheet.state, "proposed")
        self.assertEqual(sheet.name, "Un jardin partagé")
        self.assertIn("cultivent un jardin", sheet.description)
        self.assertEqual(sheet.theme_id, self.theme_1)
        self.assertEqual(sheet.domain_id, self.domain_1_2)
        self.assertEqual(sheet.kind_ids, self.kind_scop | self.kind_asso)
        self.assertTrue(sheet.source_named)
        self.assertEqual(sheet.proposed_by_id, self.user)
        self.assertTrue(sheet.date_proposed)
        self.assertTrue(sheet.image_128)
        self.assertEqual(sorted(sheet.attachment_ids.mapped("name")), ["photo.webp", "plan.pdf"])
        self.assertEqual(set(sheet.attachment_ids.mapped("res_id")), {sheet.id})
        self.assertIn("Proposed through the portal by Marie Membre", sheet.message_ids[-1:].body)
        # the member's own proposal: in My proposals, readable with its documents
        self.assertIn(sheet.name, self.url_open("/my/library?tab=mine").text)
        self.assertNotIn(f'href="/my/library/{sheet.id}"', self.url_open("/my/library").text)
        document = sheet.attachment_ids.filtered(lambda a: a.name == "plan.pdf")
        response = self.url_open(f"/my/library/{sheet.id}/document/{document.id}")
        self.assertEqual(response.content, PDF)
        # the other organisation reads neither the sheet nor its documents
        self._login(self.other_user)
        self.assertEqual(self.url_open(f"/my/library/{sheet.id}").status_code, 404)
        response = self.url_open(f"/my/library/{sheet.id}/document/{document.id}")
        self.assertEqual(response.status_code, 404)

    def test_propose_from_a_good_practice_of_the_guide_year(self):
        self._login()
        guide_page = self.url_open(f"/my/guide/{self.guide.id}").text
        url = f"/my/library/propose?theme_line={self.theme_line.id}"
        self.assertIn(f'href="{url}"', guide_page.replace("&amp;", "&"))
        # a theme without good practices has no button
        self.assertEqual(guide_page.count("o_ess_propose_practice"), 1)
        form = self.url_open(url)
        self.assertEqual(form.status_code, 200)
        self.assertIn('value="Un conseil d&#39;administration junior"', form.text)
        self.assertIn("Six salariés de moins de 30 ans y siègent.", form.text)
        selected = html.fromstring(form.content).xpath(
            "//select[@name='theme_id']/option[@selected]/@value"
        )
        self.assertEqual(selected, [str(self.theme_1.id)])
        response = self._propose(
            name="Un conseil d'administration junior",
            theme_id=str(self.theme_1.id),
            domain_id="",
            theme_line=str(self.theme_line.id),
        )
        self.assertEqual(response.status_code, 200)
        sheet = self._own_sheets() - self.returned
        self.assertEqual(sheet.guide_year_theme_id, self.theme_line)
        self.assertEqual(sheet.state, "proposed")

    def test_change_and_propose_again_a_returned_sheet(self):
        self._login()
        page = self.url_open(f"/my/library/{self.returned.id}").text
        self.assertIn("Précisez combien de salariés y participent.", page)
        edit_url = f"/my/library/{self.returned.id}/edit"
        self.assertIn(f'href="{edit_url}"', page)
        form = self.url_open(edit_url).text
        self.assertIn("Précisez combien de salariés y participent.", form)
        self.assertIn('value="Associer les salariés aux décisions"', form)
        response = self._post(
            edit_url,
            name="Associer douze salariés aux décisions",
            description="Un comité de douze salariés, élus chaque année.",
            theme_id=str(self.theme_1.id),
            domain_id="",
            kind_ids=["", str(self.kind_scop.id)],
            source_named="0",
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("?proposed=1"), response.url)
        self.returned.invalidate_recordset()
        self.assertEqual(self.returned.state, "proposed")
        self.assertEqual(self.returned.name, "Associer douze salariés aux décisions")
        self.assertEqual(self.returned.kind_ids, self.kind_scop)
        self.assertTrue(
            self.returned.message_ids.filtered(lambda m: "proposed again" in m.body),
            "the chatter says the sheet was changed and proposed again",
        )
        # once proposed, it is the network's to review: no more changes
        response = self.url_open(edit_url)
        self.assertTrue(response.url.endswith(f"/my/library/{self.returned.id}"), response.url)
        before = self._snapshot()
        self._post(edit_url, name="Encore un autre titre")
        self.assertEqual(self._snapshot(), before)

    def test_add_a_sheet_to_the_action_plan(self):
        self._login()
        page = self.url_open(f"/my/actions/new?practice={self.junior.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('value="Se doter d&#39;un CA junior"', page.text)
        self.assertIn(f'name="practice_id" value="{self.junior.id}"', page.text)
        # another organisation's proposal prefills nothing
        page = self.url_open(f"/my/actions/new?practice={self.other_proposal.id}").text
        self.assertNotIn("Proposition secrète", page)
        self.assertNotIn('name="practice_id"', page)
        for odd in ("abc", "", "1,2", "99999999999"):
            self.assertEqual(self.url_open(f"/my/actions/new?practice={odd}").status_code, 200)
        # the action made from the sheet
        pilot = self.env["res.partner"].create({"name": "Paula Pilote", "parent_id": self.org.id})
        response = self._post(
            "/my/actions/new",
            name="Se doter d'un CA junior",
            pilot_id=str(pilot.id),
            guide_year_id=str(self.guide.id),
            date_deadline="2026-12-31",
            practice_id=str(self.junior.id),
        )
        self.assertEqual(response.status_code, 200, response.text[:2000])
        action = self.env["ess.action"].search([("partner_id", "=", self.org.id)])
        self.assertEqual(action.name, "Se doter d'un CA junior")
        self.assertEqual(action.practice_id, self.junior)
        # a sheet the member may not read is refused
        before = self._snapshot()
        response = self._post(
            "/my/actions/new",
            name="Copier la voisine",
            pilot_id=str(pilot.id),
            date_deadline="2026-12-31",
            practice_id=str(self.other_proposal.id),
        )
        self.assertRefused(response, "Choose a sheet of the good-practice library.", before)


@tagged("post_install", "-at_install")
class TestPracticePortalIsolation(PracticePortalCase):
    """What a member may not do: read another organisation's proposal,
    forge ids, send wrong files, write through RPC."""

    def test_other_organisation_proposal_is_not_found(self):
        self._login()
        for url in (
            f"/my/library/{self.other_proposal.id}",
            f"/my/library/{self.other_proposal.id}/edit",
            f"/my/library/{self.other_proposal.id}/document/{self.other_document.id}",
            "/my/library/99999999",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Proposition secrète", response.text)
                self.assertNotIn("voisine", response.text)
        before = self._snapshot()
        self._post(f"/my/library/{self.other_proposal.id}/edit", name="Volée")
        self.assertEqual(self._snapshot(), before)

    def test_refused_proposals_write_nothing(self):
        other_theme_domain = self.env.ref("ess_network.ess_guide_domain_2_1")
        pdf_as_png = ("jardin.png", PDF, "image/png")
        program = ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream")
        program_as_pdf = ("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
        big = ("plan.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
        cases = [
            ({"name": ""}, None, "Give the sheet a title."),
            ({"name": "\u200b \u200b"}, None, "Give the sheet a title."),
            ({"description": ""}, None, "Write the text of the sheet"),
            ({"name": "x" * 201}, None, "At most 200 characters."),
            ({"name": "a\x00b"}, None, "control characters"),
            ({"theme_id": "99999999"}, None, "Choose a theme of the guide in the list."),
            ({"theme_id": "abc"}, None, "Choose a theme of the guide in the list."),
            ({"domain_id": "99999999"}, None, "Choose a domain of action of the guide"),
            (
                {"domain_id": str(other_theme_domain.id)},
                None,
                "This domain of action belongs to another theme",
            ),
            ({"kind_ids": ["99999999"]}, None, "Choose kinds of organisation in the list."),
            ({"kind_ids": ["x"]}, None, "Choose kinds of organisation in the list."),
            (
                {"theme_line": str(self.other_theme_line.id)},
                None,
                "not those of one of your organisation",
            ),
            ({"theme_line": "99999999"}, None, "not those of one of your organisation"),
            ({"source_named": "maybe"}, None, "Tick or untick the box."),
            ({"state": "published"}, None, "not part of it"),
            ({"partner_id": str(self.other_org.id)}, None, "not part of it"),
            ({}, [("image", pdf_as_png)], "jardin.png is not a picture"),
            ({}, [("image", program)], "setup.exe is not a picture"),
            (
                {},
                [("image", ("abime.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"))],
                "could not be decoded",
            ),
            ({}, [("documents", program)], "setup.exe is not an accepted kind of document"),
            ({}, [("documents", program_as_pdf)], "plan.pdf is not an accepted kind of document"),
            ({}, [("documents", ("vide.pdf", b"", "application/pdf"))], "vide.pdf is empty."),
            ({}, [("documents", big)], "plan.pdf is larger than 1 MB."),
            (
                {},
                [("image", ("grand.png", picture() + b"0" * (1024 * 1024), "image/png"))],
                "grand.png is larger than 1 MB.",
            ),
            (
                {},
                [("documents", (f"p{i}.pdf", PDF, "application/pdf")) for i in range(11)],
                "At most 10 documents per sheet.",
            ),
        ]
        self._login()
        limit = 1024 * 1024
        with (
            patch.object(ess_practice_portal, "PRACTICE_MAX_SIZE", limit),
            patch.object(portal_library, "PRACTICE_MAX_SIZE", limit),
        ):
            for data, files, message in cases:
                with self.subTest(data=str(data)[:60], files=bool(files)):
                    before = self._snapshot()
                    self.assertRefused(self._propose(files=files, **data), message, before)

    def test_forged_theme_line_in_the_address(self):
        self._login()
        for theme_line in (str(self.other_theme_line.id), "99999999", "abc"):
            with self.subTest(theme_line=theme_line):
                response = self.url_open(f"/my/library/propose?theme_line={theme_line}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("not those of one of your organisation", response.text)
                self.assertNotIn("La bonne pratique de la voisine", response.text)

    def test_model_refuses_what_the_controller_would(self):
        Practice = self.env["ess.practice"]
        before = self._snapshot()
        with self.assertRaises(AccessError):
            Practice._portal_propose(
                self.user, {"name": "X", "description": "Y", "state": "published"}
            )
        with self.assertRaises(AccessError):
            self.other_proposal.sudo()._portal_propose(self.user, {"name": "Volée"})
        sheet, errors = Practice._portal_propose(
            self.user, {"name": "", "description": "<p>Texte</p>"}, {}
        )
        self.assertFalse(sheet)
        self.assertIn("name", errors)
        self.assertEqual(self._snapshot(), before)

    def test_rpc_writes_are_refused(self):
        self._login()
        self.assertRpcRefused(
            [
                ("ess.practice", "create", [{"name": "Par RPC", "state": "published"}]),
                ("ess.practice", "write", [self.returned.ids, {"state": "published"}]),
                ("ess.practice", "write", [self.junior.ids, {"name": "Détournée"}]),
                ("ess.practice", "action_propose", [self.returned.ids]),
                ("ess.practice", "_portal_propose", [[], self.user.id, {"name": "X"}]),
                ("ess.practice", "read", [self.other_proposal.ids, ["name"]]),
            ]
        )


@tagged("post_install", "-at_install")
class TestPracticePortalQueries(PracticePortalCase):
    """The library's page costs as many queries with 3N sheets as with N."""

    def _publish(self, count, start):
        self.env["ess.practice"].create(
            [
                {
                    "name": f"Fiche {start + index}",
                    "description": f"<p>Texte de la fiche {start + index}</p>",
                    "theme_id": (self.theme_1 if index % 2 else self.theme_2).id,
                    "domain_id": self.domain_1_1.id if index % 2 else False,
                    "kind_ids": [Command.set((self.kind_scop | self.kind_asso).ids)],
                    "state": "published",
                    "date_published": fields.Date.today(),
                }
                for index in range(count)
            ]
        )

    @warmup
    def test_library_page_queries_do_not_grow_with_sheets(self):
        self._publish(10, 0)
        self._login()
        self.url_open("/my")  # the first request of a session logs its device
        counts = {}
        urls = ("/my/library", "/my/library?search=fiche", "/my/library?tab=mine")
        for url in urls:
            self.url_open(url)  # templates compiled, caches warm
        for url in urls:
            counts[url] = self._page_queries(url, LIBRARY_PAGE_QUERIES)
        self._publish(20, 10)
        self.env["ess.practice"].create(
            [
                {"name": f"Proposition {i}", "partner_id": self.org.id, "state": "proposed"}
                for i in range(20)
            ]
        )
        for url, count in counts.items():
            with self.subTest(url=url):
                self.assertEqual(self._page_queries(url, LIBRARY_PAGE_QUERIES), count)


@tagged("post_install", "-at_install")
class TestLibraryPortalTour(PracticePortalCase):
    """A member searches the library, then proposes a good practice of its
    guide year, in a browser."""

    def test_member_searches_proposes_and_registers(self):
        club = self.env["ess.club"].create(
            {"name": "Club RSE Bibliothèque", "member_ids": [Command.set(self.org.ids)]}
        )
        meeting = self.env["ess.club.meeting"].create(
            {
                "name": "Rencontre entreprise à mission",
                "club_id": club.id,
                "start": fields.Datetime.now() + timedelta(days=20),
                "location": "Angers",
                "capacity": 10,
            }
        )
        self.start_tour("/my", "ess_library_tour", login=self.user.login)
        registration = meeting.registration_ids
        self.assertEqual(registration.person_id, self.user.partner_id)
        self.assertEqual(registration.state, "registered")
        sheet = self._own_sheets() - self.returned
        self.assertEqual(len(sheet), 1)
        self.assertEqual(sheet.name, "Un conseil d'administration junior")
        self.assertEqual(sheet.state, "proposed")
        self.assertEqual(sheet.guide_year_theme_id, self.theme_line)
        self.assertEqual(sheet.theme_id, self.theme_1)
        self.assertEqual(sheet.kind_ids, self.kind_scop)
        self.assertTrue(sheet.source_named)
        self.assertIn("Six salariés de moins de 30 ans", sheet.description)
