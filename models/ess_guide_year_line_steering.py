from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import formats, inputs
from .ess_guide_year_line import MEASURES


def _entry_field(string):
    return fields.Text(
        string,
        compute="_compute_entries",
        inverse="_inverse_entries",
        help="A number for an indicator (in its unit), a text for a question.",
    )


class EssGuideYearLine(models.Model):
    """The steering table as staff work it in the back end, like the
    spreadsheet it replaces (report/ess_guide_year_xlsx.py): one column per
    figure, a number for an indicator and a text for a question, typed in
    the same cell."""

    _inherit = "ess.guide.year.line"

    baseline_entry = _entry_field("Baseline (year N0)")
    objective_1y_entry = _entry_field("Objective at 1 year (year N+1)")
    objective_3y_entry = _entry_field("Objective at 3 years (year N+3)")
    value_entry = _entry_field("Measured value (this year)")

    @api.depends(
        "question_id.kind",
        "baseline",
        "baseline_text",
        "objective_1y",
        "objective_1y_text",
        "objective_3y",
        "objective_3y_text",
        "value",
        "value_text",
        "has_value",
    )
    @api.depends_context("lang")
    def _compute_entries(self):
        write_number = formats.number_formatter(self.env)
        for line in self:
            for measure in MEASURES:
                line[f"{measure}_entry"] = line._entry_text(measure, write_number)

    def _entry_text(self, measure, write_number=None):
        """What the cell of ``measure`` shows: the number without its unit
        (the unit has its column) or the text."""
        self.ensure_one()
        if self.kind != "quantitative":
            return self[f"{measure}_text"] or ""
        if measure == "value" and not self.has_value:
            return ""
        if not self[measure] and not self.has_data:
            return ""
        return (write_number or self._format_number)(self[measure])

    def _inverse_entries(self):
        for line in self:
            for measure in MEASURES:
                text = line[f"{measure}_entry"] or ""
                # only the cells changed: the others keep their exact value
                if text != line._entry_text(measure):
                    line._write_entry(measure, text)

    def _write_entry(self, measure, text):
        """Store what was typed in the cell of ``measure``: a number for an
        indicator, a text for a question."""
        self.ensure_one()
        if self.kind != "quantitative":
            text = (text or "").strip()
            if (self[f"{measure}_text"] or "") != text:
                self[f"{measure}_text"] = text or False
            return
        try:
            number = inputs.parse_number(self.env, text)
        except inputs.InputError as error:
            raise ValidationError(
                self.env._(
                    "“%(value)s” is not a number for the indicator “%(question)s”: %(error)s",
                    value=text,
                    question=self.question_id.display_name,
                    error=error.args[0],
                )
            ) from None
        if measure == "value":
            if number is None and not self.has_value:
                return
            self.has_value = number is not None
        if number is None and not self[measure]:
            return
        if self[measure] != (number or 0.0):
            self[measure] = number or 0.0

    def action_open_line(self):
        """Open the question or indicator in its form: its guidance, the
        progress towards its objectives, its comment."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("ess_network.ess_guide_year_line_view_form").id, "form")],
            "target": "new",
        }
