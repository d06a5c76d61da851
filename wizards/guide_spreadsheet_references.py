"""What the cells of a guide year's workbook name, found among the records
of that guide year: a theme by its number, a domain by its number, a
question or indicator by its domain and name, an action by its reference, a
pilot among the organisation's contacts. Used by the import wizard's reader."""

from ..tools import guide_spreadsheet as layout
from ..tools.guide_spreadsheet import CellError
from ..tools.inputs import comparable
from .spreadsheet_reader import INVALID


def by_name(records, key):
    """``records`` grouped by ``key(record)``: a name may be shared."""
    groups = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    return groups


class GuideReferences:
    """The records the rows of a guide year's workbook may name, read once
    in a few batched queries."""

    def __init__(self, guide):
        self.guide = guide
        self.env = env = guide.env
        inactive_too = {"active_test": False}
        network = guide.company_id

        def reference(model):
            # the shared reference and the guide's network's own, archived too
            return env[model].with_context(**inactive_too)._network_search(network)

        self.themes = {t.code: t for t in reference("ess.guide.theme")}
        self.domains = {d.code: d for d in reference("ess.guide.domain")}
        self.theme_lines = {line.theme_id.id: line for line in guide.theme_line_ids}
        self.lines = by_name(
            guide.line_ids, lambda line: (line.domain_id.id, comparable(line.question_id.name))
        )
        self.questions = by_name(
            reference("ess.guide.question"),
            lambda question: (question.domain_id.id, comparable(question.name)),
        )
        organisation = guide.partner_id.commercial_partner_id
        self.pilots = by_name(
            env["res.partner"].search([("commercial_partner_id", "=", organisation.id)]),
            lambda contact: comparable(contact.name),
        )
        self.actions = {a.id: a for a in guide.with_context(**inactive_too).action_ids}

    # ------------------------------------------------------- reference cells
    def theme(self, cell):
        """Theme whose number starts the cell ("1. Gouvernance"), None if empty."""
        text = layout.cell_text(cell)
        if not text:
            return None
        codes = layout.theme_codes(text)
        theme = next((self.themes[code] for code in codes if code in self.themes), None)
        if not theme:
            raise CellError(
                self.env._(
                    "unknown theme “%s”: start the cell with the theme's number, e.g. "
                    "“1. Gouvernance”.",
                    text,
                )
            )
        return theme

    def domain(self, cell):
        """Domain whose number starts the cell ("1.3 Exercice du pouvoir")."""
        code = layout.domain_code(cell)
        if code is None:
            return None
        domain = self.domains.get(code)
        if not domain:
            raise CellError(
                self.env._(
                    "unknown domain of action “%s”: start the cell with the domain's number, "
                    "e.g. “1.3 Exercice du pouvoir”.",
                    layout.cell_text(cell),
                )
            )
        return domain

    def domain_in_theme(self, row, theme, domain):
        """False, after recording the error, when the row's domain is not
        one of its theme's."""
        if theme and domain and domain.theme_id != theme:
            row.error(
                "theme_id",
                self.env._(
                    "the domain of action %(domain)s belongs to theme %(right)s, not to "
                    "theme %(wrong)s.",
                    domain=domain.code,
                    right=domain.theme_id.code,
                    wrong=theme.code,
                ),
            )
            return False
        return True

    def locate(self, row, candidates, carry=None):
        """Record of ``candidates`` (lines or questions, by domain and name)
        named by the theme, domain and question cells of a row. With
        ``carry``, empty theme and domain cells repeat the row above (merged
        cells). Returns None after recording the error."""
        theme = row.parse("theme_id", self.theme)
        domain = row.parse("domain_id", self.domain)
        if theme is INVALID or domain is INVALID:
            return None
        if carry is not None:
            if not domain:
                domain = carry.get("domain")
                theme = theme or carry.get("theme")
            carry.update(theme=theme, domain=domain)
        question = row.text("question_id")
        if not domain:
            row.error("domain_id", self.env._("the domain of action is missing."))
            return None
        if not self.domain_in_theme(row, theme, domain):
            return None
        if not question:
            row.error("question_id", self.env._("the question or indicator is missing."))
            return None
        found = candidates.get((domain.id, comparable(question)), [])
        if len(found) != 1:
            row.error(
                "question_id",
                self.env._(
                    "unknown question or indicator in the domain %(domain)s of this guide: "
                    "“%(question)s”.",
                    domain=domain.code,
                    question=question,
                )
                if not found
                else self.env._(
                    "several questions of the domain %(domain)s are named “%(question)s”.",
                    domain=domain.code,
                    question=question,
                ),
            )
            return None
        return found[0]

    def action(self, cell):
        """The action of this guide year an ``ACT-12`` cell refers to."""
        text = layout.cell_text(cell)
        if not text:
            return None
        action_id = layout.action_id(text)
        if action_id is None:
            raise CellError(
                self.env._(
                    "“%(value)s” is not an action reference like “%(example)s”; leave the cell "
                    "empty for a new action.",
                    value=text,
                    example=layout.ACTION_REF_PREFIX + "12",
                )
            )
        action = self.actions.get(action_id)
        if not action:
            # Same message whether the action exists elsewhere or not at all.
            raise CellError(
                self.env._(
                    "unknown action “%s”: it is not an action of this guide year. Leave the "
                    "cell empty to create a new action.",
                    text,
                )
            )
        return action

    def pilot(self, cell, action):
        """Contact of the organisation named in the cell."""
        text = layout.cell_text(cell)
        if not text:
            return None
        key = comparable(text)
        if action and action.pilot_id and comparable(action.pilot_id.name) == key:
            return action.pilot_id
        found = self.pilots.get(key, [])
        organisation = self.guide.partner_id.name
        if not found:
            raise CellError(
                self.env._(
                    "“%(name)s” is not a contact of the organisation “%(organisation)s”.",
                    name=text,
                    organisation=organisation,
                )
            )
        if len(found) > 1:
            raise CellError(
                self.env._(
                    "several contacts of the organisation “%(organisation)s” are named “%(name)s”.",
                    name=text,
                    organisation=organisation,
                )
            )
        return found[0]
