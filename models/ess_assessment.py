import os
import re
import statistics
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

ASSESSMENT_STATES = [
    ("draft", "To fill in"),
    ("done", "Completed"),
]

ASSESSMENT_KINDS = [
    ("self", "Self-assessment"),
    ("peer", "Peer evaluation"),
]

# Below this number of organisations, the network's figures of a theme are
# not shown: they would let an organisation recognise another one.
BENCHMARK_MIN_ORGANISATIONS = 5
# A domain scoring below this share is a progress area.
PROGRESS_AREA_THRESHOLD = 50.0
PROGRESS_AREA_COUNT = 3

# What a member may post from the portal grid (see ``_portal_save``):
# ``answer_<id>_level``, ``answer_<id>_na``, ``answer_<id>_comment``,
# ``answer_<id>_remove_<attachment id>`` and files in ``answer_<id>_evidence``.
PORTAL_ANSWER_KEY = re.compile(r"^answer_(\d{1,18})_(level|na|comment|remove_(\d{1,18}))$")
PORTAL_EVIDENCE_KEY = re.compile(r"^answer_(\d{1,18})_evidence$")
PORTAL_COMMENT_LIMIT = 2000
# Evidence files: size of one file, files per question, files per post.
EVIDENCE_MAX_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 10
EVIDENCE_MAX_UPLOADS = 10
EVIDENCE_NAME_LIMIT = 200
# Accepted evidence, by extension: the mimetype it is stored with, and the
# first bytes its content must start with (None: a text without NUL byte).
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_OOXML = "application/vnd.openxmlformats-officedocument."
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".ppt": ("application/vnd.ms-powerpoint", _OLE),
    ".docx": (_OOXML + "wordprocessingml.document", _ZIP),
    ".xlsx": (_OOXML + "spreadsheetml.sheet", _ZIP),
    ".pptx": (_OOXML + "presentationml.presentation", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
}


