from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import EssNetworkCase


class PracticeCase(EssNetworkCase):
    """Sheets of the library written by the staff, and the guide's
    reference they speak of."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sheets shipped with the add-on (seed 004) and the demo's are
        # archived: these tests count, search and suggest among their own
        cls.env["ess.practice"].search([]).write({"active": False})
        cls.Practice = cls.env["ess.practice"]
        cls.domain_1_3 = cls.env.ref("ess_network.ess_guide_domain_1_3")
        cls.domain_3_2 = cls.env.ref("ess_network.ess_guide_domain_3_2")
        cls.domain_4_1 = cls.env.ref("ess_network.ess_guide_domain_4_1")
        cls.theme_6 = cls.env.ref("ess_network.ess_guide_theme_6")
        cls.theme_7 = cls.env.ref("ess_network.ess_guide_theme_7")
        cls.kind_scop = cls.env["ess.organisation.kind"].create({"name": "Scop (test)"})
        cls.keyword = cls.env["ess.keyword"].create({"name": "Biodiversité (test)"})

    @classmethod
    def _sheet(cls, name, text="<p>Une pratique.</p>", user=None, **vals):
        return (
            cls.env["ess.practice"]
            .with_user(user or cls.staff)
            .create({"name": name, "description": text, **vals})
        )


@tagged("post_install", "-at_install")
class TestPracticeModeration(PracticeCase):
    """Proposed by a member, published or returned with a comment by the
    staff (a staff user, not an administrator), e-mailed in French to the
    organisation; archived, never deleted."""

    def _member_sheet(self):
        """A sheet the member organisation wrote (as the portal does)."""
        practice = (
            self.env["ess.practice"]
            .with_user(self.portal_user)
            .sudo()
            .create(
                {
                    "name": "Se doter d'un CA junior",
                    "description": "<p>Des jeunes siègent au conseil.</p>",
                    "partner_id": self.org.id,
                    "domain_id": self.domain_1_3.id,
                }
            )
        )
        return practice.with_user(self.staff).sudo(False)

    def _mails_to(self, practice, partner):
        self.env.flush_all()
        return practice.sudo().message_ids.filtered(lambda m: partner in m.partner_ids)

    def _commit(self):
        """What the end of a request does: the tracking of the changes is
        written (a record's changes in the transaction that created it are
        not tracked)."""
        self.env.flush_all()
        self.env.cr.flush()

    def test_propose_publish_mails_the_organisation(self):
        practice = self._member_sheet()
        self.assertEqual(practice.state, "draft")
        self._commit()
        # the member proposes it (the portal calls it as the member, sudo)
        practice.with_user(self.portal_user).sudo().action_propose()
        self._commit()
        self.assertEqual(practice.state, "proposed")
        self.assertEqual(practice.proposed_by_id, self.portal_user)
        self.assertTrue(practice.date_proposed)
        self.assertIn(self.portal_user.partner_id, practice.sudo().message_partner_ids)
        # the moderator has an activity
        activity = practice.sudo().activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("ess_network.mail_activity_type_practice_moderation"),
        )
        self.assertFalse(activity.user_id.share)
        # the staff publish it
        practice.action_publish()
        self.assertEqual(practice.state, "published")
        self.assertEqual(practice.date_published, fields.Date.context_today(practice))
        self.assertFalse(practice.sudo().activity_ids)
        mails = self._mails_to(practice, self.portal_user.partner_id)
        self.assertEqual(len(mails), 1)
        self.assertIn("est publiée", mails.subject)
        self.assertIn("Merci d'avoir partagé", str(mails.body))
        # an internal message: other readers of the sheet never see it
        self.assertTrue(mails.is_internal)
        self.assertTrue(mails.subtype_id.internal)
        outgoing = self.env["mail.mail"].sudo().search([("mail_message_id", "=", mails.id)])
        self.assertTrue(outgoing)
        self.assertIn(self.portal_user.partner_id, outgoing.recipient_ids)
        # every transition said in the chatter, the state tracked
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        bodies = " ".join(str(m.body) for m in practice.sudo().message_ids)
        self.assertIn("Proposed by Marie Portal", bodies)
        self.assertIn("Published in the library by Claire Staff", bodies)
        tracked = practice.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(sorted(tracked.mapped("new_value_char")), ["Published", "Submitted"])

    def test_return_needs_a_comment_then_changes_resubmit(self):
        practice = self._member_sheet()
        practice.with_user(self.portal_user).sudo().action_propose()
        for empty in ("", "   ", "\u200b\u200b", False):
            with self.assertRaises(UserError):
                practice.action_return(empty)
        self.assertEqual(practice.state, "proposed")
        # through the wizard, as the staff do
        action = practice.action_open_return()
        self.assertEqual(action["res_model"], "ess.practice.return")
        wizard_form = Form(
            self.env["ess.practice.return"].with_user(self.staff).with_context(**action["context"])
        )
        wizard_form.comment = "Précisez le nombre de jeunes administrateurs."
        wizard_form.save().action_confirm()
        self.assertEqual(practice.state, "returned")
        self.assertEqual(practice.review_comment, "Précisez le nombre de jeunes administrateurs.")
        mails = self._mails_to(practice, self.portal_user.partner_id)
        self.assertEqual(len(mails), 1)
        self.assertIn("à revoir", mails.subject)
        self.assertIn("Précisez le nombre de jeunes administrateurs.", str(mails.body))
        # a returned sheet cannot be returned again, nor an empty comment go through
        with self.assertRaises(UserError):
            practice.action_return("Encore")
        # the member changes it: back to moderation, with a new activity
        practice.with_user(self.portal_user).sudo().write(
            {"description": "<p>Trois jeunes de moins de 30 ans siègent au conseil.</p>"}
        )
        self.assertEqual(practice.state, "proposed")
        self.assertTrue(practice.sudo().activity_ids)
        # returned again, then the staff take it over: back to draft
        practice.action_return("Ajoutez une photo.")
        practice.write({"name": "Se doter d'un conseil d'administration junior"})
        self.assertEqual(practice.state, "draft")

    def test_staff_write_publish_archive_never_delete(self):
        practice = self._sheet("Soutenir des filières locales", domain_id=self.domain_3_2.id)
        self.assertEqual(practice.user_id, self.staff)
        practice.action_publish()
        self.assertEqual(practice.state, "published")
        # nobody of the organisation to tell: no e-mail
        self.assertFalse(practice.sudo().message_ids.filtered("partner_ids"))
        with self.assertRaises(UserError):
            practice.action_publish()
        practice.action_archive()
        self.assertFalse(practice.active)
        with self.assertRaises(AccessError):
            practice.unlink()
        with self.assertRaises(UserError):
            practice.sudo().unlink()
        practice.action_unarchive()
        self.assertTrue(practice.active)
        practice.action_draft()
        self.assertEqual(practice.state, "draft")

    def test_publish_several_from_the_list(self):
        sheets = self._sheet("Première (test)") | self._sheet("Seconde (test)")
        self.env.ref("ess_network.ess_practice_action_publish_selected").with_user(
            self.staff
        ).with_context(active_model="ess.practice", active_ids=sheets.ids).run()
        self.assertEqual(set(sheets.mapped("state")), {"published"})

    def test_members_do_not_moderate(self):
        practice = self._member_sheet()
        practice.with_user(self.portal_user).sudo().action_propose()
        with self.assertRaises(AccessError):
            practice.with_user(self.portal_user).action_publish()
        with self.assertRaises(AccessError):
            practice.with_user(self.portal_user).action_return("Non")
        with self.assertRaises(AccessError):
            practice.with_user(self.portal_user).write({"state": "published"})
        self.assertEqual(practice.state, "proposed")

    def test_propose_needs_a_text(self):
        practice = self._sheet("Sans texte", text=False)
        with self.assertRaises(UserError):
            practice.action_propose()
        self.assertEqual(practice.state, "draft")
        practice.description = "<p>Un texte.</p>"
        practice.action_propose()
        self.assertEqual(practice.state, "proposed")
        self.assertEqual(practice.proposed_by_id, self.staff)
        # proposing twice does no harm (one activity); a published sheet is refused
        practice.action_propose()
        self.assertEqual(len(practice.activity_ids), 1)
        practice.action_publish()
        with self.assertRaises(UserError):
            practice.action_propose()


@tagged("post_install", "-at_install")
class TestPracticeSearch(PracticeCase):
    """Full-text search over titles, texts, keywords and kinds: every word
    required, each as a prefix, without case nor accents; hostile text never
    errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.equality = cls._sheet(
            "Signer un accord sur l'égalité professionnelle (test)",
            "<p>Un accord entre les <b>hommes</b> et les femmes, négocié avec les salariés.</p>",
            theme_id=cls.theme_6.id,
        )
        cls.juniors = cls._sheet(
            "Se doter d'un CA junior (test)",
            "<p>Favoriser la participation des jeunes aux instances.</p>",
            domain_id=cls.domain_1_3.id,
            kind_ids=[(6, 0, cls.kind_scop.ids)],
        )
        cls.nature = cls._sheet(
            "Mesurer l'impact des matières premières (test)",
            "<p>Un groupe de travail du club.</p>",
            theme_id=cls.theme_7.id,
            keyword_ids=[(6, 0, cls.keyword.ids)],
        )
        cls.mine = cls.equality | cls.juniors | cls.nature

    def _found(self, terms, **filters):
        Practice = self.env["ess.practice"].with_user(self.staff)
        return Practice.search(Practice._library_domain(terms=terms, **filters)) & self.mine

    def test_words_accents_case_prefix(self):
        self.assertEqual(self._found("égalité"), self.equality)
        self.assertEqual(self._found("EGALITE"), self.equality)
        self.assertEqual(self._found("egal profession"), self.equality)
        self.assertEqual(self._found("particip jeunes"), self.juniors)
        # the text of the Html, not its tags
        self.assertEqual(self._found("hommes femmes"), self.equality)
        self.assertFalse(self._found("<b>"))
        # every word is required
        self.assertFalse(self._found("égalité jeunes"))
        # keywords and kinds of organisation are searched too
        self.assertEqual(self._found("biodiversite"), self.nature)
        self.assertEqual(self._found("scop"), self.juniors)
        # an empty search finds all
        self.assertEqual(self._found(""), self.mine)
        self.assertEqual(self._found(None), self.mine)

    def test_filters_with_words(self):
        self.assertEqual(self._found("", theme=self.theme_6.id), self.equality)
        self.assertEqual(self._found("", domain=self.domain_1_3.id), self.juniors)
        self.assertEqual(self._found("", kind=self.kind_scop.id), self.juniors)
        self.assertEqual(self._found("", keyword=self.keyword.id), self.nature)
        self.assertFalse(self._found("égalité", theme=self.theme_7.id))
        # the theme of a domain is set from it
        self.assertEqual(self._found("", theme=self.domain_1_3.theme_id.id), self.juniors)

    def test_hostile_input(self):
        found = {
            "%": self.Practice,
            "_": self.Practice,
            "\\": self.Practice,
            "'": self.Practice,
            "''; DROP TABLE ess_practice; --": self.Practice,
            ":*": self.Practice,
            "&|!()": self.Practice,
            "égalité & !femmes": self.equality,
            "égalité | jeunes": self.Practice,
            "'égalité':* | 'x'": self.equality,
            "égal%": self.equality,
            "\x00égalité": self.equality,
            "\x00": self.Practice,
            "éga\u200blité": self.equality,
            # Cyrillic look-alike letters: "е" and "а"
            "\u0435g\u0430lit\u00e9": self.equality,
            "x" * 10000: self.Practice,
            "égalité " * 2000: self.equality,
            "\U0001f600 égalité": self.equality,
            "\ud800": self.Practice,
        }
        for terms, expected in found.items():
            with self.subTest(terms=terms[:30]):
                self.assertEqual(self._found(terms), expected)

    def test_back_end_words_filter(self):
        Practice = self.env["ess.practice"].with_user(self.staff)
        self.assertEqual(
            Practice.search([("search_terms", "ilike", "égal")]) & self.mine, self.equality
        )
        self.assertEqual(
            Practice.search([("search_terms", "not ilike", "égal")]) & self.mine,
            self.juniors | self.nature,
        )
        # the search view's "Words" field is there
        arch = Practice.get_view(view_type="search")["arch"]
        self.assertIn('name="search_terms"', arch)

    def test_index_follows_changes(self):
        self.juniors.description = "<p>Les coopérateurs élisent des administrateurs.</p>"
        self.assertEqual(self._found("cooperateurs"), self.juniors)
        self.assertFalse(self._found("particip jeunes"))
        self.keyword.name = "Forêts"
        self.assertEqual(self._found("forets"), self.nature)
        self.assertFalse(self._found("biodiversite"))
        # the GIN index exists
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ess_practice_search_vector_gin'"
        )
        self.assertIn("gin", self.env.cr.fetchone()[0])


