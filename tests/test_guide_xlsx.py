import base64
import io
from datetime import date, datetime
from unittest.mock import patch

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, warmup

from .common import EssNetworkCase

PILOTAGE_HEADER = [
    "Thème",
    "Domaine d'action",
    "Questions ou indicateurs",
    "Etat des lieux (année N0)",
    "Objectif à 1 an (année N+1)",
    "Objectif à 3 ans (année N+3)",
]


@tagged("post_install", "-at_install")
class TestGuideXlsx(EssNetworkCase):
    """Spreadsheet round trip of a guide year: export, import, errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.themes = [ref(f"ess_network.ess_guide_theme_{n}") for n in range(1, 9)]
        cls.q_ag = ref("ess_network.ess_guide_question_1_3_1")  # qualitative
        cls.q_training = ref("ess_network.ess_guide_question_1_3_2")  # quantitative, %
        cls.q_statutes = ref("ess_network.ess_guide_question_1_1_1")  # qualitative
        cls.q_local = ref("ess_network.ess_guide_question_3_1_1")  # quantitative, %
        cls.q_ess_purchases = ref("ess_network.ess_guide_question_3_1_2")  # quantitative, €
        cls.pilot = cls.env["res.partner"].create({"name": "Jean Pilote", "parent_id": cls.org.id})
        cls.guide = cls._filled_guide(cls.org, 2026, cls.org_contact | cls.pilot)
        cls.actions = cls.guide.action_ids.sorted("id")

    # ---------------------------------------------------------------- helpers
    @classmethod
    def _filled_guide(cls, partner, year, pilots=None):
        """A guide year as an organisation fills it: themes retained or not,
        a question not treated, numbers and texts, values, an action plan."""
        guide = (
            cls.env["ess.guide.year"]
            .with_user(cls.staff)
            .create({"partner_id": partner.id, "year": year})
        )
        by_theme = {line.theme_id: line for line in guide.theme_line_ids}
        by_theme[cls.themes[0]].write(
            {
                "decision": "retained",
                "good_practices": "Conseil d'administration renouvelé chaque année",
                "progress_areas": "Participation des jeunes adhérents",
            }
        )
        by_theme[cls.themes[1]].write(
            {"decision": "not_retained", "reason": "Question non traitée car déjà couverte"}
        )
        by_theme[cls.themes[2]].write({"decision": "retained"})
        by_theme[cls.themes[6]].write(
            {"decision": "not_retained", "reason": "Pas prioritaire cette année"}
        )
        lines = {line.question_id: line for line in guide.line_ids}
        lines[cls.q_ag].write(
            {
                "baseline_text": "Pas de données consolidées (feuilles d'émargement)",
                "objective_1y_text": "Dresser l'état des lieux et se fixer un objectif",
                "objective_3y_text": "Avoir atteint l'objectif fixé en année 1",
                "value_text": "Taux consolidé : 38 %",
                "has_value": True,
                "achievement_1y": "partly_met",
                "achievement_3y": "not_met",
            }
        )
        lines[cls.q_training].write(
            {
                "baseline": 12.5,
                "objective_1y": 25,
                "objective_3y": 60,
                "value": 20,
                "has_value": True,
            }
        )
        lines[cls.q_statutes].write(
            {
                "retained": False,
                "reason": "nos statuts ont été refondus l'an dernier\net sont publiés",
            }
        )
        lines[cls.q_local].write({"baseline": 0, "objective_1y": 10, "objective_3y": 30})
        lines[cls.q_ess_purchases].write(
            {"baseline": 15000, "objective_1y": 18000.5, "objective_3y": 25000}
        )
        Action = cls.env["ess.action"].with_user(cls.staff)
        common = {"partner_id": partner.id, "guide_year_id": guide.id}
        pilots = pilots or cls.env["res.partner"]
        Action.create(
            [
                {
                    **common,
                    "name": "Consolider les feuilles d'émargement",
                    "question_id": cls.q_ag.id,
                    "pilot_id": pilots[:1].id,
                    "budget": 0,
                    "date_start": date(year, 1, 15),
                    "date_deadline": date(year, 6, 30),
                    "state": "in_progress",
                    "progress": 40,
                    "origin": "guide",
                },
                {
                    **common,
                    "name": "Plan de formation des administrateurs",
                    "domain_id": cls.q_training.domain_id.id,
                    "pilot_id": pilots[-1:].id,
                    "budget": 2500.5,
                    "date_deadline": date(year, 12, 31),
                    "state": "todo",
                    "origin": "self_assessment",
                },
                {
                    **common,
                    "name": "Achats locaux : recenser les fournisseurs",
                    "theme_id": cls.themes[2].id,
                    "state": "done",
                    "origin": "stakeholder",
                },
            ]
        )
        return guide

    def _snapshot(self, guide):
        """Every value the spreadsheet carries, as plain Python values."""
        guide.env.invalidate_all()
        themes = [
            (t.theme_id.code, t.decision, t.reason, t.good_practices, t.progress_areas)
            for t in guide.theme_line_ids
        ]
        lines = [
            (
                line.question_id.code,
                line.retained,
                line.reason,
                line.baseline,
                line.baseline_text,
                line.objective_1y,
                line.objective_1y_text,
                line.objective_3y,
                line.objective_3y_text,
                line.value,
                line.value_text,
                line.has_value,
                line.achievement_1y,
                line.achievement_3y,
            )
            for line in guide.line_ids
        ]
        actions = [
            self._action_values(action)
            for action in guide.with_context(active_test=False).action_ids.sorted("id")
        ]
        return {"themes": themes, "lines": lines, "actions": actions}

    @staticmethod
    def _action_values(action):
        return (
            action.name,
            action.theme_id.code,
            action.domain_id.code,
            action.question_id.code,
            action.pilot_id.name,
            action.budget,
            action.date_start,
            action.date_deadline,
            action.state,
            action.progress,
            action.origin,
        )

    def _render(self, guide):
        """The spreadsheet of ``guide`` rendered in its environment."""
        return self.env["report.ess_network.guide_year_xlsx"]._ess_render(guide)

    def _export(self, guide=None):
        content, filename = self._render((guide or self.guide).with_user(self.staff))
        self.assertTrue(filename.endswith(".xlsx"))
        return content

    @staticmethod
    def _open(content):
        return openpyxl.load_workbook(io.BytesIO(content))

    @staticmethod
    def _save(workbook):
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()

    @staticmethod
    def _row_of(sheet, text, col=3):
        """Row number whose column ``col`` (1-based) holds ``text``."""
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, col).value == text:
                return row
        raise AssertionError(f"{text!r} not found in sheet {sheet.title}")

    def _import(self, content, guide=None, user=None):
        guide = guide or self.guide.with_user(user or self.staff)
        return guide.env["ess.guide.year.import"]._ess_import(guide, content, "guide.xlsx")

    def _assert_refused(self, content, *messages):
        """The import is refused with each message and writes nothing."""
        before = self._snapshot(self.guide)
        message_count = len(self.guide.message_ids)
        with self.assertRaises(UserError) as caught:
            self._import(content)
        for message in messages:
            self.assertIn(message, caught.exception.args[0])
        self.assertEqual(self._snapshot(self.guide), before, "nothing is written")
        self.assertEqual(len(self.guide.message_ids), message_count)
        return caught.exception.args[0]

    def _modified(self, change):
        """The exported workbook, changed by ``change(workbook)``."""
        workbook = self._open(self._export())
        change(workbook)
        return self._save(workbook)

    # ------------------------------------------------------------------ export
    def test_export_sheets_and_header(self):
        workbook = self._open(self._export())
        self.assertEqual(workbook.sheetnames, ["Pilotage", "Thèmes", "Suivi 2026", "Plan d'action"])
        sheet = workbook["Pilotage"]
        self.assertEqual([cell.value for cell in sheet[1]], PILOTAGE_HEADER)
        self.assertEqual(sheet.freeze_panes, "A2")
        # Only the questions of the retained themes (1 and 3), in reference order.
        retained = self.guide.line_ids.filtered(
            lambda line: line.theme_id in (self.themes[0], self.themes[2])
        )
        self.assertEqual(sheet.max_row, 1 + len(retained))
        self.assertEqual(
            [sheet.cell(row, 3).value for row in range(2, sheet.max_row + 1)],
            retained.question_id.mapped("name"),
        )
        row = self._row_of(sheet, self.q_training.name)
        self.assertEqual(
            [sheet.cell(row, col).value for col in range(1, 7)],
            ["1. Gouvernance", "1.3 Exercice du pouvoir", self.q_training.name, 12.5, 25, 60],
        )
        self.assertEqual(sheet.cell(row, 4).number_format, 'General" %"')
        row = self._row_of(sheet, self.q_ag.name)
        self.assertEqual(
            sheet.cell(row, 4).value,
            "Pas de données consolidées (feuilles d'émargement)",
        )
        row = self._row_of(sheet, self.q_statutes.name)
        self.assertEqual(
            sheet.cell(row, 4).value,
            "Question non traitée : nos statuts ont été refondus l'an dernier\net sont publiés",
        )
        self.assertIsNone(sheet.cell(row, 5).value)
        # An indicator without data stays blank, not 0.
        row = self._row_of(sheet, self.env.ref("ess_network.ess_guide_question_3_1_3").name)
        self.assertIsNone(sheet.cell(row, 4).value)

        themes = workbook["Thèmes"]
        self.assertEqual(
            [cell.value for cell in themes[1]],
            ["Thème", "Retenu", "Raison si non retenu", "Bonnes pratiques", "Axes de progrès"],
        )
        self.assertEqual(
            [themes.cell(row, 2).value for row in range(2, 10)],
            ["Oui", "Non", "Oui", "À décider", "À décider", "À décider", "Non", "À décider"],
        )
        self.assertEqual(themes.cell(3, 3).value, "Question non traitée car déjà couverte")

        follow_up = workbook["Suivi 2026"]
        self.assertEqual(
            [cell.value for cell in follow_up[1]],
            [
                "Thème",
                "Domaine d'action",
                "Questions ou indicateurs",
                "Unité",
                "Valeur de l'année précédente",
                "Valeur mesurée (année 2026)",
                "Objectif à 1 an atteint ?",
                "Objectif à 3 ans atteint ?",
            ],
        )
        row = self._row_of(follow_up, self.q_ag.name)
        self.assertEqual(
            [follow_up.cell(row, col).value for col in (6, 7, 8)],
            ["Taux consolidé : 38 %", "Partiellement atteint", "Non atteint"],
        )
        row = self._row_of(follow_up, self.q_training.name)
        self.assertEqual(
            [follow_up.cell(row, col).value for col in (4, 6, 7)], ["%", 20, 60]
        )  # 20 % is 60 % of the way from 12.5 to 25

        actions = workbook["Plan d'action"]
        self.assertEqual(
            [cell.value for cell in actions[1]],
            [
                "Réf.",
                "Action",
                "Thème",
                "Domaine d'action",
                "Questions ou indicateurs",
                "Pilote",
                "Budget (€)",
                "Début",
                "Échéance",
                "Statut",
                "Avancement (%)",
                "Origine",
            ],
        )
        first = self.actions[0]
        row = self._row_of(actions, f"ACT-{first.id}", col=1)
        self.assertEqual(
            [actions.cell(row, col).value for col in range(2, 13)],
            [
                first.name,
                "1. Gouvernance",
                "1.3 Exercice du pouvoir",
                self.q_ag.name,
                "Marie Test",
                0,
                datetime(2026, 1, 15),
                datetime(2026, 6, 30),
                "En cours",
                40,
                "Guide des bonnes pratiques",
            ],
        )
        self.assertEqual(actions.cell(row, 8).number_format, "dd/mm/yyyy")

    def test_export_from_portal_and_report_action(self):
        """A portal controller renders the file of a sudo record; the report
        action renders the same workbook for the back office."""
        content, filename = self._render(self.guide.with_user(self.portal_user).sudo())
        self.assertEqual(filename, "Guide 2026 - Association Test Solidaire.xlsx")
        self.assertEqual(self._open(content).sheetnames[0], "Pilotage")
        report = self.env.ref("ess_network.ess_guide_year_report_xlsx")
        content, extension = (
            self.env["ir.actions.report"]
            .with_user(self.staff)
            ._render_xlsx(report.report_name, self.guide.ids, {})
        )
        self.assertEqual(extension, "xlsx")
        self.assertEqual(self._open(content)["Pilotage"]["A1"].value, "Thème")

    # -------------------------------------------------------------- round trip
    def test_round_trip_unchanged(self):
        """Importing the exported file as it is changes nothing."""
        before = self._snapshot(self.guide)
        counts = self._import(self._export())
        self.assertEqual(
            counts, {"themes": 0, "lines": 0, "actions_updated": 0, "actions_created": 0}
        )
        self.assertEqual(self._snapshot(self.guide), before)

    def test_round_trip_restores_everything(self):
        """Export, wipe what the file holds, import: everything is back."""
        content = self._export()
        before = self._snapshot(self.guide)
        staff_guide = self.guide.with_user(self.staff)
        staff_guide.theme_line_ids.write(
            {
                "decision": "pending",
                "reason": False,
                "good_practices": False,
                "progress_areas": False,
            }
        )
        retained_themes = (self.themes[0] | self.themes[2]).ids
        staff_guide.line_ids.filtered(lambda line: line.theme_id.id in retained_themes).write(
            {
                "retained": True,
                "reason": False,
                "baseline": 0,
                "baseline_text": False,
                "objective_1y": 0,
                "objective_1y_text": False,
                "objective_3y": 0,
                "objective_3y_text": False,
                "value": 0,
                "value_text": False,
                "has_value": False,
                "achievement_1y": False,
                "achievement_3y": False,
            }
        )
        self.actions.with_user(self.staff).write(
            {
                "name": "?",
                "theme_id": False,
                "domain_id": False,
                "question_id": False,
                "pilot_id": False,
                "budget": 99,
                "date_start": False,
                "date_deadline": False,
                "state": "cancelled",
                "progress": 5,
                "origin": "other",
            }
        )
        self.assertNotEqual(self._snapshot(self.guide), before)
        counts = self._import(content)
        self.assertEqual(self._snapshot(self.guide), before)
        self.assertEqual(counts["themes"], 4)
        self.assertEqual(counts["actions_updated"], 3)
        self.assertEqual(counts["actions_created"], 0)
        message = self.guide.message_ids[0]
        self.assertIn("Spreadsheet imported", message.body)
        self.assertEqual(message.attachment_ids.mapped("name"), ["guide.xlsx"])
        self.assertEqual(message.attachment_ids.raw, content)

    def test_import_changes(self):
        """Changes made in the workbook, and only them, reach the guide."""

        def change(workbook):
            sheet = workbook["Pilotage"]
            row = self._row_of(sheet, self.q_training.name)
            sheet.cell(row, 4).value = 40
            # Empty theme and domain cells repeat the row above (merged cells).
            sheet.cell(row, 1).value = sheet.cell(row, 2).value = None
            sheet.cell(self._row_of(sheet, self.q_ag.name), 5).value = "Nouvel objectif"
            row = self._row_of(sheet, self.q_local.name)
            sheet.cell(row, 5).value = 0.125  # typed "12,5 %" in a percent cell
            sheet.cell(row, 5).number_format = "0.0%"
            sheet.cell(row, 6).value = "32,5"
            themes = workbook["Thèmes"]
            themes["B4"], themes["C4"] = "Non", "Faute de moyens cette année"
            follow_up = workbook["Suivi 2026"]
            follow_up.cell(self._row_of(follow_up, self.q_ag.name), 7).value = "Atteint"
            follow_up.cell(self._row_of(follow_up, self.q_training.name), 6).value = None
            actions = workbook["Plan d'action"]
            actions.cell(self._row_of(actions, f"ACT-{self.actions[0].id}", col=1), 11).value = 80
            actions.append(
                [
                    None,
                    "Former les nouveaux administrateurs",
                    "1. Gouvernance",
                    "1.3 Exercice du pouvoir",
                    self.q_training.name,
                    "jean  pilote",
                    1500,
                    datetime(2026, 3, 1),
                    "30/09/2026",
                    "En cours",
                    20,
                    "Autodiagnostic",
                ]
            )

        before = self._snapshot(self.guide)
        counts = self._import(self._modified(change))
        self.assertEqual(
            counts, {"themes": 1, "lines": 3, "actions_updated": 1, "actions_created": 1}
        )
        after = self._snapshot(self.guide)
        lines = {line.question_id: line for line in self.guide.line_ids}
        self.assertEqual(lines[self.q_training].baseline, 40)
        self.assertFalse(lines[self.q_training].has_value)
        self.assertEqual(lines[self.q_training].value, 20, "an emptied value keeps its number")
        self.assertEqual(lines[self.q_ag].objective_1y_text, "Nouvel objectif")
        self.assertEqual(lines[self.q_ag].achievement_1y, "met")
        self.assertEqual(
            (lines[self.q_local].objective_1y, lines[self.q_local].objective_3y), (12.5, 32.5)
        )
        theme_3 = self.guide.theme_line_ids.filtered(lambda t: t.theme_id == self.themes[2])
        self.assertEqual(
            (theme_3.decision, theme_3.reason), ("not_retained", "Faute de moyens cette année")
        )
        self.assertEqual(self.actions[0].progress, 80)
        self.assertEqual(self.actions[0].state, "in_progress")
        new = self.guide.action_ids - self.actions
        self.assertEqual(
            self._action_values(new),
            (
                "Former les nouveaux administrateurs",
                "1",
                "1.3",
                "1.3.2",
                "Jean Pilote",
                1500,
                date(2026, 3, 1),
                date(2026, 9, 30),
                "in_progress",
                20,
                "self_assessment",
            ),
        )
        self.assertEqual((new.partner_id, new.guide_year_id), (self.org, self.guide))
        # Nothing else moved.
        changed_lines = {"1.3.1", "1.3.2", "3.1.1"}
        self.assertEqual(
            [line for line in after["lines"] if line[0] not in changed_lines],
            [line for line in before["lines"] if line[0] not in changed_lines],
        )
        self.assertEqual(
            [t for t in after["themes"] if t[0] != "3"],
            [t for t in before["themes"] if t[0] != "3"],
        )
        self.assertEqual(after["actions"][1:3], before["actions"][1:3])

    def test_wizard(self):
        form = Form(
            self.env["ess.guide.year.import"]
            .with_user(self.staff)
            .with_context(default_guide_year_id=self.guide.id, default_filename="pilotage.xlsx")
        )
        form.file = base64.b64encode(self._export())
        wizard = form.save()
        result = wizard.action_import()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("Spreadsheet imported", result["params"]["message"])
        self.assertEqual(self.guide.message_ids[0].attachment_ids.name, "pilotage.xlsx")

    # ------------------------------------------------------------------ errors
    def test_refused_unknown_indicator_and_domain(self):
        def change(workbook):
            sheet = workbook["Pilotage"]
            row = self._row_of(sheet, self.q_ag.name)
            sheet.cell(row, 3).value = "Question inconnue ?"
            sheet.cell(row + 1, 2).value = "9.9 Domaine inconnu"
            sheet.cell(row + 2, 1).value = "3. Territoire"

        row = self._row_of(self._open(self._export())["Pilotage"], self.q_ag.name)
        self._assert_refused(
            self._modified(change),
            f"Sheet “Pilotage”, row {row}, column C: unknown question or indicator in the "
            "domain 1.3 of this guide: “Question inconnue ?”.",
            f"Sheet “Pilotage”, row {row + 1}, column B: unknown domain of action “9.9 Domaine",
            f"Sheet “Pilotage”, row {row + 2}, column A: the domain of action 1.3 belongs to "
            "theme 1, not to theme 3.",
        )

    def test_refused_text_in_quantitative_cell(self):
        def change(workbook):
            sheet = workbook["Pilotage"]
            row = self._row_of(sheet, self.q_training.name)
            sheet.cell(row, 4).value = "12 %"
            sheet.cell(row, 5).value = "abc"
            sheet.cell(row, 6).value = "30,5"  # a comma decimal is fine

        row = self._row_of(self._open(self._export())["Pilotage"], self.q_training.name)
        message = self._assert_refused(
            self._modified(change),
            f"Sheet “Pilotage”, row {row}, column D: a number is expected for this indicator "
            "(in %, without the unit), not “12 %”.",
            f"Sheet “Pilotage”, row {row}, column E:",
        )
        self.assertNotIn("column F", message)

    def test_invisible_characters_are_dropped_from_text_cells(self):
        def change(workbook):
            workbook["Thèmes"]["D2"] = "Bonne\u200b pratique\u2060"

        self._import(self._modified(change))
        theme_1 = self.guide.theme_line_ids.filtered(lambda t: t.theme_id.code == "1")
        self.assertEqual(theme_1.good_practices, "Bonne pratique")

    def test_refused_bad_action_cells(self):
        """Bad date, unknown status, progress 150, negative budget, unknown
        pilot: every error of the sheet is listed."""

        def change(workbook):
            sheet = workbook["Plan d'action"]
            sheet["H2"] = "32/13/2026"
            sheet["J2"] = "Peut-être"
            sheet["K2"] = 150
            sheet["G3"] = -10
            sheet["F3"] = "Inconnu Dupont"
            sheet["L4"] = "Hasard"

        self._assert_refused(
            self._modified(change),
            "Sheet “Plan d'action”, row 2, column H: “32/13/2026” is not a date",
            "Sheet “Plan d'action”, row 2, column J: “Peut-être” is not one of: À faire / "
            "En cours / Terminée / Annulée.",
            "Sheet “Plan d'action”, row 2, column K: the progress is a percentage between 0 "
            "and 100, not 150.",
            "Sheet “Plan d'action”, row 3, column G: a budget cannot be negative.",
            "Sheet “Plan d'action”, row 3, column F: “Inconnu Dupont” is not a contact of "
            "the organisation “Association Test Solidaire”.",
            "Sheet “Plan d'action”, row 4, column L: “Hasard” is not one of",
        )

    def test_refused_deadline_before_start(self):
        """The action rules of ``ess.action`` check the rows, with their own
        sentences."""

        def change(workbook):
            sheet = workbook["Plan d'action"]
            sheet["H2"] = "30/06/2026"
            sheet["I2"] = "01/01/2026"

        self._assert_refused(
            self._modified(change),
            "Sheet “Plan d'action”, row 2, column I: the deadline of an action cannot precede "
            "its start.",
        )

    def test_question_of_a_theme_not_retained_needs_no_reason(self):
        """The rule of the models: a question not treated says why unless its
        theme is not retained, here by the same file."""

        def change(workbook):
            workbook["Thèmes"]["B2"], workbook["Thèmes"]["C2"] = "Non", "Pas cette année"
            sheet = workbook["Pilotage"]
            row = self._row_of(sheet, self.q_ag.name)
            sheet.cell(row, 4).value = "Question non traitée :"
            sheet.cell(row, 5).value = sheet.cell(row, 6).value = None

        self._import(self._modified(change))
        line = self.guide.line_ids.filtered(lambda line: line.question_id == self.q_ag)
        self.assertEqual(
            (line.retained, line.reason, line.theme_decision), (False, False, "not_retained")
        )

    def test_budget_in_the_currency_format_of_report_xlsx(self):
        actions = self._open(self._export())["Plan d'action"]
        report = self.env["report.ess_network.guide_year_xlsx"]
        currency = self.actions[1].currency_id
        row = self._row_of(actions, f"ACT-{self.actions[1].id}", col=1)
        self.assertEqual(actions.cell(row, 7).value, 2500.5)
        self.assertEqual(
            actions.cell(row, 7).number_format, report._report_xlsx_currency_format(currency)
        )
        self.assertIn(currency.symbol, actions.cell(row, 7).number_format)

    def test_refused_missing_reasons(self):
        def change(workbook):
            workbook["Thèmes"]["C3"] = None  # theme 2 is "Non"
            sheet = workbook["Pilotage"]
            sheet.cell(self._row_of(sheet, self.q_ag.name), 4).value = "Question non traitée :"

        row = self._row_of(self._open(self._export())["Pilotage"], self.q_ag.name)
        self._assert_refused(
            self._modified(change),
            "Sheet “Thèmes”, row 3, column C: say why the theme is not retained",
            f"Sheet “Pilotage”, row {row}, column D: say why the question is not treated",
        )

    def test_refused_other_organisation_action_and_bad_reference(self):
        other_guide = (
            self.env["ess.guide.year"]
            .with_user(self.staff)
            .create({"partner_id": self.other_org.id, "year": 2026})
        )
        other_action = self.env["ess.action"].create(
            {"name": "Autre", "partner_id": self.other_org.id, "guide_year_id": other_guide.id}
        )

        def change(workbook):
            sheet = workbook["Plan d'action"]
            sheet["A2"] = f"ACT-{other_action.id}"
            sheet["A3"] = "XYZ"
            sheet["A4"] = sheet["A2"].value

        message = self._assert_refused(
            self._modified(change),
            f"Sheet “Plan d'action”, row 2, column A: unknown action “ACT-{other_action.id}”: "
            "it is not an action of this guide year.",
            "Sheet “Plan d'action”, row 3, column A: “XYZ” is not an action reference",
            f"Sheet “Plan d'action”, row 4, column A: unknown action “ACT-{other_action.id}”",
        )
        self.assertNotIn("Autre", message)
        self.assertEqual(other_action.name, "Autre")

    def test_refused_duplicate_rows(self):
        def change(workbook):
            sheet = workbook["Pilotage"]
            sheet.append([cell.value for cell in sheet[2]])
            actions = workbook["Plan d'action"]
            actions.append([cell.value for cell in actions[2]])

        pilotage_rows = self._open(self._export())["Pilotage"].max_row
        self._assert_refused(
            self._modified(change),
            f"Sheet “Pilotage”, row {pilotage_rows + 1}, column C: this row repeats row 2.",
            "Sheet “Plan d'action”, row 5, column A: this row repeats row 2.",
        )

    def test_refused_files(self):
        content = self._export()
        self._assert_refused(b"", "The file is empty.")
        self._assert_refused(b"\x00\xffgarbage" * 100, "This file is not an Excel workbook")
        csv = ";".join(PILOTAGE_HEADER).encode() + b"\n1. Gouvernance;1.3;x;1;2;3\n"
        self._assert_refused(csv, "This file is not an Excel workbook")
        self._assert_refused(content[: len(content) // 2], "This file is not an Excel workbook")
        self._assert_refused(b"PK" + b"\x00" * (6 * 1024 * 1024), "The file is too large")

        def wrong_header(workbook):
            workbook["Pilotage"]["D1"] = "Etat des lieux"

        self._assert_refused(
            self._modified(wrong_header),
            "Sheet “Pilotage”, row 1: the header must be, from column A: Thème | Domaine "
            "d'action | Questions ou indicateurs | Etat des lieux (année N0) |",
        )

        def no_steering(workbook):
            workbook["Pilotage"].title = "Feuil1"

        self._assert_refused(self._modified(no_steering), "The workbook has no sheet “Pilotage”")

        def other_year(workbook):
            workbook["Suivi 2026"].title = "Suivi 2025"
            workbook["Suivi 2025"]["F1"] = "Valeur mesurée (année 2025)"

        self._assert_refused(
            self._modified(other_year),
            "Sheet “Suivi 2025”, row 1: the header must be",
        )

    def test_refused_many_errors_are_capped(self):
        def change(workbook):
            sheet = workbook["Pilotage"]
            for n in range(60):
                sheet.append(["1. Gouvernance", "1.3 Exercice du pouvoir", f"Inconnue {n}"])

        message = self._assert_refused(self._modified(change), "… and 10 more errors.")
        self.assertEqual(message.count("• "), 50)

    def test_refused_too_many_rows(self):
        def change(workbook):
            workbook["Plan d'action"].cell(5003, 2).value = "Trop loin"

        self._assert_refused(
            self._modified(change),
            "Sheet “Plan d'action”, row 5003: the sheet has more than 5000 rows",
        )

    def test_failed_write_rolls_back_everything(self):
        """A constraint failing while writing leaves the guide as it was."""

        def change(workbook):
            workbook["Thèmes"]["D2"] = "Nouvelle bonne pratique"
            workbook["Plan d'action"].append([None, "Nouvelle action"])

        content = self._modified(change)
        Action = type(self.env["ess.action"])
        with patch.object(Action, "create", side_effect=ValidationError("Refusé")):
            self._assert_refused(content, "nothing was changed: Refusé")

    def test_closed_year_refuses_import(self):
        content = self._export()
        guide = self.guide.with_user(self.staff)
        guide.theme_line_ids.filtered(lambda t: t.decision == "pending").write(
            {"decision": "retained"}
        )
        guide.action_start()
        guide.action_close()
        with self.assertRaisesRegex(UserError, "is closed"):
            self._import(content)
        with self.assertRaisesRegex(UserError, "is closed"):
            self._import(content, guide=self.guide.with_user(self.portal_user).sudo())
        # A network administrator may still correct a closed year.
        self._import(content, user=self.admin)

    # ------------------------------------------------------------- performance
    @warmup
    def test_export_query_count_does_not_grow(self):
        """The export reads in batch: the same number of queries for the
        shipped reference and for 30 more indicators (counted on the second,
        warm run of the test)."""
        domain = self.env["ess.guide.domain"].create(
            {"theme_id": self.themes[0].id, "code": "1.9", "name": "Domaine ajouté"}
        )
        guide = self.guide.with_user(self.staff)
        self._render(guide)  # warm the caches of access rights and rules
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            self._render(guide)

        self.env["ess.guide.question"].create(
            [
                {
                    "domain_id": domain.id,
                    "code": f"1.9.{n}",
                    "name": f"Indicateur ajouté {n}",
                    "kind": "quantitative" if n % 2 else "qualitative",
                    "unit": "%" if n % 2 else False,
                    "sequence": n,
                }
                for n in range(1, 31)
            ]
        )
        bigger = self._filled_guide(self.other_org, 2026).with_user(self.staff)
        self.assertEqual(len(bigger.line_ids), len(self.guide.line_ids) + 30)
        added = bigger.line_ids.filtered(lambda line: line.domain_id == domain)
        for n, line in enumerate(added, 1):
            if line.kind == "quantitative":
                line.write({"baseline": n, "objective_1y": n + 1, "value": n, "has_value": True})
            else:
                line.write({"baseline_text": f"Texte {n}", "achievement_1y": "met"})
        self.env["ess.action"].create(
            [
                {
                    "name": f"Action {n}",
                    "partner_id": self.other_org.id,
                    "guide_year_id": bigger.id,
                    "question_id": line.question_id.id,
                }
                for n, line in enumerate(added)
            ]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            content, _filename = self._render(bigger)
        retained = bigger.line_ids.filtered(
            lambda line: line.theme_id in (self.themes[0], self.themes[2])
        )
        self.assertEqual(self._open(content)["Pilotage"].max_row, 1 + len(retained))
