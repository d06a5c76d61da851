import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from markupsafe import escape

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import warmup

from ..models.ess_guide_year_publication import PUBLIC_PATH
from .test_guide_portal import GuidePortalCase

SCRIPT = "<script>alert('x')</script>"
ZERO_WIDTH = "\u200b"
CSRF_RE = re.compile(r'csrf_token: "[0-9a-f]+o[0-9]+"')


def comparable(page, *urls):
    """A page's text without its CSRF token nor the ``urls`` it quotes
    (its language selector links to the page itself)."""
    page = CSRF_RE.sub("", page)
    for url in (*urls, "/engagements-nothing-here"):
        page = page.replace(url, "")
    return page


# what none of the public page and the synthesis show
BUDGET = 98765
COMMENT = "Note interne du réseau"


class GuidePublicationCase(GuidePortalCase):
    """The guide portal's fixture, its guide filled in: theme 1 retained
    with good practices, progress areas and objectives (and a line's
    internal comment), theme 8 not retained with its reason; the action
    has a budget; a working group person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.theme_line_1.write(
            {
                "decision": "retained",
                "good_practices": f"Conseil d'administration élu {SCRIPT}",
                "progress_areas": f"Former{ZERO_WIDTH} les élus",
            }
        )
        cls.theme_line_8.write(
            {"decision": "not_retained", "reason": "Thème non traité car déjà couvert ailleurs."}
        )
        cls.line_number.write(
            {"baseline": 12.5, "objective_1y": 20, "objective_3y": 40, "comment": COMMENT}
        )
        cls.line_text.write({"objective_3y_text": "Doubler la participation à l'AG"})
        cls.action.budget = BUDGET
        cls.staff = new_test_user(
            cls.env, "publication_staff", groups="ess_network.group_ess_user", name="Sam Staff"
        )
        cls.guide.working_group_ids = cls.env["res.partner"].create(
            {"name": "Walter Groupe", "parent_id": cls.org.id}
        )

    def _publish_values(self, **values):
        return {"opt_in": "1", "published": "1", "names": "0", **values}

    def _publish(self, guide=None, **values):
        guide = guide or self.guide
        return self._post(f"/my/guide/{guide.id}/publication", **self._publish_values(**values))

    def _public_path(self, guide=None):
        guide = guide or self.guide
        return PUBLIC_PATH + guide.public_token

    def _snapshot(self):
        self.env.invalidate_all()
        guides = self.guide | self.other_guide
        return (
            guides.read(["public_published", "public_token", "public_published_uid"]),
            (self.org | self.other_org).read(["ess_public_opt_in", "ess_public_names"]),
            len(guides.message_ids),
        )


@tagged("post_install", "-at_install")
class TestGuidePublication(GuidePublicationCase):
    # --------------------------------------------------------------- publishing
    def test_member_publishes_then_unpublishes(self):
        self._login()
        page = self.url_open(f"/my/guide/{self.guide.id}").text
        self.assertIn(f'action="/my/guide/{self.guide.id}/publication"', page)
        self.assertIn("Not published", page)

        response = self._publish()
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(self.org.ess_public_opt_in)
        self.assertTrue(self.guide.public_published)
        self.assertEqual(self.guide.public_published_uid, self.user)
        self.assertRegex(self.guide.public_token, r"^[A-Za-z0-9_-]{32}$")
        self.assertEqual(
            self.guide.public_url, self.guide.get_base_url() + PUBLIC_PATH + self.guide.public_token
        )
        # the page now shows the address, its QR code and the synthesis
        self.assertIn("The publication is saved.", response.text)
        self.assertIn(self.guide.public_url, response.text)
        self.assertIn('src="data:image/png;base64,', response.text)
        self.assertIn(f"/my/guide/{self.guide.id}/public-synthesis", response.text)

        # tracked in the chatter: who and what
        self.env.flush_all()
        message = self.guide.message_ids.filtered(
            lambda m: m.tracking_value_ids.field_id.name == "public_published"
        )[:1]
        self.assertTrue(message)
        self.assertEqual(message.author_id, self.user.partner_id)
        self.assertIn("Publication changed through the portal by Marie Membre", message.body)
        self.assertIn("agrees to a public page", message.body)
        self.assertEqual(self.url_open(self._public_path()).status_code, 200)

        token = self.guide.public_token
        self._publish(published="0")
        self.env.invalidate_all()
        self.assertFalse(self.guide.public_published)
        self.assertEqual(
            self.guide.public_token, token, "the address stays for a later publication"
        )
        self.assertEqual(self.url_open(PUBLIC_PATH + token).status_code, 404)

    def test_publishing_needs_the_organisation_consent(self):
        self._login()
        before = self._snapshot()
        response = self._publish(opt_in="0")
        self.assertRefused(response, "agrees to a public page", before)
        # a checkbox with anything but 0/1, a NUL byte
        self.assertRefused(self._publish(published="1\x00"), "Nothing was saved.", before)
        self.assertRefused(self._publish(other="1"), "not part of this guide", before)

    def test_a_closed_year_is_published(self):
        self.guide.theme_line_ids.filtered(lambda t: t.decision == "pending").write(
            {"decision": "not_retained", "reason": "Pas cette année."}
        )
        self.guide.action_close()
        self._login()
        self._publish()
        self.assertTrue(self.guide.public_published)
        self.assertEqual(self.url_open(self._public_path()).status_code, 200)

    # -------------------------------------------------------------- public page
    def test_public_page_shows_the_commitments_only(self):
        self._login()
        self._publish()
        self.authenticate(None, None)
        response = self.url_open(self._public_path())
        self.assertEqual(response.status_code, 200)
        page = response.text
        for text in (
            "Scop Guide Portail",
            self.theme_1.name,
            self.theme_8.name,
            "Thème non traité car déjà couvert ailleurs.",
            "Doubler la participation à l&#39;AG",
            str(escape(self.question_number.name)),
            "Conseil d&#39;administration élu",
        ):
            self.assertIn(text, page)
        # what the organisation typed is escaped
        self.assertNotIn(SCRIPT, page)
        self.assertIn("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", page)
        # nothing internal: budgets, actions, pilots (not chosen), working
        # group, comments, the other organisation
        for text in (
            str(BUDGET),
            "98 765",
            "98,765",
            self.action.name,
            "Paula Pilote",
            "Walter Groupe",
            COMMENT,
            "Mutuelle Voisine Secrète",
            f"/my/guide/{self.guide.id}",
        ):
            self.assertNotIn(text, page)
        self.assertEqual(response.headers.get("X-Robots-Tag"), "noindex, nofollow")

        # the pilots, when the organisation chooses to name them
        self.authenticate(self.user.login, self.user.login)
        self._publish(names="1")
        self.authenticate(None, None)
        self.assertIn("Paula Pilote", self.url_open(self._public_path()).text)

    def test_public_page_404_reveals_nothing(self):
        self._login()
        self._publish()
        path = self._public_path()
        self.authenticate(None, None)
        unknown = self.url_open("/engagements-nothing-here")
        self.assertEqual(unknown.status_code, 404)

        def assert_not_found(url, why):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, why)
            self.assertNotIn("Scop Guide Portail", response.text, why)
            self.assertEqual(comparable(response.text, url), comparable(unknown.text), why)

        token = self.guide.public_token
        assert_not_found(PUBLIC_PATH + token[:-1] + ("A" if token[-1] != "A" else "B"), "wrong")
        assert_not_found(PUBLIC_PATH + "x", "too short")
        assert_not_found(PUBLIC_PATH + str(self.guide.id), "an id")
        self.guide.public_published = False
        assert_not_found(path, "unpublished")
        self.guide.public_published = True
        self.org.ess_public_opt_in = False
        assert_not_found(path, "not opted in")
        self.org.ess_public_opt_in = True
        self.org.active = False
        assert_not_found(path, "organisation archived")
        self.org.active = True
        self.assertEqual(self.url_open(path).status_code, 200)
        # a new address from the staff: the former one is gone
        self.guide.with_user(self.staff).action_public_new_token()
        assert_not_found(path, "former address")
        self.assertEqual(self.url_open(self._public_path()).status_code, 200)

    @warmup
    def test_public_page_queries_do_not_grow_with_questions(self):
        self._login()
        self._publish()
        self.authenticate(None, None)
        path = self._public_path()
        self.url_open(path)
        count = self._page_queries(path, PUBLIC_PAGE_QUERIES)
        # every theme retained: all the questions of the reference
        self.guide.theme_line_ids.write({"decision": "retained", "reason": False})
        self.assertGreater(len(self.guide.line_ids.filtered("in_scope")), 60)
        bigger = self._page_queries(path, PUBLIC_PAGE_QUERIES)
        if self.warm:
            self.assertEqual(bigger, count)

    # -------------------------------------------------------- another member
    def test_another_member_can_do_nothing(self):
        self._login()
        self._publish()
        self._login(self.other_user)
        before = self._snapshot()
        # URL: the guide page, the synthesis, the publication form
        for url in (
            f"/my/guide/{self.guide.id}",
            f"/my/guide/{self.guide.id}/public-synthesis",
        ):
            response = self.url_open(url)
            self.assertNotIn("Scop Guide Portail", response.text)
            self.assertFalse(response.url.endswith(url))
        response = self._publish(published="0", opt_in="0")
        self.assertNotIn("Scop Guide Portail", response.text)
        self.assertEqual(self._snapshot(), before)
        # RPC
        self.assertRpcRefused(
            [
                ("ess.guide.year", "write", [[self.guide.id], {"public_published": False}]),
                ("ess.guide.year", "action_public_unpublish", [[self.guide.id]]),
                ("ess.guide.year", "action_public_new_token", [[self.guide.id]]),
                ("ess.guide.year", "_portal_publication", [[self.guide.id], {}]),
                ("res.partner", "write", [[self.org.id], {"ess_public_opt_in": False}]),
                ("ess.guide.year", "read", [[self.guide.id], ["public_token"]]),
            ]
        )
        # nor its own members through RPC: the portal form only
        self._login()
        self.assertRpcRefused(
            [
                ("ess.guide.year", "action_public_unpublish", [[self.guide.id]]),
                ("ess.guide.year", "write", [[self.guide.id], {"public_published": False}]),
            ]
        )

    # -------------------------------------------------------------- back end
    def test_staff_publish_and_unpublish(self):
        guide = self.guide.with_user(self.staff).with_context(
            tracking_disable=False, mail_notrack=False
        )
        with self.assertRaisesRegex(UserError, "has not agreed to a public page"):
            guide.action_public_publish()
        guide.public_opt_in = True
        guide.action_public_publish()
        self.env.cr.flush()  # the tracking of each change is written at commit
        self.assertTrue(guide.public_published and guide.public_visible)
        self.assertEqual(guide.public_published_uid, self.staff)
        token = guide.public_token
        guide.action_public_new_token()
        self.assertNotEqual(guide.public_token, token)
        guide.action_public_unpublish()
        self.assertFalse(guide.public_visible)
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        tracked = guide.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "public_published"
        )
        self.assertEqual(len(tracked), 2)
        with self.assertRaisesRegex(UserError, "not published"):
            self.env["ir.actions.report"]._render_qweb_html(
                "ess_network.ess_guide_year_public_report", guide.ids
            )

    def test_demo_commitments_are_public(self):
        """The demo's Terres de Loire agreed and its guide of the year is
        published: its public page opens, with its themes."""
        guide = self.env.ref("ess_network.ess_guide_year_terres_de_loire", raise_if_not_found=False)
        if not guide:  # a database without the demo data has nothing to show here
            self.assertFalse(self.env.ref("ess_network.partner_terres_de_loire", False))
            return
        self.assertTrue(guide.public_visible)
        response = self.url_open(PUBLIC_PATH + guide.public_token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Coopérative Terres de Loire", response.text)
        self.assertIn(guide.theme_line_ids[:1].theme_id.name, response.text)


@tagged("post_install", "-at_install")
class TestPublicSynthesisPdf(GuidePublicationCase):
    """The public synthesis, rendered to a real PDF by wkhtmltopdf and read
    back: its text with pdftotext, its QR code with zbarimg."""

    def _run(self, *command):
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def test_synthesis_pdf_and_its_qr_code(self):
        for tool in ("pdftotext", "pdfimages", "zbarimg"):
            self.assertTrue(shutil.which(tool), f"{tool} is needed (./dev setup installs it)")
        self._login()
        self._publish()
        response = self.url_open(f"/my/guide/{self.guide.id}/public-synthesis")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(
            "Public%20synthesis%202025%20-%20Scop%20Guide%20Portail.pdf",
            response.headers.get("Content-Disposition", ""),
        )
        # the PDF itself (in test mode, a report renders as HTML unless forced)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("ess_network.ess_guide_year_public_report", self.guide.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "synthesis.pdf"
            path.write_bytes(pdf)
            text = self._run("pdftotext", "-layout", str(path), "-")
            pages = int(re.search(r"Pages:\s+(\d+)", self._run("pdfinfo", str(path))).group(1))
            self._run("pdfimages", "-png", str(path), str(Path(tmp) / "img"))
            images = sorted(Path(tmp).glob("img-*.png"))
            decoded = {
                subprocess.run(
                    ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True
                ).stdout.strip()
                for image in images
            }
            shots = Path("/work/notes/shots11")
            if shots.is_dir() and shutil.which("pdftoppm"):
                self._run("pdftoppm", "-png", "-r", "60", str(path), str(shots / "public-pdf"))
        text = " ".join(text.split())
        for expected in (
            "Scop Guide Portail",
            self.theme_1.name[:40],
            "Thème non traité car déjà couvert ailleurs.",
            "Doubler la participation",
            "Conseil d'administration élu",
        ):
            self.assertIn(expected, text)
        for absent in (str(BUDGET), "98 765", self.action.name, "Paula Pilote", COMMENT):
            self.assertNotIn(absent, text)
        self.assertLessEqual(pages, 2)
        self.assertIn(self.guide.public_url, decoded)

    def test_synthesis_only_when_published(self):
        self._login()
        response = self.url_open(f"/my/guide/{self.guide.id}/public-synthesis")
        self.assertNotIn("public-synthesis", response.url)
        self.assertIn("can only be downloaded once the commitments are published", response.text)


# SQL queries of a request to a public page, caches warm: the same for 11
# and for 68 questions (the guide, its themes, lines, questions, domains; the
# layout).
PUBLIC_PAGE_QUERIES = 15


@tagged("post_install", "-at_install")
class TestGuidePublicationTour(GuidePublicationCase):
    """A member publishes its commitments, then opens their public page, in
    a browser."""

    def test_member_publishes_and_opens_the_public_page(self):
        self.start_tour("/my", "ess_guide_publication_tour", login=self.user.login)
        self.env.invalidate_all()
        self.assertTrue(self.guide.public_published and self.guide.public_visible)
        self.assertTrue(self.org.ess_public_opt_in)
        self.assertFalse(self.org.ess_public_names)
