import html
import re

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import warmup

from ..controllers.portal_guide import guide_form_values
from .common import EssPortalCase

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THEME_FIELDS = ["decision", "reason", "good_practices", "progress_areas"]
LINE_FIELDS = [
    "retained",
    "reason",
    "baseline",
    "baseline_text",
    "objective_1y",
    "objective_1y_text",
    "objective_3y",
    "objective_3y_text",
    "value",
    "value_text",
    "has_value",
    "achievement_1y",
    "achievement_3y",
]


class GuidePortalCase(EssPortalCase):
    """Two member organisations, each with a portal user, a guide year on
    the shipped reference and an action."""

    org_name = "Scop Guide Portail"
    login_prefix = "guide"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.pilot = Partner.create({"name": "Paula Pilote", "parent_id": cls.org.id})
        Guide = cls.env["ess.guide.year"]
        cls.guide = Guide.create(
            {
                "partner_id": cls.org.id,
                "year": 2025,
                "state": "in_progress",
                "pilot_ids": [Command.set(cls.pilot.ids)],
            }
        )
        cls.other_guide = Guide.create(
            {"partner_id": cls.other_org.id, "year": 2025, "state": "in_progress"}
        )
        cls.theme_1 = cls.env.ref("ess_network.ess_guide_theme_1")
        cls.theme_8 = cls.env.ref("ess_network.ess_guide_theme_8")
        cls.question_text = cls.env.ref("ess_network.ess_guide_question_1_3_1")
        cls.question_number = cls.env.ref("ess_network.ess_guide_question_1_3_2")
        cls.theme_line_1 = cls._theme_line(cls.guide, cls.theme_1)
        cls.theme_line_8 = cls._theme_line(cls.guide, cls.theme_8)
        cls.line_text = cls._line(cls.guide, cls.question_text)
        cls.line_number = cls._line(cls.guide, cls.question_number)
        cls.other_line_number = cls._line(cls.other_guide, cls.question_number)
        cls.other_theme_line_8 = cls._theme_line(cls.other_guide, cls.theme_8)
        Action = cls.env["ess.action"]
        cls.action = Action.create(
            {
                "name": "Former les administrateurs",
                "partner_id": cls.org.id,
                "guide_year_id": cls.guide.id,
                "question_id": cls.question_number.id,
                "pilot_id": cls.pilot.id,
            }
        )
        cls.other_action = Action.create(
            {"name": "Action secrète de la voisine", "partner_id": cls.other_org.id}
        )

    @classmethod
    def _theme_line(cls, guide, theme):
        return guide.theme_line_ids.filtered(lambda t: t.theme_id == theme)

    @classmethod
    def _line(cls, guide, question):
        return guide.line_ids.filtered(lambda line: line.question_id == question)

    def _save(self, guide=None, **data):
        guide = guide or self.guide
        return self.url_open(
            f"/my/guide/{guide.id}/save", data={"csrf_token": self._csrf(), **data}
        )

    def _snapshot(self):
        """Everything a member could change, in both guides and actions."""
        self.env.invalidate_all()
        guides = self.guide | self.other_guide
        return (
            guides.theme_line_ids.read(THEME_FIELDS),
            guides.line_ids.read(LINE_FIELDS),
            (self.action | self.other_action).read(["progress", "state"]),
            len(guides.message_ids),
            len((self.action | self.other_action).message_ids),
        )


