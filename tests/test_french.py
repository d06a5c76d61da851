"""What a French user reads, everywhere: the errors of the models and
wizards, the wizards, the views, the chatter and activities, the portal
pages, the reports and the demo. A translation catalogue that merely has a
French entry for every term cannot see English that reaches a French user
anyway: an untranslated entry, text stored at install time in English, a
string built in the wrong language. These tests act as French users and fail
on any English they read."""

import base64
import html
import io
import os
import re
from datetime import datetime, timedelta

import openpyxl
import polib
from lxml import etree
from lxml import html as lxml_html

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval, time

from ..controllers.portal_guide import guide_form_values

# Frequent English words that are not French words: a French text has none
# of them (checked against the whole French catalogue of the add-on).
# Left out on purpose, being French words too: a, an, as, but, do, file, in,
# long, no, on, or, set, so, stage.
ENGLISH_WORDS = frozenset(
    """
    about above after all already also and any are at be been before below between both by
    can cannot could created does done each either every first for from has have he her here
    his how if into is it its just least many may missing more most must need needs new next
    none nor not now of one only other our out please request required same say she should
    since some step steps still such than that the their them then there these they this
    those through to too two under until up updated was we were what when where which while
    who why will with without would year years yes yet you your
    """.split()
)
WORD = re.compile(r"[^\W\d_]+")
# Not prose: web and e-mail addresses, placeholders, dotted names of
# expressions (object.partner_id.name), inline templates.
NOT_PROSE = re.compile(
    r"https?://\S+|[\w.+-]+@[\w.-]+|%\(\w+\)[sd]|\{\{.*?\}\}|\b\w+(?:\.\w+)+\b",
    re.DOTALL,
)
# English a French user reads that the add-on cannot change, with the reason.
# (Names of people, organisations and products hold no English word of the
# list: none needed here.)
ALLOWED_ENGLISH = {
    "Logo of": "Odoo's portal layout (web.frontend_layout) builds the alt text of the "
    "company logo in a QWeb expression, which Odoo does not translate",
}
# Attributes of views and pages whose text a user reads.
READ_ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm", "alt", "aria-label")

FRENCH = {"lang": "fr_FR", "tz": "Europe/Paris"}


def english_words(text):
    """The English words of ``text``, a plain text (not markup)."""
    text = NOT_PROSE.sub(" ", text or "")
    for allowed in ALLOWED_ENGLISH:
        text = text.replace(allowed, " ")
    return [word for word in WORD.findall(text) if word.lower() in ENGLISH_WORDS]


def markup_texts(markup, attributes=READ_ATTRIBUTES):
    """The texts a reader sees in HTML or a view's arch: text nodes and the
    attributes read, without scripts, styles and QWeb expressions."""
    if not markup or not str(markup).strip():
        return []
    markup = str(markup)
    try:
        root = etree.fromstring(markup.encode()) if markup.lstrip().startswith("<") else None
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        root = lxml_html.fromstring(f"<div>{markup}</div>")
    texts = []
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript"):
            continue
        texts += [node.text, node.tail]
        texts += [value for name, value in node.attrib.items() if name in attributes]
    for node in root.iter("script", "style", "noscript"):
        texts.append(node.tail)
    return [text.strip() for text in texts if text and text.strip()]


class FrenchReaderMixin:
    """French active with the add-on's French terms; a French reader's
    assertion that collects every English text it read."""

    @classmethod
    def _setup_french(cls):
        lang = cls.env.ref("base.lang_fr")
        if not lang.active:
            # a database without the demo: French as Settings > Languages adds it
            lang.active = True
            cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
                ["fr_FR"]
            )
        cls.env["ir.module.module"].search([("name", "=", "ess_network")])._update_translations(
            ["fr_FR"]
        )

    def setUp(self):
        super().setUp()
        self._english = []

    def read_french(self, where, *texts):
        """Read ``texts`` (plain texts) found at ``where``; English is kept
        for :meth:`assertReadFrench`."""
        for text in texts:
            if isinstance(text, list | tuple):
                self.read_french(where, *text)
            elif text and english_words(str(text)):
                self._english.append(f"{where}: {' '.join(str(text).split())[:300]}")

    def read_french_markup(self, where, markup, attributes=READ_ATTRIBUTES):
        self.read_french(where, markup_texts(markup, attributes))

    def assertReadFrench(self):
        english, self._english = sorted(set(self._english)), []
        if english:
            self.fail(
                "{} English text(s) read by a French user:\n{}".format(
                    len(english), "\n".join(english)
                )
            )

    def read_chatter(self, records):
        """The messages, tracked changes and activities of ``records``, as
        their French reader sees them."""
        for record in records:
            where = f"{record._name} {record.display_name}"
            for message in record.message_ids:
                self.read_french(f"{where}, message subject", message.subject)
                self.read_french_markup(f"{where}, message", message.body)
                for tracked in message.sudo().tracking_value_ids._tracking_value_format():
                    self.read_french(
                        f"{where}, tracked change",
                        tracked["changedField"],
                        str(tracked["oldValue"].get("value") or ""),
                        str(tracked["newValue"].get("value") or ""),
                    )
            for activity in record.activity_ids if "activity_ids" in record else ():
                self.read_french(
                    f"{where}, activity",
                    activity.summary,
                    activity.activity_type_id.name,
                )
                self.read_french_markup(f"{where}, activity note", activity.note)


