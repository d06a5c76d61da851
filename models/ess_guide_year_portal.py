import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import uploads
from ..tools.inputs import InputError
from ..wizards.spreadsheet_reader import SpreadsheetErrors
from .ess_organisation_mixin import FIRST_YEAR

# The minutes of the general assembly: one file, a PDF, ODT or DOCX document
# by its content (tools/uploads.py), its name ending so.
MINUTES_MAX_SIZE = uploads.MAX_SIZE
MINUTES_TYPES = uploads.MINUTES.types
# What the guide's implementation form writes on the guide itself.
PRESENTATION_FIELDS = (
    "employees_presentation_date",
    "general_assembly_date",
    "general_assembly_debate",
    "general_assembly_minutes",
    "general_assembly_minutes_name",
)


class EssGuideYearPortal(models.Model):
    """What a member does on its guide year's portal page besides the
    themes and questions (``_portal_save``): tick the twelve steps, record
    the presentations to the employees and the general assembly, import the
    guide's spreadsheet through the staff's import wizard."""

    _inherit = "ess.guide.year"

    # ---------------------------------------------------------------- checks
    @api.model
    def _portal_date_problem(self, value):
        """Why a date of the implementation (a step done, a presentation)
        cannot be taken, or None: such dates are past, since the guide
        exists (law of 31 July 2014)."""
        if not value:
            return None
        if value > fields.Date.context_today(self):
            return self.env._("This date is in the future: record it once it has happened.")
        if value.year < FIRST_YEAR:
            return self.env._("Enter a date from %s on.", FIRST_YEAR)
        return None

    @api.model
    def _portal_minutes_problem(self, filename, content):
        """Why a file cannot be the minutes of the general assembly, or
        None: it is a PDF, ODT or DOCX document (by its content, and its
        name says so), of at most ``MINUTES_MAX_SIZE``."""
        try:
            uploads.MINUTES.check(self.env, filename, content, MINUTES_MAX_SIZE)
        except InputError as error:
            return error.args[0]
        return None

    # ------------------------------------------------- steps and presentations
    def _portal_save_implementation(self, steps, vals, user, minutes=None):
        """Save what ``user``, a member, changed in the steps and the
        presentations of this guide from its portal page, and tell the
        chatter: ticking a step posts the steps' own message
        (``ess.checklist.mixin``), the dates presented are tracked, the rest
        is listed.

        ``self`` is the guide read with sudo by the portal controller after
        its access check; this checks again that it belongs to the user's
        organisation (else AccessError) and is not closed, and writes
        nothing at all when anything is wrong.

        :param dict steps: ``{step: {"done": bool, "done_date": date}}``,
            steps of this guide
        :param dict vals: the guide's dates and debate
            (``PRESENTATION_FIELDS``); ``general_assembly_minutes: False``
            removes the minutes
        :param minutes: ``(filename, content)`` of new minutes, or None
        :return: the errors, by ``(record, field name)`` or ``form``; empty
            when saved
        :rtype: dict
        """
        self.ensure_one()
        errors = self._portal_check_open(user)
        if errors:
            return errors
        if not set(steps) <= set(self.step_ids) or not set(vals) <= set(PRESENTATION_FIELDS):
            raise AccessError(self.env._("This record belongs to another organisation."))
        today = fields.Date.context_today(self)
        writes, items = {}, []
        for step, step_vals in steps.items():
            step_vals = dict(step_vals)
            done = step_vals.get("done", step.done)
            if not done:
                step_vals.pop("done_date", None)  # unticked: the date goes
            elif "done_date" in step_vals:
                step_vals["done_date"] = step_vals["done_date"] or step.done_date or today
                problem = self._portal_date_problem(step_vals["done_date"])
                if problem:
                    errors[step, "done_date"] = problem
            if differences := self._portal_differences(step, step_vals):
                writes[step] = differences
        guide_vals = dict(vals)
        for name in ("employees_presentation_date", "general_assembly_date"):
            if problem := self._portal_date_problem(guide_vals.get(name)):
                errors[self, name] = problem
        if minutes:
            filename, content = minutes
            if problem := self._portal_minutes_problem(filename, content):
                errors[self, "general_assembly_minutes"] = problem
            else:
                guide_vals.update(
                    general_assembly_minutes=base64.b64encode(content),
                    general_assembly_minutes_name=filename,
                )
        elif "general_assembly_minutes" in guide_vals and not self.general_assembly_minutes:
            del guide_vals["general_assembly_minutes"]  # removed by somebody else already
        elif "general_assembly_minutes" in guide_vals:
            guide_vals["general_assembly_minutes_name"] = False
        if errors:
            return errors
        binary = guide_vals.pop("general_assembly_minutes", None)
        guide_vals = self._portal_differences(self, guide_vals)
        if binary is not None:
            guide_vals["general_assembly_minutes"] = binary
        if not writes and not guide_vals:
            return {}
        items = self._portal_implementation_items(writes, guide_vals)
        intro = self.env._("Updated through the portal by %s.", user.name)

        def work(record):
            Step = record.env["ess.guide.year.step"]
            # the steps ticked together, then those unticked: one message
            # each (ess.checklist.mixin); then the dates
            for done in (True, False):
                ticked = [s.id for s, v in writes.items() if v.get("done") is done]
                Step.browse(ticked).write({"done": done})
            for step, step_vals in writes.items():
                if step_vals.get("done") is not False and "done_date" in step_vals:
                    Step.browse(step.id).write({"done_date": step_vals["done_date"]})
            if guide_vals:
                record.write(guide_vals)
            # a message of ours only when there is more to say than the ticks
            if items or set(guide_vals) & set(record._track_get_fields()):
                record._portal_post_changes(user, intro, items, tracked=guide_vals)

        return self._portal_run(user, work)[1]

    def _portal_implementation_items(self, steps, guide_vals):
        """The lines of the chatter message: the steps whose date alone
        changed, the minutes sent or removed, the debate changed."""
        redated = [
            step.name for step, vals in steps.items() if "done" not in vals and "done_date" in vals
        ]
        items = []
        if redated:
            items.append(self.env._("Date of the steps changed: %s", self._portal_codes(redated)))
        if guide_vals.get("general_assembly_minutes"):
            items.append(
                self.env._(
                    "General assembly minutes: %s", guide_vals["general_assembly_minutes_name"]
                )
            )
        elif "general_assembly_minutes" in guide_vals:
            items.append(self.env._("General assembly minutes removed"))
        if "general_assembly_debate" in guide_vals:
            items.append(self.env._("Debate at the general assembly updated"))
        return items

    # ----------------------------------------------------------------- import
    def _portal_import(self, content, filename, user):
        """Import the guide's spreadsheet ``content`` sent by ``user``, a
        member, with the staff's import wizard (the same reader, the same
        checks, the same messages), and tell the chatter who imported what.

        ``self`` is the guide read with sudo by the portal controller after
        its access check; this checks again that it belongs to the user's
        organisation (else AccessError) and is not closed. Nothing is
        written when the file has any error.

        :return: ``(counts, errors)``: what changed (see
            ``ess.guide.year.import``), and the messages of the errors, one
            by row and column; no errors when imported
        """
        self.ensure_one()
        errors = self._portal_check_open(user)
        if errors:
            return None, [errors["form"]]
        guide = self.with_user(user).sudo()
        Import = guide.env["ess.guide.year.import"]

        def post(record, summary, attachments):
            record.message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._("Spreadsheet imported through the portal by %s.", user.name),
                    summary,
                ),
                attachments=attachments,
                author_id=user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

        try:
            with self.env.cr.savepoint():
                counts = Import._ess_import(guide, content, filename, post=post)
        except SpreadsheetErrors as error:
            return None, error.messages
        except (UserError, ValidationError) as error:
            return None, [str(error.args[0])]
        return counts, []
