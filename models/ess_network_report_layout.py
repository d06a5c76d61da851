from odoo import api, models

from .ess_network_report import HIDDEN_COUNT, HIDDEN_FIGURE


class EssNetworkReport(models.AbstractModel):
    """The network's annual report as it is laid out: the figures of
    ``_ess_figures`` (models/ess_network_report.py, what is counted and
    what is hidden) turned into the tables and parts that the PDF and the
    spreadsheet both print."""

    _inherit = "ess.network.report"

    @api.model
    def _ess_sections(self, figures):
        """The report's tables, as the PDF and the spreadsheet show them:
        ``[{"title", "note", "columns", "rows", "percent"}]``; a row is a list
        of cells, a cell a text, a number, ``HIDDEN_COUNT`` ("< 5", a count of
        1 to 4 organisations) or ``HIDDEN_FIGURE`` ("—", a figure drawn from
        fewer than 5 organisations)."""

        def count(value):
            return HIDDEN_COUNT if value is None else value

        def figure(value):
            return HIDDEN_FIGURE if value is None else value

        members = figures["members"]
        sections = [
            {
                "part": "members",
                "title": self.env._("Members"),
                "columns": [self.env._("Figure"), self.env._("Organisations")],
                "rows": [
                    [self.env._("Members at the end of the year"), count(members["total"])],
                    [self.env._("New members of the year"), count(members["new"])],
                    [self.env._("Withdrawals of the year"), count(members["withdrawn"])],
                ],
            },
            {
                "part": "members",
                "title": self.env._("Adhesion funnel"),
                "note": self.env._(
                    "The adhesion requests of the year: how many reached each stage, and the "
                    "share of those at the stage before that went on."
                ),
                "columns": [
                    self.env._("Stage"),
                    self.env._("Requests"),
                    self.env._("Conversion (%)"),
                ],
                "rows": [
                    [row["stage"], count(row["reached"]), figure(row["rate"])]
                    for row in figures["funnel"]
                ],
            },
        ]
        for breakdown in members["breakdowns"]:
            rows, other = breakdown["by"]
            rows = [[label, number] for label, number in rows]
            if other is not None:
                rows.append(
                    [self.env._("Other (groups of fewer than 5 pooled)"), count(other or None)]
                )
            sections.append(
                {
                    "part": "members",
                    "title": breakdown["title"],
                    "columns": [breakdown["column"], self.env._("Organisations")],
                    "rows": rows or [[self.env._("No member"), 0]],
                }
            )
        guides = figures["guides"]
        objectives = guides["objectives"]
        sections += [
            {
                "part": "guides",
                "title": self.env._("Guide years"),
                "columns": [self.env._("Guide years of the year"), self.env._("Organisations")],
                "rows": [
                    *[[row["state"], count(row["count"])] for row in guides["by_state"]],
                    [self.env._("Total"), count(guides["total"])],
                    [self.env._("Presented to their general assembly"), count(guides["presented"])],
                ],
            },
            {
                "part": "guides",
                "title": self.env._("Objectives at one year"),
                "note": self.env._(
                    "The questions and indicators worked on (retained, in a retained theme) and "
                    "whether their 1-year objective was reached."
                ),
                "columns": [self.env._("Figure"), self.env._("Value")],
                "rows": [
                    [
                        self.env._("Organisations with questions worked on"),
                        count(objectives["organisations"]),
                    ],
                    [self.env._("Questions and indicators worked on"), figure(objectives["lines"])],
                    *[[row["label"], figure(row["count"])] for row in objectives["achievements"]],
                    [
                        self.env._("Average progress to the 1-year objective (%)"),
                        figure(objectives["progress"]),
                    ],
                ],
            },
            {
                "part": "guides",
                "title": self.env._("Themes retained and not retained"),
                "columns": [
                    self.env._("Theme"),
                    self.env._("Retained by"),
                    self.env._("Not retained by"),
                    self.env._("Progress to the 1-year objectives (%)"),
                ],
                "rows": [
                    [
                        row["theme"],
                        count(row["retained"]),
                        count(row["not_retained"]),
                        figure(row["progress"]),
                    ]
                    for row in figures["themes"]
                ],
            },
        ]
        scores = figures["scores"]
        sections.append(
            {
                "part": "results",
                "title": self.env._("Average self-assessment scores per theme"),
                "note": self.env._(
                    "From the self-assessments completed for the year; like the benchmark, a "
                    "theme scored by fewer than 5 organisations shows no average."
                ),
                "columns": [
                    self.env._("Theme"),
                    self.env._("Organisations"),
                    self.env._("Average score (%)"),
                ],
                "rows": [
                    *[
                        [row["theme"], count(row["organisations"]), figure(row["average"])]
                        for row in scores["themes"]
                    ],
                    [
                        self.env._("Overall"),
                        count(scores["organisations"]),
                        figure(scores["average"]),
                    ],
                ],
            }
        )
        evaluations = figures["evaluations"]
        sections.append(
            {
                "part": "results",
                "title": self.env._("Cross-evaluations"),
                "columns": [self.env._("Figure"), self.env._("Value")],
                "rows": [
                    [
                        self.env._("Cross-evaluations completed in the year"),
                        figure(evaluations["completed"]),
                    ],
                    [self.env._("Organisations evaluated"), count(evaluations["evaluated"])],
                    [
                        self.env._("Organisations that evaluated a peer"),
                        count(evaluations["evaluators"]),
                    ],
                ],
            }
        )
        sponsorships = figures["sponsorships"]
        if sponsorships:
            sections += [
                {
                    "part": "results",
                    "title": self.env._("Sponsorships"),
                    "columns": [self.env._("Figure"), self.env._("Value")],
                    "rows": [
                        [
                            self.env._("Sponsorships requested in the year"),
                            figure(sponsorships["requested"]),
                        ],
                        [
                            self.env._("Sponsorships ended in the year"),
                            figure(sponsorships["ended"]),
                        ],
                        [
                            self.env._("Hours of the sponsorships requested in the year"),
                            figure(sponsorships["hours"]),
                        ],
                    ],
                },
                {
                    "part": "results",
                    "title": self.env._("New members of the year, sponsored or not"),
                    "columns": [
                        self.env._("New members"),
                        self.env._("Members"),
                        self.env._("Average days to the operational phase"),
                        self.env._("Reached the operational phase (%)"),
                    ],
                    "rows": [
                        [
                            row["cohort"],
                            count(row["members"]),
                            figure(row["days"]),
                            figure(row["rate"]),
                        ]
                        for row in sponsorships["cohorts"]
                    ],
                },
            ]
        return sections

    @api.model
    def _ess_parts(self, sections):
        """The report's parts (a page each), with their tables."""
        titles = [
            ("members", self.env._("Members and adhesions")),
            ("guides", self.env._("Guides of good practices")),
            ("results", self.env._("Assessments, evaluations and sponsorships")),
        ]
        return [
            {"title": title, "sections": [s for s in sections if s["part"] == key]}
            for key, title in titles
        ]