@tagged("post_install", "-at_install")
class TestFrenchCatalogue(FrenchReaderMixin, TransactionCase):
    """What every French user reads from the add-on's catalogue and data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_french()

    def test_english_detector(self):
        self.assertEqual(
            english_words("Say why the question “Vote” is not treated."),
            ["Say", "why", "the", "is", "not"],
        )
        self.assertFalse(
            english_words(
                "Indiquez pourquoi la question « Vote » n'est pas traitée, par exemple "
                "« Question non traitée car… » ; voir https://www.the-site.example/is/the "
                "ou écrire à the.network@example.org, pour %(the_year)s."
            )
        )

    def test_every_french_entry_is_french(self):
        """An entry copied from English (msgstr = msgid) counts as translated
        for the catalogue, not for its reader."""
        po_path = os.path.join(get_module_path("ess_network"), "i18n", "fr.po")
        for entry in polib.pofile(po_path):
            if entry.obsolete or not entry.msgstr:
                continue
            where = f"fr.po, {entry.occurrences[0][0] if entry.occurrences else entry.msgid}"
            if "<" in entry.msgstr:
                self.read_french_markup(where, entry.msgstr)
            else:
                self.read_french(where, entry.msgstr)
        self.assertReadFrench()

    def test_records_of_the_add_on_read_in_french(self):
        """Menus, actions, groups, activity types, mail templates, reference
        data, demo records…: every translated text of every record the
        add-on ships, read in French."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "ess_network"),
                ("model", "not in", ("ir.model", "ir.model.fields", "ir.model.fields.selection")),
            ]
        )
        by_model = {}
        for item in data:
            by_model.setdefault(item.model, []).append(item.res_id)
        for model, ids in by_model.items():
            records = self.env[model].with_context(**FRENCH, active_test=False).browse(ids)
            records = records.exists()
            translated = [
                name
                for name, field in records._fields.items()
                if field.translate and field.store and name != "arch_db"
            ]
            for record in records:
                for name in translated:
                    value = record[name]
                    where = f"{model} {record.display_name}, {name}"
                    if records._fields[name].type == "html" or (
                        isinstance(value, str) and value.lstrip().startswith("<")
                    ):
                        self.read_french_markup(where, value)
                    else:
                        self.read_french(where, value)
                if model == "ir.ui.view":
                    self.read_french_markup(f"view {record.key or record.name}", record.arch_db)
        self.assertReadFrench()

    def test_fields_read_in_french(self):
        """Labels, help texts and choices of every field of the add-on's
        models."""
        models = self.env["ir.model"].search([("model", "=like", "ess.%")])
        models |= self.env["ir.model"]._get("res.partner")
        for model in models.mapped("model"):
            own = [
                name
                for name, field in self.env[model]._fields.items()
                if field._module == "ess_network"
            ]
            described = (
                self.env[model]
                .with_context(**FRENCH)
                .fields_get(own, ["string", "help", "selection"])
            )
            for name, description in described.items():
                self.read_french(
                    f"{model}.{name}",
                    description.get("string"),
                    description.get("help"),
                    [label for _key, label in description.get("selection") or []],
                )
        self.assertReadFrench()