@tagged("post_install", "-at_install")
class TestGuidePortal(GuidePortalCase):
    # ------------------------------------------------------------------ reading
    def test_member_sees_its_guide(self):
        self._login()
        response = self.url_open("/my/guide")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/my/guide/{self.guide.id}"', response.text)
        self.assertNotIn(f'href="/my/guide/{self.other_guide.id}"', response.text)

        response = self.url_open(f"/my/guide/{self.guide.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Scop Guide Portail", page)
        self.assertIn("Paula Pilote", page)
        self.assertIn("Pourcentage d&#39;admin ayant reçu une formation", page)
        self.assertIn(f'name="line_{self.line_number.id}_baseline"', page)
        self.assertIn(f'name="theme_{self.theme_line_8.id}_decision"', page)
        self.assertIn(f'action="/my/guide/{self.guide.id}/save"', page)
        self.assertNotIn("Mutuelle Voisine Secrète", page)
        self.assertNotIn(f"line_{self.other_line_number.id}_", page)

    def test_portal_home_counts(self):
        self._login()
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["ess_guide_year_count", "ess_action_count"]}
        )
        self.assertEqual(counters, {"ess_guide_year_count": 1, "ess_action_count": 1})

    # ------------------------------------------------------------------- saving
    def test_save_valid_values(self):
        line_off = self.guide.line_ids.filtered(
            lambda line: line.theme_id == self.theme_1 and line != self.line_text
        )[-1]
        self._login()
        response = self._save(
            **{
                f"theme_{self.theme_line_8.id}_decision": "not_retained",
                f"theme_{self.theme_line_8.id}_reason": "Question non traitée car hors de notre "
                "activité cette année.",
                f"theme_{self.theme_line_1.id}_decision": "retained",
                f"theme_{self.theme_line_1.id}_good_practices": "Un conseil d'administration "
                "élu chaque année.",
                f"line_{self.line_number.id}_baseline": "12,5",
                f"line_{self.line_number.id}_objective_1y": "20",
                f"line_{self.line_number.id}_objective_3y": " 40.5 ",
                f"line_{self.line_number.id}_value": "15,25",
                f"line_{self.line_text.id}_baseline": "45 % des membres présents à l'AG",
                f"line_{self.line_text.id}_objective_1y": "Passer à 55 %",
                f"line_{self.line_text.id}_achievement_1y": "partly_met",
                f"line_{line_off.id}_retained": "0",
                f"line_{line_off.id}_reason": "Question non traitée car pas encore d'outil.",
            }
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"/my/guide/{self.guide.id}?saved=1"), response.url)
        self.assertIn("Your guide is saved.", response.text)

        self.env.invalidate_all()
        self.assertEqual(self.theme_line_8.decision, "not_retained")
        self.assertIn("hors de notre activité", self.theme_line_8.reason)
        self.assertEqual(self.theme_line_1.decision, "retained")
        self.assertEqual(
            self.theme_line_1.good_practices, "Un conseil d'administration élu chaque année."
        )
        number = self.line_number
        self.assertEqual(
            (number.baseline, number.objective_1y, number.objective_3y, number.value),
            (12.5, 20.0, 40.5, 15.25),
        )
        self.assertTrue(number.has_value)
        self.assertEqual(self.line_text.baseline_text, "45 % des membres présents à l'AG")
        self.assertEqual(self.line_text.objective_1y_text, "Passer à 55 %")
        self.assertEqual(self.line_text.achievement_1y, "partly_met")
        self.assertFalse(line_off.retained)
        self.assertEqual(line_off.reason, "Question non traitée car pas encore d'outil.")
        self.assertFalse(self.line_text.has_value)

        message = self.guide.message_ids[0]
        self.assertIn("Updated through the portal by Marie Membre", message.body)
        self.assertIn("Themes: 2", message.body)
        self.assertIn("Questions and indicators: 3", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        # the lines are written as the member, not as the superuser
        self.assertEqual(number.write_uid, self.user)

    def test_saving_the_page_unchanged_writes_nothing(self):
        self._login()
        form = guide_form_values(self.guide)
        self.assertEqual(form[f"line_{self.line_number.id}_retained"], "1")
        self.assertEqual(
            len(form), 4 * len(self.guide.theme_line_ids) + 8 * len(self.guide.line_ids)
        )
        before = self._snapshot()
        response = self._save(**form)
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.assertEqual(self._snapshot(), before)

    def test_invalid_posts_write_nothing(self):
        self._login()
        number, text = self.line_number.id, self.line_text.id
        # a valid value rides along with each wrong one: it is not saved either
        valid = {f"line_{number}_objective_1y": "30"}
        cases = [
            ({f"line_{number}_baseline": "douze"}, "Enter a number"),
            ({f"line_{number}_value": "12 %"}, "Enter a number"),
            ({f"line_{number}_value": "nan"}, "Enter a number"),
            ({f"line_{number}_baseline": "1e400"}, "Enter a number"),
            (
                {
                    f"theme_{self.theme_line_8.id}_decision": "not_retained",
                    f"theme_{self.theme_line_8.id}_reason": "   ",
                },
                "Say why this theme is not retained.",
            ),
            (
                {f"line_{text}_retained": "0", f"line_{text}_reason": ""},
                "Say why this question is not treated.",
            ),
            ({f"theme_{self.theme_line_8.id}_decision": "maybe"}, "Choose a decision in the list."),
            ({f"line_{number}_achievement_1y": "met"}, "not part of this guide"),
            ({f"line_{text}_achievement_3y": "perfect"}, "Choose a value in the list."),
            ({f"line_{text}_baseline": "x" * 2001}, "At most 2000 characters."),
            ({f"line_{number}_retained": "yes please"}, "Tick or untick the box."),
            # forged ids: a line and a theme of the other organisation's guide
            ({f"line_{self.other_line_number.id}_baseline": "99"}, "not part of this guide"),
            (
                {f"theme_{self.other_theme_line_8.id}_decision": "retained"},
                "not part of this guide",
            ),
            ({f"line_{number}_write_uid": "1"}, "not part of this guide"),
        ]
        for data, message in cases:
            with self.subTest(data=str(data)[:80]):
                before = self._snapshot()
                self.assertRefused(self._save(**valid, **data), message, before)

    def _open_page(self, user):
        """What ``user``'s browser holds after opening the guide page: the
        form's values and the hidden fingerprints of what it showed."""
        self._login(user)
        page = self.url_open(f"/my/guide/{self.guide.id}").text
        origin = re.search(r'name="ess_form_origin" value="([^"]+)"', page).group(1)
        return {**guide_form_values(self.guide), "ess_form_origin": html.unescape(origin)}

    def _save_page(self, user, page, **changes):
        self._login(user)
        return self._save(**{**page, **changes})

    def test_saving_a_stale_page_keeps_the_other_users_changes(self):
        """Two users of the organisation open the guide; A changes a
        baseline and saves; B changes an objective and saves the page
        opened before A's save: A's baseline stays."""
        colleague = self._member("guide_member_2", "Bruno Collègue", self.org)
        number = self.line_number.id
        page_a, page_b = self._open_page(self.user), self._open_page(colleague)
        response = self._save_page(self.user, page_a, **{f"line_{number}_baseline": "12"})
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        response = self._save_page(colleague, page_b, **{f"line_{number}_objective_1y": "30"})
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual((self.line_number.baseline, self.line_number.objective_1y), (12.0, 30.0))
        self.assertEqual(self.line_number.write_uid, colleague)

    def test_same_value_changed_by_two_users_is_refused(self):
        """A real conflict (both changed the same value) is refused with a
        message asking to reload; nothing of the stale page is written."""
        colleague = self._member("guide_member_3", "Chloé Collègue", self.org)
        number, text = self.line_number.id, self.line_text.id
        page_a, page_b = self._open_page(self.user), self._open_page(colleague)
        self._save_page(self.user, page_a, **{f"line_{number}_objective_3y": "40"})
        before = self._snapshot()
        response = self._save_page(
            colleague,
            page_b,
            **{
                f"line_{number}_objective_3y": "50",
                f"line_{text}_baseline": "Ne doit pas être enregistré",
            },
        )
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        self.assertIn("reload the page", response.text)
        self.assertIn("it is now: “40”", response.text)
        self.assertEqual(self.line_number.objective_3y, 40.0)
        # reloaded, the page shows the other user's value and saves
        page_b = self._open_page(colleague)
        response = self._save_page(colleague, page_b, **{f"line_{number}_objective_3y": "50"})
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual(self.line_number.objective_3y, 50.0)

    def test_a_conflict_on_a_choice_names_the_other_users_choice(self):
        """The value somebody else chose is told by its label, never by the
        form's internal key; an emptied value is not quoted."""
        colleague = self._member("guide_member_6", "Fanny Collègue", self.org)
        theme, text = self.theme_line_8.id, self.line_text.id
        self.line_text.baseline_text = "45 % des membres présents"
        page_a, page_b = self._open_page(self.user), self._open_page(colleague)
        self._save_page(
            self.user,
            page_a,
            **{
                f"theme_{theme}_decision": "retained",
                f"line_{text}_achievement_1y": "met",
                f"line_{text}_baseline": "",
            },
        )
        before = self._snapshot()
        response = self._save_page(
            colleague,
            page_b,
            **{
                f"theme_{theme}_decision": "not_retained",
                f"theme_{theme}_reason": "Hors champ.",
                f"line_{text}_achievement_1y": "not_met",
                f"line_{text}_baseline": "50 % des membres présents",
            },
        )
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        self.assertIn("it is now: “Retained”", response.text)
        self.assertIn("it is now: “Met”", response.text)
        self.assertNotIn("“retained”", response.text)
        self.assertNotIn("“met”", response.text)
        self.assertIn("Somebody else changed this value since you opened the page.", response.text)

    def test_refused_post_keeps_the_values(self):
        self._login()
        response = self._save(
            **{
                f"line_{self.line_text.id}_baseline": "Texte gardé après l'erreur",
                f"line_{self.line_number.id}_objective_3y": "abc",
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Texte gardé après l&#39;erreur", response.text)
        self.assertIn("is-invalid", response.text)

    def test_closed_year_is_read_only(self):
        self.guide.state = "closed"
        self.env.flush_all()
        self._login()
        response = self.url_open(f"/my/guide/{self.guide.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("This guide is closed", response.text)
        self.assertNotIn("/save", response.text)
        self.assertNotIn(f'name="line_{self.line_number.id}_baseline"', response.text)
        before = self._snapshot()
        response = self.url_open(
            f"/my/guide/{self.guide.id}/save",
            data={
                "csrf_token": self._csrf(),
                f"line_{self.line_number.id}_baseline": "10",
            },
        )
        self.assertRefused(response, "This guide is closed", before)

    # ------------------------------------------------- other organisation's data
    def test_other_guide_by_url_is_refused(self):
        self._login()
        for url in (
            f"/my/guide/{self.other_guide.id}",
            f"/my/guide/{self.other_guide.id}/xlsx",
            "/my/guide/99999999",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertTrue(response.url.endswith("/my"), response.url)
                self.assertNotIn("Mutuelle Voisine Secrète", response.text)
                self.assertNotEqual(response.headers.get("Content-Type"), XLSX_MIMETYPE)

    def test_other_guide_by_post_is_refused(self):
        self._login()
        before = self._snapshot()
        response = self._save(
            guide=self.other_guide,
            **{
                f"line_{self.other_line_number.id}_baseline": "99",
                f"theme_{self.other_theme_line_8.id}_decision": "retained",
            },
        )
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertEqual(self._snapshot(), before)

    def test_model_checks_the_organisation_again(self):
        """Even a caller that skipped the access check cannot save another
        organisation's guide through the portal methods."""
        with self.assertRaises(AccessError):
            self.other_guide.sudo()._portal_save(
                {self.other_line_number: {"baseline": 5.0}}, self.user
            )
        with self.assertRaises(AccessError):
            # nor a line of another guide through its own guide
            self.guide.sudo()._portal_save({self.other_line_number: {"baseline": 5.0}}, self.user)
        with self.assertRaises(AccessError):
            self.other_action.sudo()._portal_update_progress(
                {"progress": 50, "state": "in_progress"}, False, self.user
            )
        self.assertEqual(self.other_line_number.baseline, 0.0)
        self.assertEqual(self.other_action.progress, 0)

    def test_rpc_cannot_read_others_nor_write(self):
        self._login()
        lines = self._call_kw(
            "ess.guide.year.line", "search_read", [[]], {"fields": ["year_id"], "limit": 500}
        )
        self.assertEqual({line["year_id"][0] for line in lines}, {self.guide.id})
        forbidden = [
            ("ess.guide.year", "read", [[self.other_guide.id], ["name"]]),
            ("ess.guide.year.line", "read", [[self.other_line_number.id], ["baseline"]]),
            ("ess.guide.year.theme", "read", [[self.other_theme_line_8.id], ["reason"]]),
            ("ess.action", "read", [[self.other_action.id], ["name"]]),
            ("ess.guide.year", "write", [[self.guide.id], {"year": 2030}]),
            ("ess.guide.year.line", "write", [[self.line_number.id], {"baseline": 7}]),
            ("ess.guide.year.theme", "write", [[self.theme_line_8.id], {"decision": "retained"}]),
            ("ess.action", "write", [[self.action.id], {"progress": 40}]),
            (
                "ess.guide.year",
                "_portal_save",
                [[self.guide.id], {f"line_{self.line_number.id}_baseline": "7"}, self.user.id],
            ),
        ]
        self.assertRpcRefused(forbidden)

    # -------------------------------------------------------------------- chatter
    def test_member_posts_in_the_guide_chatter(self):
        self._login()
        page = self.url_open(f"/my/guide/{self.guide.id}").text
        self.assertIn('id="discussion"', page)
        # reading the guide is enough to post: no access token is needed
        self.assertFalse(self.guide.access_token)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "ess.guide.year",
                "thread_id": self.guide.id,
                "post_data": {"body": "Question pour le réseau", "message_type": "comment"},
            },
        )
        self.env.invalidate_all()
        message = self.guide.message_ids[0]
        self.assertIn("Question pour le réseau", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)

    # --------------------------------------------------------------------- xlsx
    def test_download_own_guide_as_xlsx(self):
        self._login()
        response = self.url_open(f"/my/guide/{self.guide.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"PK"))

    # ------------------------------------------------------------------ actions
    def test_actions_list_shows_own_actions_only(self):
        self._login()
        response = self.url_open("/my/actions")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Former les administrateurs", response.text)
        self.assertIn("Paula Pilote", response.text)
        self.assertNotIn("Action secrète de la voisine", response.text)
        self.action.state = "done"
        self.env.flush_all()
        self.assertNotIn("Former les administrateurs", self.url_open("/my/actions").text)
        response = self.url_open("/my/actions?filterby=all&sortby=name")
        self.assertIn("Former les administrateurs", response.text)

    def _progress(self, action, **data):
        return self.url_open(
            f"/my/actions/{action.id}/progress", data={"csrf_token": self._csrf(), **data}
        )

    def test_update_own_action_progress(self):
        self._login()
        response = self.url_open(f"/my/actions/{self.action.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Former les administrateurs", response.text)
        response = self._progress(
            self.action, progress="60", state="in_progress", comment="Première session faite."
        )
        self.assertTrue(response.url.endswith(f"/my/actions/{self.action.id}?saved=1"))
        self.assertIn("Progress updated.", response.text)
        self.env.invalidate_all()
        self.assertEqual((self.action.progress, self.action.state), (60, "in_progress"))
        comment = self.action.message_ids.filtered(lambda m: "Première session" in m.body)
        self.assertEqual(comment.author_id, self.user.partner_id)
        # 100 % is done
        self._progress(self.action, progress="100", state="in_progress")
        self.env.invalidate_all()
        self.assertEqual(self.action.state, "done")

    def _open_action(self, user):
        """What ``user``'s browser holds after opening the action's page."""
        self._login(user)
        page = self.url_open(f"/my/actions/{self.action.id}").text
        origin = re.search(r'name="ess_form_origin" value="([^"]+)"', page).group(1)
        return {
            "progress": str(self.action.progress),
            "state": self.action.state,
            "comment": "",
            "ess_form_origin": html.unescape(origin),
        }

    def _post_action(self, user, page, **changes):
        self._login(user)
        return self._progress(self.action, **{**page, **changes})

    def test_stale_action_page_keeps_the_other_users_progress(self):
        """A updates the progress; B, on the page opened before, only writes
        a comment: A's progress and status stay, B's comment is posted."""
        colleague = self._member("guide_member_4", "Denis Collègue", self.org)
        page_a, page_b = self._open_action(self.user), self._open_action(colleague)
        response = self._post_action(self.user, page_a, progress="60")
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        response = self._post_action(colleague, page_b, comment="Le prestataire est choisi.")
        self.assertTrue(response.url.endswith("?saved=1"), response.url)
        self.env.invalidate_all()
        self.assertEqual((self.action.progress, self.action.state), (60, "in_progress"))
        comment = self.action.message_ids.filtered(lambda m: "prestataire" in m.body)
        self.assertEqual(comment.author_id, colleague.partner_id)

    def test_action_progress_changed_by_two_users_is_refused(self):
        colleague = self._member("guide_member_5", "Eva Collègue", self.org)
        page_a, page_b = self._open_action(self.user), self._open_action(colleague)
        self._post_action(self.user, page_a, progress="60")
        before = self._snapshot()
        response = self._post_action(
            colleague, page_b, progress="30", comment="Ne doit pas être publié."
        )
        self.assertRefused(response, "Somebody else saved this page after you opened it", before)
        self.assertIn("it is now: “60”", response.text)
        self.assertFalse(self.action.message_ids.filtered(lambda m: "publié" in m.body))

    def test_action_progress_refused(self):
        self._login()
        before = self._snapshot()
        for data, message in [
            ({"progress": "150", "state": "in_progress"}, "whole number from 0 to 100"),
            ({"progress": "-1", "state": "in_progress"}, "whole number from 0 to 100"),
            ({"progress": "dix", "state": "in_progress"}, "whole number from 0 to 100"),
            ({"progress": "10", "state": "forgotten"}, "Choose a status in the list."),
            (
                {"progress": "10", "state": "todo", "comment": "x" * 2001},
                "At most 2000 characters.",
            ),
        ]:
            with self.subTest(data=str(data)[:60]):
                response = self._progress(self.action, **data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertEqual(self._snapshot(), before)
        response = self._progress(self.other_action, progress="50", state="in_progress")
        self.assertTrue(response.url.endswith("/my"), response.url)
        response = self.url_open(f"/my/actions/{self.other_action.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Action secrète", response.text)
        self.assertEqual(self._snapshot(), before)

    def test_anonymous_is_sent_to_login(self):
        for url in (f"/my/guide/{self.guide.id}", f"/my/actions/{self.action.id}"):
            self.assertIn("/web/login", self.url_open(url).url)

    # -------------------------------------------------------------- performance
    def _count_page_queries(self, guide):
        return self._page_queries(f"/my/guide/{guide.id}", GUIDE_PAGE_QUERIES)

    @warmup
    def test_guide_page_queries_do_not_grow_with_questions(self):
        self._login()
        self.url_open("/my")  # the first request of a session logs its device
        count = self._count_page_queries(self.guide)

        # thirty more questions in the reference, and a new guide with them
        domain = self.env["ess.guide.domain"].create(
            {"theme_id": self.theme_1.id, "code": "1.99", "name": "Domaine de test"}
        )
        self.env["ess.guide.question"].create(
            [
                {
                    "domain_id": domain.id,
                    "code": f"1.99.{index}",
                    "name": f"Indicateur de test {index}",
                    "kind": "quantitative" if index % 2 else "qualitative",
                    "unit": "%" if index % 2 else False,
                }
                for index in range(30)
            ]
        )
        bigger = self.env["ess.guide.year"].create(
            {
                "partner_id": self.org.id,
                "year": 2026,
                "state": "in_progress",
                "pilot_ids": [Command.set(self.pilot.ids)],
            }
        )
        self.assertEqual(len(bigger.line_ids), len(self.guide.line_ids) + 30)
        bigger_count = self._count_page_queries(bigger)
        if self.warm:  # the first run only warms the caches up
            self.assertEqual(bigger_count, count)


# SQL queries of a whole request to a guide page, as a member, caches warm:
# the same for 68 and for 98 questions (4 of them for the twelve steps and
# the presentations: the steps, their reference, the minutes' attachment).
GUIDE_PAGE_QUERIES = 23
