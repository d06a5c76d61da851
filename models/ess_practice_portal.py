import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.inputs import InputError
from ..tools.uploads import DOCUMENT, MAX_SIZE, PICTURE

# What a member writes on a sheet it proposes from the portal.
PROPOSAL_FIELDS = (
    "name",
    "description",
    "theme_id",
    "domain_id",
    "kind_ids",
    "source_named",
    "guide_year_theme_id",
)
# Documents of one sheet; the picture and each document weigh at most
# PRACTICE_MAX_SIZE bytes.
PRACTICE_MAX_DOCUMENTS = 10
PRACTICE_MAX_SIZE = MAX_SIZE
# The states in which the organisation that proposes a sheet may change it.
OPEN_STATES = ("draft", "returned")


class EssPracticePortal(models.Model):
    """What a member organisation does with the good-practice library from
    the portal: propose a sheet (often one of the good practices of its
    guide year), and change a sheet the network returned to it, then
    propose it again. Each method checks the organisation and every value
    again, and writes nothing when anything is wrong."""

    _inherit = "ess.practice"

    # ------------------------------------------------------------- ownership
    def _portal_is_open(self):
        return self.state in OPEN_STATES

    def _portal_closed_message(self):
        return self.env._(
            "This sheet is being reviewed by the network or is published: it can no longer be "
            "changed from the portal."
        )

    @api.model
    def _portal_theme_line(self, user, theme_line_id):
        """The theme ``theme_line_id`` of a guide year of the organisation
        of ``user``, read with sudo, or an empty recordset when it is not
        one of its own."""
        organisation = user.commercial_partner_id
        line = self.env["ess.guide.year.theme"].sudo().browse(theme_line_id or []).exists()
        if not organisation or not line or line.partner_id != organisation:
            return self.env["ess.guide.year.theme"].sudo()
        return line

    @api.model
    def _portal_organisation_sheets(self, user):
        """The sheets the organisation of ``user`` proposed (every state),
        read with sudo, newest first."""
        organisation = user.commercial_partner_id
        if not organisation:
            return self.sudo().browse()
        return self.sudo().search(
            [("partner_id", "=", organisation.id)], order="create_date desc, id desc"
        )

    # ---------------------------------------------------------------- library
    @api.model
    def _portal_library_domain(self, terms=None, theme=None, domain=None, kind=None):
        """The published sheets a reader of the portal's library finds with
        the words ``terms`` and the filters (ids) chosen."""
        return [("state", "=", "published"), *self._library_domain(terms, theme, domain, kind)]

    def _portal_library_rows(self):
        """Read at once what the library's list shows of these sheets:
        their title, theme, domain of action and kinds of organisation."""
        self.read(["name", "theme_id", "domain_id", "kind_ids"])
        self.theme_id.read(["name", "short_name"])
        self.domain_id.read(["code", "name"])
        self.kind_ids.read(["name"])
        return self

    # ---------------------------------------------------------------- checks
    @api.model
    def _portal_proposal_problems(self, user, vals, files, practice=None):
        """Why ``vals`` and ``files`` cannot make or change a sheet of the
        organisation of ``user``: the errors by form field (``form`` for
        the whole form), empty when all is right.

        ``vals`` may set the theme from the domain of action chosen."""
        env = self.env
        errors = {}
        creating = not practice
        if creating or "name" in vals:
            if not vals.get("name"):
                errors["name"] = env._("Give the sheet a title.")
        if creating or "description" in vals:
            if not vals.get("description"):
                errors["description"] = env._(
                    "Write the text of the sheet: what your organisation did, how, and what came "
                    "of it."
                )
        theme = env["ess.guide.theme"]
        if vals.get("theme_id"):
            theme = theme.with_user(user).search([("id", "=", vals["theme_id"])])
            if not theme:
                errors["theme_id"] = env._("Choose a theme of the guide in the list.")
        if vals.get("domain_id"):
            domain = (
                env["ess.guide.domain"].with_user(user).search([("id", "=", vals["domain_id"])])
            )
            if not domain:
                errors["domain_id"] = env._("Choose a domain of action of the guide in the list.")
            elif theme and domain.theme_id != theme:
                errors["domain_id"] = env._(
                    "This domain of action belongs to another theme than the one chosen."
                )
            elif not theme and "theme_id" not in errors:
                vals["theme_id"] = domain.theme_id.id
        if vals.get("kind_ids"):
            kinds = (
                env["ess.organisation.kind"]
                .with_user(user)
                .search([("id", "in", vals["kind_ids"])])
            )
            if len(kinds) != len(set(vals["kind_ids"])):
                errors["kind_ids"] = env._("Choose kinds of organisation in the list.")
        if vals.get("guide_year_theme_id"):
            if not self._portal_theme_line(user, vals["guide_year_theme_id"]):
                errors["guide_year_theme_id"] = env._(
                    "These good practices are not those of one of your organisation's guide years."
                )
        files = files or {}
        if files.get("image"):
            filename, content = files["image"]
            try:
                PICTURE.check(env, filename, content, PRACTICE_MAX_SIZE)
            except InputError as error:
                errors["image"] = error.args[0]
        documents = files.get("documents") or []
        problems = []
        kept = len(practice.attachment_ids) if practice else 0
        if kept + len(documents) > PRACTICE_MAX_DOCUMENTS:
            problems.append(env._("At most %s documents per sheet.", PRACTICE_MAX_DOCUMENTS))
        for filename, content in documents:
            try:
                DOCUMENT.check(env, filename, content, PRACTICE_MAX_SIZE)
            except InputError as error:
                problems.append(error.args[0])
        if problems:
            errors["documents"] = " ".join(problems)
        return errors

    # ---------------------------------------------------------------- saving
    @api.model
    def _portal_propose(self, user, vals, files=None):
        """Propose a sheet to the network's library as ``user``, a member,
        asked from the portal: a new sheet of its organisation when ``self``
        is empty, else ``self`` (a sheet of its organisation the network
        returned, read with sudo after the controller's access check)
        changed as ``vals`` says and proposed again.

        :param dict vals: typed values by field name (``PROPOSAL_FIELDS``):
            ``name``, ``description`` (HTML), ``theme_id``, ``domain_id``,
            ``guide_year_theme_id`` (ids), ``kind_ids`` (a list of ids),
            ``source_named`` (bool)
        :param dict files: ``image``: the picture ``(filename, content)``;
            ``documents``: a list of ``(filename, content)`` to add
        :return: ``(sheet, errors)``: the sheet proposed (with sudo), or an
            empty recordset and the errors by field name (``form`` for the
            whole form); nothing is written when there are errors
        :raises AccessError: when ``user`` is not the user of a member
            organisation, ``self`` is not a sheet of its organisation, or
            ``vals`` holds other fields
        """
        organisation = user.commercial_partner_id
        if not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation can propose a sheet.")
            )
        if not set(vals) <= set(PROPOSAL_FIELDS):
            raise AccessError(self.env._("A sheet is proposed by your organisation."))
        vals = dict(vals)
        practice = self.sudo()
        empty = self.sudo().browse()
        if practice:
            practice.ensure_one()
            errors = practice._portal_check_open(user)
            if errors:
                return empty, errors
            if practice.guide_year_theme_id and "guide_year_theme_id" in vals:
                del vals["guide_year_theme_id"]  # a sheet keeps where it came from
        errors = self._portal_proposal_problems(user, vals, files, practice)
        if errors:
            return empty, errors
        files = files or {}
        write_vals = {
            **(practice._portal_differences(practice, vals) if practice else vals),
            "proposed_by_id": user.id,
            "date_proposed": fields.Datetime.now(),
        }
        if files.get("image"):
            write_vals["image_1920"] = base64.b64encode(files["image"][1])
        if "kind_ids" in write_vals:
            write_vals["kind_ids"] = [(6, 0, sorted(set(write_vals["kind_ids"])))]
        try:
            with self.env.cr.savepoint():
                Practice = self.env["ess.practice"].with_user(user).sudo()
                if practice:
                    sheet = practice.with_env(Practice.env)
                    sheet.write(write_vals)
                    intro = self.env._(
                        "Changed and proposed again through the portal by %s.", user.name
                    )
                else:
                    sheet = Practice.with_context(mail_create_nolog=True).create(
                        {
                            **write_vals,
                            "partner_id": organisation.id,
                            # the organisation's network: never a sheet shared
                            # by every network before the staff publish it
                            "company_id": (organisation.company_id or user.company_id).id,
                            "state": "draft",
                        }
                    )
                    intro = self.env._("Proposed through the portal by %s.", user.name)
                documents = files.get("documents") or []
                if documents:
                    attachments = Practice.env["ir.attachment"].create(
                        [
                            {
                                "name": filename,
                                "raw": content,
                                "res_model": "ess.practice",
                                "res_id": sheet.id,
                            }
                            for filename, content in documents
                        ]
                    )
                    sheet.write({"attachment_ids": [(4, att.id) for att in attachments]})
                items = [
                    self.env._("Document added: %s", filename) for filename, _content in documents
                ]
                sheet._portal_post_changes(user, intro, items)
                sheet._portal_submit()
        except (UserError, ValidationError) as error:
            return empty, {"form": str(error.args[0])}
        return empty.browse(sheet.id), {}

    def _portal_submit(self):
        """Hand the sheet to the network's moderation (``action_propose``:
        proposed, its moderator's activity), unless changing a returned
        sheet already did."""
        todo = self.filtered(lambda practice: practice.state in OPEN_STATES)
        if todo:
            todo.action_propose()