@tagged("post_install", "-at_install")
class TestFrenchStaff(FrenchReaderMixin, TransactionCase):
    """Network staff who read French: the errors the models and wizards
    raise, the wizards they open, the chatter and activities of the records
    they work on, the reports they print."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_french()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        groups = "base.group_user,ess_network.group_ess_user"
        cls.staff = new_test_user(
            cls.env, "ess_fr_staff", groups=groups, name="Claire Dubois", lang="fr_FR"
        )
        cls.colleague = new_test_user(
            cls.env, "ess_fr_colleague", groups=groups, name="Julien Roux", lang="fr_FR"
        )
        cls.fr = cls.env(user=cls.staff, context=dict(cls.env.context, **FRENCH))
        cls.area = cls.env["ess.employment.area"].create({"name": "Angers (fr)", "code": "F5203"})
        Partner = cls.env["res.partner"]
        cls.org = Partner.create(
            {
                "name": "Association Les Ateliers Solidaires",
                "is_company": True,
                "lang": "fr_FR",
                "email": "contact@ateliers-solidaires.example",
                "ess_organization_kind": "association",
                "ess_employment_area_id": cls.area.id,
            }
        )
        cls.contact = Partner.create(
            {
                "name": "Louise Garnier",
                "parent_id": cls.org.id,
                "email": "louise@ateliers-solidaires.example",
            }
        )
        cls.peer = Partner.create({"name": "Scop Pair", "is_company": True, "lang": "fr_FR"})
        cls.peer_person = Partner.create({"name": "Paul Pair", "parent_id": cls.peer.id})

    # ------------------------------------------------------------------ helpers
    def _error(self, where, call, *args, **kwargs):
        """Read the message of the error ``call`` raises."""
        with self.assertRaises(UserError, msg=where) as raised:
            with self.env.cr.savepoint():
                call(*args, **kwargs)
        self.read_french(where, str(raised.exception.args[0]))
        return raised.exception

    def _membership(self, user=None):
        with Form(self.fr["ess.membership"].with_user(user or self.staff)) as form:
            form.partner_id = self.org
            form.contact_id = self.contact
            form.motivation = "Structurer notre démarche RSE"
        return form.record

    def _guide(self):
        guide = self.fr["ess.guide.year"].create({"partner_id": self.org.id, "year": 2025})
        guide.action_start()
        return guide

    # -------------------------------------------------------------------- tests
    def test_errors_are_french(self):
        membership = self._membership()
        self._error("skip a step", membership.write, {"state": "meeting"})
        self._error("refuse without reason", membership.write, {"state": "refused"})
        self._error("withdraw by hand", membership.write, {"state": "withdrawn"})
        self._error("decide too early", membership.action_open_decide)
        self._error("delete a file", membership.sudo().with_context(**FRENCH).unlink)
        self._error(
            "second open file", self.fr["ess.membership"].create, {"partner_id": self.org.id}
        )
        membership.action_presentation_done()
        self._error("go back", membership.write, {"state": "request"})
        decide = self.fr["ess.membership.decide"].create(
            {"membership_id": membership.id, "decision": "refuse", "deciding_body": "council"}
        )
        self._error("refusal without reason", decide.action_confirm)
        self._error("member too early", membership.action_confirm_member)
        self._error(
            "meeting before the request",
            membership.write,
            {"decision_date": membership.request_date - timedelta(days=3)},
        )

        guide = self._guide()
        line = guide.line_ids[:1]
        theme_line = guide.theme_line_ids[:1]
        error = self._error(
            "question not treated", line.write, {"retained": False, "reason": False}
        )
        self.assertIn("n'est pas traitée", str(error))
        error = self._error(
            "theme not retained", theme_line.write, {"decision": "not_retained", "reason": False}
        )
        self.assertIn("n'est pas retenu", str(error))
        self._error("guide started twice", guide.action_start)
        self._error("guide reopened by staff", guide.action_reopen)
        self._error("closing with themes to decide", guide.action_close)
        Action = self.fr["ess.action"]
        for values in (
            {"budget": -5},
            {"progress": 150},
            {"date_start": "2025-06-01", "date_deadline": "2025-01-01"},
            {"pilot_id": self.peer_person.id},
        ):
            self._error(
                f"action {values}",
                Action.create,
                {"name": "Former les bénévoles", "partner_id": self.org.id, **values},
            )

        Stakeholder = self.fr["ess.stakeholder"]
        self._error(
            "stakeholder scale",
            Stakeholder.create,
            {"name": "Mairie", "partner_id": self.org.id, "influence": 9, "scope": "external"},
        )

        assessment = self.fr["ess.assessment"].create({"partner_id": self.org.id, "year": 2025})
        self._error(
            "second self-assessment",
            self.fr["ess.assessment"].create,
            {"partner_id": self.org.id, "year": 2025},
        )
        self._error("delete an answer", assessment.answer_ids[:1].unlink)
        self._error("empty grid completed", assessment.action_done)

        evaluation = self.fr["ess.evaluation"].create(
            {"partner_id": self.org.id, "evaluator_partner_id": self.peer.id, "year": 2025}
        )
        self._error("visit without date", evaluation.action_schedule_visit)
        self._error("complete too early", evaluation.action_complete)

        Import = self.fr["ess.guide.year.import"]
        self._error("import without file", Import.new({"guide_year_id": guide.id}).action_import)
        wizard = Import.create(
            {
                "guide_year_id": guide.id,
                "file": base64.b64encode(b"not a spreadsheet"),
                "filename": "guide.xlsx",
            }
        )
        self._error("import of a wrong file", wizard.action_import)
        self.assertReadFrench()

    def test_wizards_open_in_french(self):
        membership = self._membership()
        membership.action_presentation_done()
        guide = self._guide()

        def open_wizard(action):
            # as the web client does: the action's context over the user's
            return Form(self.fr[action["res_model"]].with_context(**action["context"]))

        forms = {
            "decide": open_wizard(membership.action_open_decide()),
            "import": Form(
                self.fr["ess.guide.year.import"].with_context(default_guide_year_id=guide.id)
            ),
        }
        self.staff.groups_id |= self.env.ref("ess_network.group_ess_manager")
        forms["withdraw"] = open_wizard(membership.action_open_withdraw())
        for name, form in forms.items():
            self.read_french_markup(f"wizard {name}", etree.tostring(form._view["tree"]))
            for field, info in form._view["fields"].items():
                self.read_french(f"wizard {name}, {field}", info.get("string"), info.get("help"))
                self.read_french(
                    f"wizard {name}, {field}",
                    [label for _key, label in info.get("selection") or []],
                )
        self.assertReadFrench()

    def test_chatter_and_activities_are_french(self):
        """The life of an organisation's records, by French staff: every
        message, tracked change and activity they read is French."""
        membership = self._membership()
        membership.user_id = self.colleague  # the colleague is told, in French
        membership.action_presentation_done()
        decide = Form(
            self.fr["ess.membership.decide"].with_context(default_membership_id=membership.id)
        )
        decide.decision = "accept"
        decide.deciding_body = "council"
        decide.save().action_confirm()
        membership.action_schedule_meeting()
        start = fields.Datetime.now() - timedelta(days=2)
        membership.meeting_event_id.write({"start": start, "stop": start + timedelta(hours=2)})
        membership.action_meeting_held()
        pdf = base64.b64encode(b"%PDF-1.4\n%%EOF\n")
        today = fields.Date.context_today(membership)
        membership.write(
            {
                "convention_date": today,
                "convention_file": pdf,
                "convention_filename": "convention.pdf",
                "charter_date": today,
                "charter_file": pdf,
                "charter_filename": "charte.pdf",
            }
        )
        membership.action_confirm_member()
        membership.appropriation_item_ids[:2].write({"done": True})
        membership.appropriation_item_ids[:1].write({"done": False})

        guide = self._guide()
        guide.step_ids[:2].write({"done": True})
        guide.theme_line_ids[:1].write({"decision": "not_retained", "reason": "Pas cette année"})
        action = self.fr["ess.action"].create(
            {
                "name": "Former les administrateurs",
                "partner_id": self.org.id,
                "guide_year_id": guide.id,
                "user_id": self.colleague.id,
                "date_deadline": today + timedelta(days=5),
            }
        )
        action.write({"state": "in_progress", "progress": 40})
        # the deadline reminder, as the scheduled action runs it (no language)
        self.env["ess.action"].with_context(lang=None)._cron_remind_deadlines()

        stakeholder = self.fr["ess.stakeholder"].create(
            {"name": "Mairie d'Angers", "partner_id": self.org.id, "scope": "external"}
        )
        stakeholder.write({"influence": 5, "category": "local_authorities"})
        assessment = self.fr["ess.assessment"].create({"partner_id": self.org.id, "year": 2025})
        level = self.env.ref("ess_network.ess_maturity_level_2")
        assessment.answer_ids[:3].write({"level_id": level.id})
        assessment.action_done()
        evaluation = self.fr["ess.evaluation"].create(
            {
                "partner_id": self.org.id,
                "evaluator_partner_id": self.peer.id,
                "evaluator_ids": [Command.set(self.peer_person.ids)],
                "year": 2025,
                "date_visit": datetime(2025, 3, 10, 8, 0),
            }
        )
        evaluation.action_schedule_visit()
        evaluation.action_start()
        evaluation.assessment_id.answer_ids[:2].write({"level_id": level.id})
        point = self.fr["ess.evaluation.point"].create(
            {"evaluation_id": evaluation.id, "name": "Associer les salariés à la stratégie"}
        )
        point.action_create_action()
        evaluation.action_complete()

        records = (
            membership,
            guide,
            action,
            stakeholder,
            assessment,
            evaluation,
            point.action_id,
            self.env["ess.action"].search([("partner_id", "=", self.org.id)]),
        )
        for record in records:
            self.read_chatter(record.with_env(self.fr).sudo())
        # the colleague's notifications: French, naming the organisation
        notices = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.colleague.partner_id.ids),
                ("model", "in", ("ess.membership", "ess.action")),
            ]
        )
        self.assertTrue(notices, "the colleague was told of the file and the action")
        for notice in notices:
            self.read_french("notification subject", notice.subject)
            self.read_french_markup("notification", notice.body)
        membership_notices = notices.filtered(lambda m: m.model == "ess.membership")
        self.assertTrue(membership_notices)
        for notice in membership_notices:
            self.assertIn("Association Les Ateliers Solidaires", notice.body)
        self.assertReadFrench()

    def test_reports_are_french(self):
        assessment = self.fr["ess.assessment"].create({"partner_id": self.org.id, "year": 2025})
        level = self.env.ref("ess_network.ess_maturity_level_3")
        assessment.answer_ids[:4].write({"level_id": level.id})
        evaluation = self.fr["ess.evaluation"].create(
            {
                "partner_id": self.org.id,
                "evaluator_partner_id": self.peer.id,
                "evaluator_ids": [Command.set(self.peer_person.ids)],
                "year": 2025,
                "date_visit": datetime(2025, 3, 10, 8, 0),
                "summary": "<p>Un projet social solide.</p>",
            }
        )
        evaluation.action_schedule_visit()
        evaluation.action_start()
        evaluation.assessment_id.answer_ids[:4].write({"level_id": level.id})
        self.fr["ess.evaluation.point"].create(
            [
                {"evaluation_id": evaluation.id, "kind": "strong", "name": "Accueil"},
                {"evaluation_id": evaluation.id, "name": "Mesurer l'énergie"},
            ]
        )
        evaluation.action_complete()
        Report = self.fr["ir.actions.report"]
        report = self.env.ref("ess_network.ess_evaluation_report").with_env(self.fr)
        page, _kind = Report._render_qweb_html(report.report_name, evaluation.ids)
        self.read_french_markup("evaluation report", page.decode())
        self.read_french(
            "evaluation report file name",
            safe_eval(report.print_report_name, {"object": evaluation, "time": time}),
        )
        guide = self._guide()
        ag_report = self.env.ref("ess_network.ess_guide_year_ag_report").with_env(self.fr)
        page, _kind = Report._render_qweb_html(ag_report.report_name, guide.ids)
        self.read_french_markup("general assembly report", page.decode())
        self.read_french(
            "general assembly report file name",
            safe_eval(ag_report.print_report_name, {"object": guide, "time": time}),
        )
        content, _kind = Report._render_xlsx("ess_network.guide_year_xlsx", guide.ids, None)
        book = openpyxl.load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            self.read_french("spreadsheet sheet", sheet.title)
            for row in sheet.iter_rows(values_only=True):
                self.read_french(
                    f"spreadsheet {sheet.title}", [cell for cell in row if isinstance(cell, str)]
                )
        self.assertReadFrench()

    def test_public_synthesis_is_french(self):
        guide = self._guide()
        self.org.ess_public_opt_in = True
        guide.write(guide._public_values(True, self.env.user))
        report = self.env.ref("ess_network.ess_guide_year_public_report").with_env(self.fr)
        page, _kind = self.fr["ir.actions.report"]._render_qweb_html(report.report_name, guide.ids)
        self.read_french_markup("public synthesis", page.decode())
        self.read_french(
            "public synthesis file name",
            safe_eval(report.print_report_name, {"object": guide, "time": time}),
        )
        guide.action_public_unpublish()
        self._error("public synthesis not published", guide._public_check_printable)
        self.assertReadFrench()

    def test_demo_network_is_french(self):
        """The demo (./dev test and ./dev run load it): a French network,
        whose records and messages read French. Nothing to read in a
        database without the demo."""
        if not self.env.ref("ess_network.membership_terres_de_loire", raise_if_not_found=False):
            return
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id, self.env.ref("base.fr"))
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(company.partner_id.lang, "fr_FR")
        self.assertRegex(company.zip, r"^(44|49|53|72|85)\d{3}$", "in Pays de la Loire")
        self.assertTrue(company.phone.startswith("+33 "))
        self.assertNotIn("YourCompany", company.name)
        self.read_french("company", company.name, company.report_header)
        odoo_logo = base64.b64encode(
            open(
                os.path.join(get_module_path("base"), "static/img/res_company_logo.png"), "rb"
            ).read()
        )
        self.assertNotEqual(company.logo, odoo_logo)
        memberships = self.env["ess.membership"].with_context(active_test=False).search([])
        admin = self.env.ref("base.user_admin")
        staff = self.env.ref("ess_network.user_network_staff") | self.env.ref(
            "ess_network.user_sponsorship_manager"
        )
        self.assertLessEqual(memberships.user_id, staff, "staff follow the demo files")
        self.assertNotIn(admin, memberships.decided_by_id)
        self.assertNotIn(admin.partner_id, memberships.meeting_event_id.partner_ids)
        organisations = memberships.partner_id
        self.assertEqual(set((organisations | organisations.child_ids).mapped("lang")), {"fr_FR"})
        for model in (
            "ess.membership",
            "ess.guide.year",
            "ess.action",
            "ess.assessment",
            "ess.stakeholder",
            "ess.evaluation",
        ):
            records = self.env[model].with_context(active_test=False, **FRENCH).search([])
            self.read_chatter(records.sudo())
        self.assertReadFrench()


@tagged("post_install", "-at_install")
class TestFrenchPortal(FrenchReaderMixin, HttpCase):
    """A member organisation's French user on the portal, and a French
    visitor of the public form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_french()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.staff = new_test_user(
            cls.env,
            "ess_fr_portal_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Dubois",
            lang="fr_FR",
        )
        staff_env = cls.env(user=cls.staff, context=dict(cls.env.context, **FRENCH))
        Partner = cls.env["res.partner"]
        cls.area = cls.env["ess.employment.area"].create({"name": "Laval (fr)", "code": "F5311"})
        cls.org = Partner.create(
            {"name": "Coopérative du Bocage", "is_company": True, "lang": "fr_FR"}
        )
        cls.peer = Partner.create({"name": "Mutuelle Paire", "is_company": True, "lang": "fr_FR"})
        cls.peer_person = Partner.create({"name": "Pierre Pair", "parent_id": cls.peer.id})
        cls.user = new_test_user(
            cls.env, "ess_fr_member", groups="base.group_portal", name="Lucie Membre", lang="fr_FR"
        )
        cls.user.partner_id.parent_id = cls.org
        cls.membership = staff_env["ess.membership"].create(
            {"partner_id": cls.org.id, "contact_id": cls.user.partner_id.id}
        )
        cls.guide = staff_env["ess.guide.year"].create({"partner_id": cls.org.id, "year": 2025})
        cls.guide.action_start()
        cls.action = staff_env["ess.action"].create(
            {
                "name": "Former les bénévoles",
                "partner_id": cls.org.id,
                "guide_year_id": cls.guide.id,
            }
        )
        cls.assessment = staff_env["ess.assessment"].create(
            {"partner_id": cls.org.id, "year": 2025}
        )
        cls.stakeholder = staff_env["ess.stakeholder"].create(
            {"name": "Conseil départemental", "partner_id": cls.org.id, "scope": "external"}
        )
        cls.evaluator_user = new_test_user(
            cls.env, "ess_fr_evaluator", groups="base.group_portal", name="Éric Pair", lang="fr_FR"
        )
        cls.evaluator_user.partner_id.parent_id = cls.peer
        cls.evaluation = staff_env["ess.evaluation"].create(
            {
                "partner_id": cls.org.id,
                "evaluator_partner_id": cls.peer.id,
                "evaluator_ids": [
                    Command.set((cls.peer_person | cls.evaluator_user.partner_id).ids)
                ],
                "year": 2025,
            }
        )
        cls.practice = staff_env["ess.practice"].create(
            {
                "name": "Se doter d'un CA junior",
                "description": "<p>Des jeunes salariés siègent dans un conseil miroir.</p>",
                "state": "published",
            }
        )
        cls.proposal = staff_env["ess.practice"].create(
            {
                "name": "Associer les salariés aux décisions",
                "description": "<p>Un comité de salariés.</p>",
                "partner_id": cls.org.id,
                "state": "returned",
                "review_comment": "Précisez combien de salariés y participent.",
            }
        )

    def _page(self, url, **kwargs):
        return self.url_open(url, headers={"Accept-Language": "fr-FR,fr;q=0.9"}, **kwargs)

    def read_page(self, url, response=None):
        if response is None:
            response = self._page(url)
        self.assertLess(response.status_code, 500, url)
        page = lxml_html.fromstring(response.content)
        for node in page.iter("script", "style", "noscript", "template"):
            node.drop_tree()
        body = page.xpath("//body") or [page]
        self.read_french_markup(url, lxml_html.tostring(body[0], encoding="unicode"))
        return response

    def test_portal_pages_are_french(self):
        self.authenticate(self.user.login, self.user.login)
        for url in (
            "/my",
            "/my/membership",
            f"/my/membership/{self.membership.id}",
            "/my/guide",
            f"/my/guide/{self.guide.id}",
            "/my/actions",
            f"/my/actions/{self.action.id}",
            "/my/actions/new",
            "/my/actions?filterby=archived",
            "/my/assessments",
            f"/my/assessments/{self.assessment.id}",
            "/my/stakeholders",
            f"/my/stakeholders/{self.stakeholder.id}",
            "/my/evaluations",
            f"/my/evaluations/{self.evaluation.id}",
            "/my/sponsorships",
            "/my/sponsorships/request",
            "/my/library",
            "/my/library?tab=mine",
            f"/my/library/{self.practice.id}",
            f"/my/library/{self.proposal.id}",
            "/my/library/propose",
            f"/my/library/{self.proposal.id}/edit",
        ):
            self.read_page(url)
        # the evaluation's page as its evaluator fills it in
        self.authenticate(self.evaluator_user.login, self.evaluator_user.login)
        self.read_page(f"/my/evaluations/{self.evaluation.id}")
        self.assertReadFrench()

    def test_club_pages_are_french(self):
        """The clubs, a meeting (to come, held, refused registration) and the
        working groups, as a French member reads them."""
        now = fields.Datetime.now()
        club = self.env["ess.club"].create(
            {
                "name": "Club RSE du Bocage",
                "description": "<p>Partager nos pratiques.</p>",
                "rules": "<p>Trois rencontres par an.</p>",
                "partner_ids": [Command.set(self.peer.ids)],
                "member_ids": [Command.set((self.org | self.peer).ids)],
            }
        )
        Meeting = self.env["ess.club.meeting"]
        planned = Meeting.create(
            {
                "name": "Indicateurs de gouvernance",
                "club_id": club.id,
                "host_partner_id": self.peer.id,
                "start": now + timedelta(days=10),
                "location": "Laval",
                "capacity": 3,
            }
        )
        attachment = self.env["ir.attachment"].create(
            {"name": "compte-rendu.pdf", "raw": b"%PDF-1.4 compte rendu"}
        )
        held = Meeting.create(
            {
                "name": "Capital humain",
                "club_id": club.id,
                "start": now - timedelta(days=30),
                "state": "held",
                "minutes": "<p>Compte rendu.</p>",
                "attachment_ids": [Command.set(attachment.ids)],
            }
        )
        group = self.env["ess.club.group"].create(
            {
                "name": "Impact biodiversité",
                "club_id": club.id,
                "participant_ids": [Command.set(self.user.partner_id.ids)],
            }
        )
        self.env["ess.club.deliverable"].create(
            {"name": "Guide des matières premières", "group_id": group.id, "state": "todo"}
        )
        self.authenticate(self.user.login, self.user.login)
        for url in (
            "/my/clubs",
            f"/my/clubs/{club.id}",
            f"/my/clubs/meeting/{planned.id}",
            f"/my/clubs/meeting/{held.id}",
            "/my/groups",
            f"/my/groups/{group.id}",
        ):
            self.read_page(url)
        # registered, then refused: a past meeting, a person of another organisation
        page = self._page(f"/my/clubs/meeting/{planned.id}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.read_page(
            "register",
            self.url_open(
                f"/my/clubs/meeting/{planned.id}/register",
                data={"csrf_token": token},
                headers={"Accept-Language": "fr-FR"},
            ),
        )
        for meeting, data in (
            (held, {}),
            (planned, {"person_id": str(self.peer_person.id)}),
        ):
            response = self.url_open(
                f"/my/clubs/meeting/{meeting.id}/register",
                data={"csrf_token": token, **data},
                headers={"Accept-Language": "fr-FR"},
            )
            self.assertEqual(response.status_code, 400)
            self.read_page(f"/my/clubs/meeting/{meeting.id}/register", response)
        self.assertReadFrench()

    def test_public_commitments_page_is_french(self):
        """The public page of the commitments, as a French visitor reads it."""
        self.org.ess_public_opt_in = True
        self.guide.write(self.guide._public_values(True, self.user))
        self.read_page(f"/engagements/{self.guide.public_token}")
        self.assertReadFrench()

    def test_login_page_and_a_non_member_home_are_french(self):
        # a visitor: the login page, with its link to the adhesion form
        self.assertIn('href="/adhesion"', self.read_page("/web/login").text)
        # a person whose organisation is not a member yet: invited to join
        outsider = new_test_user(
            self.env, "ess_fr_outsider", groups="base.group_portal", name="Olga Ext", lang="fr_FR"
        )
        outsider.partner_id.parent_id = self.env["res.partner"].create(
            {"name": "Scop Pas Encore Membre", "is_company": True, "lang": "fr_FR"}
        )
        self.authenticate(outsider.login, outsider.login)
        self.assertIn('href="/adhesion"', self.read_page("/my").text)
        self.assertReadFrench()

    def test_portal_scripts_are_french(self):
        """The texts of the scripts of the portal pages (Odoo's chatter, the
        add-on's own) come translated: the chatter of an empty record says
        "La conversation est vide." to a French member."""
        self.authenticate(self.user.login, self.user.login)
        response = self._page("/website/translations/test?lang=fr_FR")
        self.assertEqual(response.status_code, 200)
        modules = response.json()["modules"]
        self.assertIn("ess_network", modules)
        mail = {m["id"]: m["string"] for m in modules["mail"]["messages"]}
        self.assertEqual(mail["The conversation is empty."], "La conversation est vide.")

    def test_portal_form_errors_are_french(self):
        self.authenticate(self.user.login, self.user.login)
        page = self._page(f"/my/guide/{self.guide.id}").text
        origin = re.search(r'name="ess_form_origin" value="([^"]+)"', page).group(1)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        line = self.guide.line_ids[:1]
        values = {
            **guide_form_values(self.guide),
            "ess_form_origin": html.unescape(origin),
            "csrf_token": token,
            f"line_{line.id}_retained": "0",
            f"line_{line.id}_reason": "",
        }
        response = self.read_page(
            f"/my/guide/{self.guide.id}/save",
            self.url_open(
                f"/my/guide/{self.guide.id}/save",
                data=values,
                headers={"Accept-Language": "fr-FR"},
            ),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("pas traitée", response.text)
        self.assertReadFrench()

    def test_guide_year_forms_errors_are_french(self):
        """The steps and presentations form refused (a date in the future),
        the spreadsheet import refused (not a workbook): French pages."""
        self.authenticate(self.user.login, self.user.login)
        url = f"/my/guide/{self.guide.id}"
        page = self._page(url).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        posts = [
            (f"{url}/implementation", {"general_assembly_date": "2999-01-01"}, None),
            (f"{url}/import", {}, {"file": ("guide.xlsx", b"\x00pas un classeur", "text/plain")}),
        ]
        for post_url, data, files in posts:
            response = self.read_page(
                post_url,
                self.url_open(
                    post_url,
                    data={"csrf_token": token, **data},
                    files=files,
                    headers={"Accept-Language": "fr-FR"},
                ),
            )
            self.assertEqual(response.status_code, 400)
        self.assertReadFrench()

    def test_public_form_is_french_and_so_is_what_staff_are_told(self):
        self.env.company.ess_request_user_id = self.staff
        # a visitor whose browser speaks French (no session yet: its language
        # is the browser's)
        page = self.read_page("/adhesion")
        industry = self.env.ref("base.res_partner_industry_Q")
        post = {
            "name": "Association La Fabrique Solidaire",
            "kind": "association",
            "industry_id": str(industry.id),
            "employment_area_id": str(self.area.id),
            "size": "10_49",
            "city": "Laval",
            "zip": "53000",
            "contact_name": "Jeanne Dupont",
            "email": "jeanne@fabrique-solidaire.example",
            "motivation": "Partager nos pratiques.",
        }

        def csrf(page):
            return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

        # without the consent box: the errors read French
        self.read_page(
            "/adhesion", self._page("/adhesion", data={**post, "csrf_token": csrf(page)})
        )
        self.assertReadFrench()
        # a visitor whose browser speaks English: staff are told in French
        self.opener.cookies.clear()
        english = {"Accept-Language": "en-US"}
        page = self.url_open("/adhesion", headers=english)
        self.assertIn("Join the network", page.text)
        response = self.url_open(
            "/adhesion", data={**post, "accept": "on", "csrf_token": csrf(page)}, headers=english
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        membership = self.env["ess.membership"].search(
            [("partner_id.name", "=", "Association La Fabrique Solidaire")]
        )
        self.assertEqual(membership.user_id, self.staff)
        self.assertEqual(membership.activity_ids.summary, "Présenter la démarche et les outils")
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "ess.membership"),
                ("res_id", "=", membership.id),
                ("partner_ids", "in", self.staff.partner_id.ids),
            ]
        )
        self.assertTrue(notices, "the staff member in charge is told of the request")
        public = self.env.ref("base.public_partner")
        for notice in notices:
            self.assertNotEqual(notice.author_id, public, f"not from “Public user”: {notice.body}")
            self.assertIn("Association La Fabrique Solidaire", notice.body)
            self.read_french("notification subject", notice.subject)
            self.read_french_markup("notification", notice.body)
        self.assertReadFrench()