class EssAssessment(models.Model):
    """The self-assessment grid of a member organisation for a period (a
    year), or the grid a peer fills in during a cross-evaluation: one answer
    per question of the guide, scores per domain, theme and overall."""

    _name = "ess.assessment"
    _description = "Self-assessment"
    _inherit = [
        "ess.organisation.year.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "year desc, partner_id, id desc"
    _rec_names_search = ["partner_id"]

    # Not stored: it reads in the language of whoever looks at it.
    name = fields.Char(compute="_compute_name")
    year = fields.Integer("Period")
    kind = fields.Selection(ASSESSMENT_KINDS, required=True, default="self", readonly=True)
    evaluation_id = fields.Many2one(
        "ess.evaluation",
        "Cross-evaluation",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    state = fields.Selection(
        ASSESSMENT_STATES, "Status", default="draft", required=True, tracking=True
    )
    date_done = fields.Date("Completed on", readonly=True, copy=False)
    answer_ids = fields.One2many("ess.assessment.answer", "assessment_id", "Answers")
    score_ids = fields.One2many("ess.assessment.score", "assessment_id", "Scores")
    theme_score_ids = fields.One2many(
        "ess.assessment.score",
        "assessment_id",
        "Scores per theme",
        domain=[("scope", "=", "theme")],
    )
    domain_score_ids = fields.One2many(
        "ess.assessment.score",
        "assessment_id",
        "Scores per domain",
        domain=[("scope", "=", "domain")],
    )
    score = fields.Float("Overall score (%)", readonly=True, aggregator="avg")
    question_count = fields.Integer("Questions", readonly=True)
    answered_count = fields.Integer("Answered", readonly=True)
    completion = fields.Integer("Completion (%)", compute="_compute_completion")
    progress_area_ids = fields.Many2many(
        "ess.assessment.score", compute="_compute_progress_areas", string="Progress areas"
    )
    action_ids = fields.One2many("ess.action", "assessment_id", "Actions")
    scores_chart = fields.Html(compute="_compute_scores_chart", sanitize=False)
    benchmark_table = fields.Html("Benchmark", compute="_compute_benchmark_table", sanitize=False)

    _sql_constraints = [
        (
            "question_counts",
            "check(answered_count <= question_count)",
            "An assessment cannot have more answers than questions.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id.name", "year", "kind", "evaluation_id")
    def _compute_name(self):
        for assessment in self:
            if assessment.kind == "peer":
                assessment.name = self.env._(
                    "Peer evaluation %(year)s – %(organisation)s",
                    year=assessment.year,
                    organisation=assessment.partner_id.name or "",
                )
            else:
                assessment.name = self.env._(
                    "Self-assessment %(year)s – %(organisation)s",
                    year=assessment.year,
                    organisation=assessment.partner_id.name or "",
                )

    @api.depends("question_count", "answered_count")
    def _compute_completion(self):
        for assessment in self:
            assessment.completion = (
                round(100 * assessment.answered_count / assessment.question_count)
                if assessment.question_count
                else 0
            )

    @api.depends("domain_score_ids.score", "domain_score_ids.applicable_count")
    def _compute_progress_areas(self):
        for assessment in self:
            scored = assessment.domain_score_ids.filtered(
                lambda s: s.answered_count and s.score < PROGRESS_AREA_THRESHOLD
            )
            assessment.progress_area_ids = scored.sorted(lambda s: (s.score, s.id))[
                :PROGRESS_AREA_COUNT
            ]

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for assessment in self:
            assessment.access_url = f"/my/assessments/{assessment.id}"

    @api.depends("theme_score_ids.score")
    def _compute_scores_chart(self):
        for assessment in self:
            assessment.scores_chart = assessment._scores_svg()

    def _compute_benchmark_table(self):
        for assessment in self:
            assessment.benchmark_table = assessment._benchmark_html()

    # --------------------------------------------------------------- constraints
    @api.constrains("partner_id", "year", "kind")
    def _check_unique_self_assessment(self):
        for assessment in self.filtered(lambda a: a.kind == "self"):
            if self.search_count(
                [
                    ("partner_id", "=", assessment.partner_id.id),
                    ("year", "=", assessment.year),
                    ("kind", "=", "self"),
                    ("id", "!=", assessment.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(organisation)s already has a self-assessment for %(year)s.",
                        organisation=assessment.partner_id.name,
                        year=assessment.year,
                    )
                )

    # ---------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        assessments = super().create(vals_list)
        questions = {
            company: self.env["ess.guide.question"]._network_search(
                company, [("domain_id.active", "=", True)]
            )
            for company in assessments.company_id
        }
        self.env["ess.assessment.answer"].create(
            [
                {"assessment_id": assessment.id, "question_id": question.id}
                for assessment in assessments
                for question in questions[assessment.company_id] - assessment.answer_ids.question_id
            ]
        )
        assessments._update_scores()
        return assessments

    def _check_editable(self):
        """A completed grid is read-only, but for network administrators."""
        if self.env.su or self.env.user.has_group("ess_network.group_ess_manager"):
            return
        done = self.filtered(lambda a: a.state == "done")
        if done:
            raise UserError(
                self.env._("%s is completed: reopen it to change its answers.", done[0].name)
            )

    # -------------------------------------------------------------------- scores
    def _update_scores(self):
        """Recompute the stored scores per domain and theme and the overall
        score from the answers. A question not applicable leaves the
        denominators; a question not answered yet does not count either."""
        Score = self.env["ess.assessment.score"].sudo()
        answers = (
            self.env["ess.assessment.answer"]
            .sudo()
            .search_read(
                [("assessment_id", "in", self.ids)],
                [
                    "assessment_id",
                    "theme_id",
                    "domain_id",
                    "score",
                    "is_answered",
                    "not_applicable",
                ],
                load=None,
            )
        )
        totals = defaultdict(lambda: [0.0, 0, 0])  # sum of scores, scored, applicable
        for answer in answers:
            keys = [
                (answer["assessment_id"], "overall", False),
                (answer["assessment_id"], "theme", answer["theme_id"]),
                (answer["assessment_id"], "domain", answer["domain_id"]),
            ]
            for key in keys:
                total = totals[key]
                if not answer["not_applicable"]:
                    total[2] += 1
                    if answer["is_answered"]:
                        total[0] += answer["score"]
                        total[1] += 1
        existing = {
            (
                score.assessment_id.id,
                score.scope,
                (score.theme_id if score.scope == "theme" else score.domain_id).id,
            ): score
            for score in Score.search([("assessment_id", "in", self.ids)])
        }
        to_create = []
        for (assessment_id, scope, target), (total, scored, applicable) in totals.items():
            if scope == "overall":
                continue
            vals = {
                "score": total / scored if scored else 0.0,
                "answered_count": scored,
                "applicable_count": applicable,
            }
            score = existing.pop((assessment_id, scope, target), None)
            if score:
                if any(score[name] != value for name, value in vals.items()):
                    score.write(vals)
            else:
                to_create.append(
                    {
                        "assessment_id": assessment_id,
                        "scope": scope,
                        "theme_id" if scope == "theme" else "domain_id": target,
                        **vals,
                    }
                )
        Score.create(to_create)
        if existing:
            Score.browse([score.id for score in existing.values()]).unlink()
        counts = defaultdict(lambda: [0, 0])
        for answer in answers:
            counts[answer["assessment_id"]][0] += 1
            counts[answer["assessment_id"]][1] += answer["is_answered"]
        for assessment in self:
            total, scored, _applicable = totals.get((assessment.id, "overall", False), (0, 0, 0))
            question_count, answered_count = counts.get(assessment.id, (0, 0))
            assessment.sudo().write(
                {
                    "score": total / scored if scored else 0.0,
                    "question_count": question_count,
                    "answered_count": answered_count,
                }
            )

    # ------------------------------------------------------------------ actions
    def action_done(self):
        for assessment in self:
            if assessment.state == "done":
                raise UserError(self.env._("%s is already completed.", assessment.name))
            if not assessment.answered_count:
                raise UserError(
                    self.env._(
                        "Answer at least one question before completing %s.", assessment.name
                    )
                )
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})

    def action_reopen(self):
        self.write({"state": "draft", "date_done": False})

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_action_action")
        action.update(
            domain=[("assessment_id", "=", self.id)],
            context={
                "default_assessment_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_origin": "self_assessment",
            },
        )
        return action

    # ----------------------------------------------------------------- benchmark
    def _benchmark(self):
        """The organisation's score per theme beside the network's average,
        standard deviation, lowest and highest for the same period, from the
        completed self-assessments of the other organisations of its network
        too (never those of another network of the federation). A theme
        scored by fewer than ``BENCHMARK_MIN_ORGANISATIONS`` organisations
        shows no network figure at all, so that nobody can be recognised.

        :return: a list of dicts, one per theme of the reference
        """
        self.ensure_one()
        Score = self.env["ess.assessment.score"].sudo()
        rows = Score.search_read(
            [
                ("scope", "=", "theme"),
                ("company_id", "=", self.company_id.id),
                ("year", "=", self.year),
                ("kind", "=", "self"),
                ("state", "=", "done"),
                ("answered_count", ">", 0),
            ],
            ["theme_id", "score", "partner_id"],
            load=None,
        )
        by_theme = defaultdict(dict)
        for row in rows:
            by_theme[row["theme_id"]][row["partner_id"]] = row["score"]
        own = {score.theme_id.id: score for score in self.theme_score_ids}
        result = []
        for theme in self.env["ess.guide.theme"]._network_search(self.company_id):
            scores = list(by_theme.get(theme.id, {}).values())
            shown = len(scores) >= BENCHMARK_MIN_ORGANISATIONS
            own_score = own.get(theme.id)
            result.append(
                {
                    "theme": theme,
                    "score": own_score.score if own_score and own_score.answered_count else None,
                    "count": len(scores) if shown else 0,
                    "average": statistics.fmean(scores) if shown else None,
                    "stdev": statistics.pstdev(scores) if shown else None,
                    "minimum": min(scores) if shown else None,
                    "maximum": max(scores) if shown else None,
                }
            )
        return result

    def _benchmark_html(self):
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "ess_network.assessment_benchmark_table",
            {"rows": self._benchmark(), "assessment": self},
        )

    # -------------------------------------------------------------------- charts
    def _scores_svg(self):
        """Horizontal bars of the score per theme, as an SVG picture shown in
        the back end and the portal alike."""
        self.ensure_one()
        scores = {score.theme_id: score for score in self.theme_score_ids}
        themes = self.env["ess.guide.theme"]._network_search(self.company_id)
        bar_left, bar_width, row_height = 230, 360, 30
        height = row_height * len(themes) + 30
        parts = [
            Markup(
                '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="o_ess_scores_chart" '
                'viewBox="0 0 {w} {h}" width="100%" style="max-width: {w}px" '
                'font-family="sans-serif" font-size="12">'
            ).format(w=bar_left + bar_width + 60, h=height)
        ]
        parts.append(Markup("<title>%s</title>") % self.env._("Score per theme"))
        for tick in (0, 25, 50, 75, 100):
            x = bar_left + bar_width * tick / 100
            parts.append(
                Markup(
                    '<line x1="{x}" y1="0" x2="{x}" y2="{y}" stroke="#dee2e6"/>'
                    '<text x="{x}" y="{t}" text-anchor="middle" fill="#6c757d">{tick} %</text>'
                ).format(x=x, y=height - 22, t=height - 6, tick=tick)
            )
        for index, theme in enumerate(themes):
            y = index * row_height + 4
            score = scores.get(theme)
            value = score.score if score and score.answered_count else None
            label = f"{theme.code}. {theme.short_name or theme.name}"
            parts.append(
                Markup(
                    '<text x="{x}" y="{y}" text-anchor="end" fill="#212529">{label}</text>'
                ).format(x=bar_left - 8, y=y + 16, label=escape(label[:34]))
            )
            if value is None:
                parts.append(
                    Markup('<text x="{x}" y="{y}" fill="#6c757d">{text}</text>').format(
                        x=bar_left + 4, y=y + 16, text=self.env._("not assessed")
                    )
                )
                continue
            color = "#dc3545" if value < 34 else "#fd7e14" if value < 67 else "#198754"
            parts.append(
                Markup(
                    '<rect x="{x}" y="{y}" width="{w:.1f}" height="20" rx="3" fill="{c}"/>'
                    '<text x="{tx:.1f}" y="{ty}" fill="#212529">{v:.0f} %</text>'
                ).format(
                    x=bar_left,
                    y=y + 2,
                    w=bar_width * value / 100,
                    c=color,
                    tx=bar_left + bar_width * value / 100 + 6,
                    ty=y + 16,
                    v=value,
                )
            )
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    # --------------------------------------------------------------------- portal
    def _portal_check_organisation(self, user):
        """Raise AccessError unless this self-assessment belongs to the
        organisation of ``user``, a member."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        if not organisation or self.partner_id != organisation or self.kind != "self":
            raise AccessError(self.env._("This self-assessment belongs to another organisation."))

    def _portal_is_editable_by(self, user):
        """Whether ``user``, a member, may fill in this grid from the portal."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        return (
            bool(organisation)
            and self.partner_id == organisation
            and self.kind == "self"
            and self.state == "draft"
        )

    def _portal_grid(self):
        """The grid as its portal page shows it: the answers grouped by theme
        and domain of action, in the reference order, as
        ``[(theme, theme_score, [(domain, [answers])])]``.

        Reads in batch (answers, then their questions, domains, themes and
        scores once each): the number of queries does not grow with the number
        of questions."""
        self.ensure_one()
        theme_scores = {score.theme_id: score for score in self.theme_score_ids}
        sections, by_theme = [], {}
        for answer in self.answer_ids:
            theme, domain = answer.theme_id, answer.domain_id
            if theme not in by_theme:
                by_theme[theme] = {}
                sections.append((theme, theme_scores.get(theme), by_theme[theme]))
            by_theme[theme].setdefault(domain, []).append(answer)
        return [(theme, score, list(domains.items())) for theme, score, domains in sections]

    def _portal_evidence(self):
        """The evidence files of every answer, read in one query: a dict
        ``{answer id: [attachment values]}``, each with its id, name,
        mimetype and size."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT rel.answer_id, att.id, att.name, att.mimetype, att.file_size
              FROM ess_assessment_answer_attachment_rel rel
              JOIN ess_assessment_answer answer ON answer.id = rel.answer_id
              JOIN ir_attachment att ON att.id = rel.attachment_id
             WHERE answer.assessment_id = %s
             ORDER BY att.id
            """,
            [self.id],
        )
        evidence = defaultdict(list)
        for answer_id, attachment_id, name, mimetype, size in self.env.cr.fetchall():
            evidence[answer_id].append(
                {"id": attachment_id, "name": name, "mimetype": mimetype, "size": size or 0}
            )
        return evidence

    def _portal_evidence_attachment(self, attachment_id):
        """The evidence file ``attachment_id`` if it belongs to an answer of
        this assessment, read with sudo; else an empty recordset."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT rel.attachment_id
              FROM ess_assessment_answer_attachment_rel rel
              JOIN ess_assessment_answer answer ON answer.id = rel.answer_id
             WHERE answer.assessment_id = %s AND rel.attachment_id = %s
             LIMIT 1
            """,
            [self.id, attachment_id],
        )
        row = self.env.cr.fetchone()
        return self.env["ir.attachment"].sudo().browse(row[0] if row else [])

    def _portal_form_values(self):
        """What the portal grid shows in each of its fields, by field name
        (``answer_<id>_level``, ``answer_<id>_na``, ``answer_<id>_comment``),
        as text."""
        self.ensure_one()
        values = {}
        for answer in self.answer_ids:
            key = f"answer_{answer.id}_"
            values[f"{key}level"] = str(answer.level_id.id) if answer.level_id else ""
            values[f"{key}na"] = "1" if answer.not_applicable else "0"
            values[f"{key}comment"] = answer.comment or ""
        return values

    @api.model
    def _portal_evidence_mimetype(self, filename, content):
        """The mimetype an evidence file is stored with when its name and
        content are of an accepted kind (PDF, image, office document, text),
        else None."""
        extension = os.path.splitext(filename)[1].lower()
        if extension not in EVIDENCE_TYPES:
            return None
        mimetype, signatures = EVIDENCE_TYPES[extension]
        if signatures is None:
            return None if b"\0" in content else mimetype
        if not content.startswith(signatures):
            return None
        if extension == ".webp" and content[8:12] != b"WEBP":
            return None
        return mimetype

    @api.model
    def _portal_clean_filename(self, filename):
        """The name of an uploaded file without its client-side path nor
        control characters, at most ``EVIDENCE_NAME_LIMIT`` characters."""
        name = os.path.basename((filename or "").replace("\\", "/"))
        name = "".join(char for char in name if char.isprintable()).strip()
        if len(name) > EVIDENCE_NAME_LIMIT:
            stem, extension = os.path.splitext(name)
            name = stem[: EVIDENCE_NAME_LIMIT - len(extension)] + extension
        return name

    def _portal_save(self, values, files, user):
        """Save what ``user``, a member, posted from the portal grid of this
        self-assessment: levels, "not applicable", comments, evidence files
        added and removed; recompute the scores and tell the chatter.

        ``self`` is the assessment read with sudo by the portal controller
        after its access check. This checks again that the assessment belongs
        to the user's organisation (else AccessError) and is not completed,
        validates every posted value and file and writes nothing at all when
        anything is wrong. Only the posted fields are saved.

        :param dict values: the posted form (``answer_<id>_<field>`` keys;
            other keys are ignored)
        :param dict files: the uploaded files by form field name
            (``answer_<id>_evidence``), each a list of ``(filename, content)``
        :param user: the portal user who posts
        :return: the errors by form field name (``form`` for the whole
            form); empty when saved
        :rtype: dict
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        if self.state != "draft":
            return {
                "form": self.env._(
                    "This self-assessment is completed: it can no longer be changed."
                )
            }
        changes, uploads, removals, errors = self._portal_parse(values, files)
        if errors:
            return errors
        if not changes and not uploads and not removals:
            return {}
        assessment = self.with_user(user).sudo()
        Answer = assessment.env["ess.assessment.answer"]
        try:
            with self.env.cr.savepoint():
                groups = defaultdict(list)
                for answer, vals in changes.items():
                    groups[tuple(sorted(vals.items()))].append(answer.id)
                for vals, answer_ids in groups.items():
                    Answer.browse(answer_ids).write(dict(vals))
                attachments = assessment.env["ir.attachment"].create(
                    [
                        {
                            "name": filename,
                            "raw": content,
                            "mimetype": mimetype,
                            "res_model": Answer._name,
                            "res_id": answer.id,
                        }
                        for answer, filename, content, mimetype in uploads
                    ]
                )
                links = defaultdict(list)
                for (answer, *_file), attachment in zip(uploads, attachments, strict=True):
                    links[answer].append(Command.link(attachment.id))
                for answer, removed in removals.items():
                    links[answer] += [Command.unlink(attachment.id) for attachment in removed]
                for answer, commands in links.items():
                    answer.with_env(assessment.env).write({"attachment_ids": commands})
                removed_names = [a.name for removed in removals.values() for a in removed]
                for removed in removals.values():
                    removed.with_env(assessment.env).unlink()
                assessment._portal_post_changes(user, changes, attachments, removed_names)
        except (UserError, ValidationError) as error:
            return {"form": str(error.args[0])}
        return {}

    def _portal_parse(self, values, files):
        """Validate a portal post against this grid.

        :return: ``(changes, uploads, removals, errors)``: the values to
            write by answer (only what differs from the database), the files
            to add as ``(answer, filename, content, mimetype)``, the
            attachments to remove by answer, and the errors by form field name
        """
        self.ensure_one()
        answers = {answer.id: answer for answer in self.answer_ids}
        levels = {
            str(level.id): level for level in self.env["ess.maturity.level"].sudo().search([])
        }
        unknown_field = self.env._(
            "The form holds values that are not part of this grid: reload the page and try again."
        )
        posted, to_remove, errors = defaultdict(dict), defaultdict(set), {}
        for key, raw in values.items():
            match = PORTAL_ANSWER_KEY.match(key)
            if not match:
                continue
            answer_id = int(match.group(1))
            if answer_id not in answers or not isinstance(raw, str):
                errors["form"] = unknown_field
            elif match.group(3):
                if raw.strip().lower() in ("1", "on", "true"):
                    to_remove[answer_id].add(int(match.group(3)))
            else:
                posted[answer_id][match.group(2)] = raw

        changes = {}
        for answer_id, fields_posted in posted.items():
            answer, key, vals = answers[answer_id], f"answer_{answer_id}_", {}
            if "na" in fields_posted:
                flag = fields_posted["na"].strip().lower()
                if flag in ("1", "on", "true"):
                    vals["not_applicable"] = True
                elif flag in ("", "0", "off", "false"):
                    vals["not_applicable"] = False
                else:
                    errors[f"{key}na"] = self.env._("Tick or untick the box.")
            if "level" in fields_posted:
                level_key = fields_posted["level"].strip()
                if not level_key:
                    vals["level_id"] = False
                elif level_key in levels:
                    vals["level_id"] = levels[level_key].id
                else:
                    errors[f"{key}level"] = self.env._("Choose a level of the scale.")
            if vals.get("not_applicable"):
                vals["level_id"] = False
            elif vals.get("level_id") and answer.not_applicable and "not_applicable" not in vals:
                # choosing a level makes the question applicable again
                vals["not_applicable"] = False
            if "comment" in fields_posted:
                comment = fields_posted["comment"].replace("\r\n", "\n").strip()
                if len(comment) > PORTAL_COMMENT_LIMIT:
                    errors[f"{key}comment"] = self.env._(
                        "At most %s characters.", PORTAL_COMMENT_LIMIT
                    )
                vals["comment"] = comment or False
            current = {
                "level_id": answer.level_id.id,
                "not_applicable": answer.not_applicable,
                "comment": answer.comment or False,
            }
            if diff := {name: value for name, value in vals.items() if current[name] != value}:
                changes[answer] = diff

        removals = {}
        for answer_id, attachment_ids in to_remove.items():
            answer = answers[answer_id]
            if not attachment_ids <= set(answer.attachment_ids.ids):
                errors["form"] = unknown_field
                continue
            removals[answer] = self.env["ir.attachment"].browse(sorted(attachment_ids))

        uploads, upload_count = [], 0
        for key, uploaded in (files or {}).items():
            match = PORTAL_EVIDENCE_KEY.match(key)
            if not match or int(match.group(1)) not in answers:
                errors["form"] = unknown_field
                continue
            answer = answers[int(match.group(1))]
            kept = len(answer.attachment_ids) - len(removals.get(answer, ()))
            problems = []
            if kept + len(uploaded) > EVIDENCE_MAX_FILES:
                problems.append(self.env._("At most %s files per question.", EVIDENCE_MAX_FILES))
            for filename, content in uploaded:
                name = self._portal_clean_filename(filename)
                mimetype = self._portal_evidence_mimetype(name, content)
                if not content:
                    problems.append(self.env._("%s is empty.", name or "?"))
                elif len(content) > EVIDENCE_MAX_SIZE:
                    problems.append(
                        self.env._(
                            "%(file)s is larger than %(size)s MB.",
                            file=name,
                            size=EVIDENCE_MAX_SIZE // (1024 * 1024),
                        )
                    )
                elif not name or not mimetype:
                    problems.append(
                        self.env._(
                            "%s is not an accepted kind of file: send a PDF, an image (PNG, "
                            "JPEG, GIF, WebP), an office document or a text file.",
                            name or "?",
                        )
                    )
                else:
                    uploads.append((answer, name, content, mimetype))
            upload_count += len(uploaded)
            if problems:
                errors[key] = " ".join(problems)
        if upload_count > EVIDENCE_MAX_UPLOADS:
            errors["form"] = self.env._(
                "At most %s files at once: save, then send the others.", EVIDENCE_MAX_UPLOADS
            )
        return changes, uploads, removals, errors

    def _portal_post_changes(self, user, changes, attachments, removed_names):
        """Tell the chatter what a member changed through the portal."""
        self.ensure_one()

        def names(items):
            items = list(items)
            return ", ".join(items[:20]) + (", …" if len(items) > 20 else "")

        items = []
        if changes:
            items.append(
                self.env._(
                    "Answers: %(count)s (%(codes)s)",
                    count=len(changes),
                    codes=names(answer.question_id.code for answer in changes),
                )
            )
        if attachments:
            items.append(self.env._("Evidence added: %s", names(attachments.mapped("name"))))
        if removed_names:
            items.append(self.env._("Evidence removed: %s", names(removed_names)))
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("Updated through the portal by %s.", user.name),
                Markup().join(Markup("<li>%s</li>") % item for item in items),
            ),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def _portal_start(self, user):
        """This year's self-assessment of the organisation of ``user``, a
        member: the existing one, else a new one started now.

        :return: the assessment, with sudo
        """
        organisation = user.commercial_partner_id
        if not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation can start a self-assessment.")
            )
        year = fields.Date.context_today(self.with_user(user)).year
        domain = [("partner_id", "=", organisation.id), ("year", "=", year), ("kind", "=", "self")]
        existing = self.sudo().search(domain, limit=1)
        if existing:
            return existing
        assessment = (
            self.with_user(user)
            .sudo()
            .with_context(mail_create_nolog=True)
            .create({"partner_id": organisation.id, "year": year, "kind": "self"})
        )
        assessment.message_post(
            body=self.env._("Started through the portal by %s.", user.name),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return self.sudo().browse(assessment.id)

    def _portal_complete(self, user):
        """Mark this self-assessment as completed, as ``user`` asked from the
        portal.

        :return: the errors (``form``); empty when done
        :rtype: dict
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        assessment = self.with_user(user).sudo()
        try:
            with self.env.cr.savepoint():
                assessment.action_done()
                assessment._track_set_author(user.partner_id)
                assessment.message_post(
                    body=self.env._("Marked as completed through the portal by %s.", user.name),
                    author_id=user.partner_id.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        except (UserError, ValidationError) as error:
            return {"form": str(error.args[0])}
        return {}

    def _portal_actions_by_domain(self):
        """The actions already created from this assessment, by domain id."""
        self.ensure_one()
        actions = self.env["ess.action"].sudo().search([("assessment_id", "=", self.id)])
        return {action.domain_id.id: action for action in actions if action.domain_id}

    def _portal_create_action(self, score_id, user):
        """Turn the progress area ``score_id`` of this self-assessment into
        an action of the organisation's action plan, as ``user`` asked from
        the portal.

        :return: ``(action, errors)``: the action created, or the errors
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        score = self.progress_area_ids.filtered(lambda s: s.id == score_id)
        if not score:
            return self.env["ess.action"], {
                "form": self.env._("This domain is not one of the progress areas of this grid.")
            }
        try:
            with self.env.cr.savepoint():
                result = score.with_user(user).sudo().action_create_action()
        except (UserError, ValidationError) as error:
            return self.env["ess.action"], {"form": str(error.args[0])}
        return self.env["ess.action"].sudo().browse(result["res_id"]), {}
