"""The reader of the import wizard (``ess.guide.year.import``): each sheet
of a guide year's workbook read against its layout
(``tools/guide_spreadsheet.py``), and what the file changes gathered in an
:class:`ImportPlan` before anything is written. The values are checked by
the models' own rules."""

from ..tools import guide_spreadsheet as layout
from .guide_spreadsheet_references import GuideReferences
from .spreadsheet_reader import INVALID, ImportErrors, SheetReader

MEASURES = ("baseline", "objective_1y", "objective_3y")


class ImportPlan:
    """What an import will write, computed before writing anything."""

    def __init__(self):
        self.themes = {}  # ess.guide.year.theme -> vals
        self.lines = {}  # ess.guide.year.line -> vals
        self.actions = {}  # ess.action -> vals
        self.new_actions = []  # vals

    def update(self, target, record, vals):
        if vals:
            target.setdefault(record, {}).update(vals)

    def counts(self):
        return {
            "themes": len(self.themes),
            "lines": len(self.lines),
            "actions_updated": len(self.actions),
            "actions_created": len(self.new_actions),
        }


class GuideSpreadsheetReader(SheetReader):
    """Reads the workbook of one guide year into an ImportPlan."""

    def __init__(self, guide):
        super().__init__(guide.env)
        self.guide = guide
        self.plan = ImportPlan()
        self.refs = None

    def read_workbook(self, workbook):
        """Read and check every sheet; returns the ImportPlan and the
        ImportErrors."""
        names = workbook.sheetnames
        self.errors = ImportErrors(self.env, names)
        properties = workbook.properties
        origin = layout.origin_id(getattr(properties, "keywords", None))
        if origin is not None and origin != self.guide.id:
            self.errors.add(
                self.env._(
                    "This spreadsheet was exported from another guide year (“%(file)s”), not "
                    "from %(guide)s: export this guide's spreadsheet and start from it.",
                    file=getattr(properties, "title", None) or "?",
                    guide=self.guide.name,
                )
            )
            return self.plan, self.errors
        if layout.STEERING.name not in names:
            self.errors.add(
                self.env._(
                    "The workbook has no sheet “%(sheet)s”: export the guide's spreadsheet "
                    "and start from it. Sheets found: %(found)s.",
                    sheet=layout.STEERING.name,
                    found=", ".join(names),
                )
            )
            return self.plan, self.errors
        self.refs = GuideReferences(self.guide)
        # The themes first: whether a question not treated needs its reason
        # depends on the decision of its theme.
        if layout.THEMES.name in names:
            self._read_themes(workbook[layout.THEMES.name])
        self._read_steering(workbook[layout.STEERING.name])
        follow_up = layout.follow_up(self.guide.year)
        name = follow_up.name if follow_up.name in names else None
        name = name or next((n for n in names if n.startswith(layout.FOLLOW_UP_PREFIX)), None)
        if name:
            self._read_follow_up(workbook[name], follow_up, name)
        if layout.ACTIONS.name in names:
            self._read_actions(workbook[layout.ACTIONS.name])
        return self.plan, self.errors

    # ----------------------------------------------------------------- sheets
    def _read_themes(self, worksheet):
        Theme = self.env["ess.guide.year.theme"]
        seen = {}
        for row in self._rows(worksheet, layout.THEMES):
            theme = row.parse("theme_id", self.refs.theme)
            if theme is INVALID:
                continue
            theme_line = self.refs.theme_lines.get(theme.id) if theme else None
            if not theme_line:
                row.error(
                    "theme_id",
                    self.env._("this theme is not part of this guide year.")
                    if theme
                    else self.env._("the theme is missing."),
                )
                continue
            if self._is_repeated(row, seen, theme_line, "theme_id"):
                continue
            decision = row.choice("decision", required=True)
            reason = row.text("reason")
            if Theme._reason_missing(decision, reason):
                row.error(
                    "reason",
                    self.env._(
                        "say why the theme is not retained (for example: “Question non traitée "
                        "car…”)."
                    ),
                )
                continue
            if decision is INVALID:
                continue
            vals = {
                "decision": decision,
                "reason": reason,
                "good_practices": row.text("good_practices"),
                "progress_areas": row.text("progress_areas"),
            }
            self.plan.update(self.plan.themes, theme_line, self._changes(theme_line, vals))

    def _read_steering(self, worksheet):
        seen, carry = {}, {}
        for row in self._rows(worksheet, layout.STEERING):
            line = self.refs.locate(row, self.refs.lines, carry)
            if not line or self._is_repeated(row, seen, line, "question_id"):
                continue
            reason = layout.not_treated_reason(row.raw("baseline"))
            if reason is not None:
                vals = self._not_treated(row, line, reason)
            else:
                vals = self._measures(row, line)
            if vals is not None:
                self.plan.update(self.plan.lines, line, self._changes(line, vals))

    def _not_treated(self, row, line, reason):
        """Values of a row whose baseline reads "Question non traitée : reason"."""
        theme_line = line.theme_line_id
        decision = self.plan.themes.get(theme_line, {}).get("decision", theme_line.decision)
        valid = True
        if self.env["ess.guide.year.line"]._reason_missing(False, reason, decision):
            row.error(
                "baseline",
                self.env._(
                    "say why the question is not treated, e.g. “Question non traitée : nos "
                    "administrateurs sont choisis pour leur expertise”."
                ),
            )
            valid = False
        for field in ("objective_1y", "objective_3y"):
            if not row.blank(field):
                row.error(
                    field,
                    self.env._(
                        "a question not treated has no objective: empty this cell or remove "
                        "“%s” from the baseline.",
                        layout.NOT_TREATED_MARK,
                    ),
                )
                valid = False
        return {"retained": False, "reason": reason or False} if valid else None

    def _measures(self, row, line):
        """Baseline and objectives of a treated question, None on error."""
        vals = {"retained": True}
        if not line.retained:
            vals["reason"] = False
        if line.kind != "quantitative":
            for field in MEASURES:
                vals[f"{field}_text"] = row.text(field)
            return vals
        for field in MEASURES:
            vals[field] = row.numeric(field, line.unit)
        if INVALID in vals.values():
            return None
        for field in MEASURES:
            vals[field] = vals[field] or 0.0
        return vals

    def _read_follow_up(self, worksheet, sheet_layout, name):
        seen, carry = {}, {}
        for row in self._rows(worksheet, sheet_layout, name):
            line = self.refs.locate(row, self.refs.lines, carry)
            if not line or self._is_repeated(row, seen, line, "question_id"):
                continue
            # The unit and last year's value are shown, not imported; so is
            # the computed progress of an indicator in G and H.
            if line.kind == "quantitative":
                value = row.numeric("value", line.unit)
                if value is INVALID:
                    continue
                vals = {"has_value": value is not None}
                if value is not None:
                    vals["value"] = value
            else:
                vals = {
                    "value_text": row.text("value"),
                    "achievement_1y": row.typed("achievement_1y"),
                    "achievement_3y": row.typed("achievement_3y"),
                }
                if INVALID in vals.values():
                    continue
            changes = self._changes(line, vals)
            if "value_text" in changes:
                # A question is measured once its answer is written, as on the portal.
                changes["has_value"] = bool(changes["value_text"])
            self.plan.update(self.plan.lines, line, changes)

    def _read_actions(self, worksheet):
        seen = {}
        for row in self._rows(worksheet, layout.ACTIONS):
            action = row.parse("id", self.refs.action)
            if action is INVALID:
                continue
            if action and self._is_repeated(row, seen, action, "id"):
                continue
            vals = self._action_values(row, action)
            if vals is None:
                continue
            if action:
                changes = self._changes(action, vals)
                if {"state", "progress"} & set(changes):
                    # Keep the pair as in the file: the model syncs one from the other.
                    changes.update(state=vals["state"], progress=vals["progress"])
                self.plan.update(self.plan.actions, action, changes)
            else:
                guide = self.guide
                vals.update(partner_id=guide.partner_id.id, guide_year_id=guide.id)
                self.plan.new_actions.append(vals)

    def _action_values(self, row, action):
        """Values of an action row, checked by the rules of ``ess.action``;
        None when the row has errors."""
        Action = self.env["ess.action"]
        count = len(self.errors)
        name = row.text("name")
        if not name:
            row.error("name", self.env._("the action needs a name."))
        reference = self._action_reference(row)
        pilot = row.parse("pilot_id", self.refs.pilot, action)
        fields = ("budget", "date_start", "date_deadline", "state", "progress", "origin")
        values = {field: row.typed(field) for field in fields}
        read = {field: value for field, value in values.items() if value is not INVALID}
        for field, problem in Action._value_problems(read).items():
            row.error(field, problem)
        if len(self.errors) > count:
            return None
        vals = {
            "name": name,
            **reference,
            "pilot_id": pilot.id if pilot else False,
            "budget": values["budget"] or 0.0,
            "date_start": values["date_start"],
            "date_deadline": values["date_deadline"],
            "state": values["state"] or "todo",
            "progress": round(values["progress"] or 0),
            "origin": values["origin"] or "guide",
        }
        Action._sync_state_progress(vals)
        return vals

    def _action_reference(self, row):
        """Theme, domain and question an action row refers to (all
        optional); errors are recorded."""
        theme = domain = question = None
        if not row.blank("question_id"):
            question = self.refs.locate(row, self.refs.questions)
        else:
            theme = row.parse("theme_id", self.refs.theme)
            domain = row.parse("domain_id", self.refs.domain)
            invalid = theme is INVALID or domain is INVALID
            if invalid or not self.refs.domain_in_theme(row, theme, domain):
                theme = domain = None
        if question:
            domain = question.domain_id
        if domain:
            theme = domain.theme_id
        return {
            "theme_id": theme.id if theme else False,
            "domain_id": domain.id if domain else False,
            "question_id": question.id if question else False,
        }