@tagged("post_install", "-at_install")
class TestPracticeQueries(PracticeCase):
    """The library's search and the fields of its list: as many queries for
    N sheets as for 3N."""

    def _queries(self):
        Practice = self.env["ess.practice"].with_user(self.staff)
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        practices = Practice.search(
            Practice._library_domain(terms="pratique bonne", theme=self.theme_6.id), limit=80
        )
        practices.read(
            [
                "name",
                "theme_id",
                "domain_id",
                "kind_ids",
                "keyword_ids",
                "date_published",
                "source_name",
                "state",
                "image_128",
            ]
        )
        return self.env.cr.sql_log_count - start, len(practices)

    def _add(self, count):
        for number in range(count):
            self._sheet(
                f"Une bonne pratique {number}",
                "<p>Une bonne pratique du réseau.</p>",
                theme_id=self.theme_6.id,
                partner_id=self.org.id,
                source_named=bool(number % 2),
                kind_ids=[(6, 0, self.kind_scop.ids)],
                keyword_ids=[(6, 0, self.keyword.ids)],
            )

    def test_same_queries_for_n_and_3n_sheets(self):
        self._add(5)
        self._queries()  # warm the caches of the models and rules
        count_n, found_n = self._queries()
        self._add(10)
        count_3n, found_3n = self._queries()
        self.assertEqual((found_n, found_3n), (5, 15))
        self.assertEqual(count_n, count_3n)
        self.assertLessEqual(count_n, 12)

    def test_populate(self):
        practices = self.env["ess.practice"]._populate("small")
        self.assertEqual(len(practices), 100)
        self.assertEqual(set(practices.mapped("state")), {"published"})
        self.assertTrue(all(practices.mapped("search_document")))
