from datetime import date

from odoo import api, models
from odoo.exceptions import AccessError

from .ess_assessment import BENCHMARK_MIN_ORGANISATIONS
from .ess_guide_year import GUIDE_STATES
from .ess_membership_funnel import FUNNEL_STAGES
from .res_partner import ORGANIZATION_KINDS

# Below this number of organisations a figure is not shown (the benchmark's
# threshold): "< 5" instead of the figure, small groups pooled.
MINIMUM = BENCHMARK_MIN_ORGANISATIONS
# What a hidden count and a hidden figure (average, rate…) print as.
HIDDEN_COUNT = f"< {MINIMUM}"
HIDDEN_FIGURE = "—"


def shown(count):
    """A count of organisations as the report prints it: the count, 0, or
    ``None`` ("< 5") when 1 to 4 organisations would be counted."""
    return count if not count or count >= MINIMUM else None


def pool_small_groups(groups):
    """The breakdown of a count of organisations by a category (kind,
    sector, employment area), without any category of fewer than
    ``MINIMUM`` organisations.

    The rule: every category of 1 to 4 organisations is pooled into one
    "Other" row. When that pool itself holds fewer than ``MINIMUM``
    organisations, the smallest category still shown joins it, then the next
    one, until it holds at least ``MINIMUM``: the pool then mixes at least
    two categories, so that the total minus the rows shown never gives the
    size of a small category, nor its members. Only when the whole
    breakdown holds fewer than ``MINIMUM`` organisations is the pool printed
    as "< 5" (and the total too).

    :param groups: ``[(label, count)]``
    :return: ``(rows, other)``: ``rows`` a list of ``(label, count)``, largest
        first; ``other`` ``None`` (no pool), the pool's count, or ``False``
        (a pool of fewer than ``MINIMUM``, printed "< 5")
    """
    groups = sorted((g for g in groups if g[1]), key=lambda g: (-g[1], g[0]))
    rows = [g for g in groups if g[1] >= MINIMUM]
    pooled = sum(count for _label, count in groups if count < MINIMUM)
    while pooled and pooled < MINIMUM and rows:
        pooled += rows.pop()[1]
    if not pooled:
        return rows, None
    return rows, pooled if pooled >= MINIMUM else False


class EssNetworkReport(models.AbstractModel):
    """The network's own annual report (for its general assembly): the
    figures of one year of one network, drawn with grouped queries only (a
    fixed number of them, whatever the number of organisations), anonymised
    below ``BENCHMARK_MIN_ORGANISATIONS`` organisations.

    ``_ess_figures`` returns plain data (numbers, texts, lists, dicts) read by
    the PDF's template, the XLSX and the tests alike."""

    _name = "ess.network.report"
    _description = "Network annual report"

    @api.model
    def _ess_check_network(self, company):
        """Staff read the report of their own networks only."""
        if self.env.su:
            return
        if company not in self.env.user.company_ids or not self.env.user.has_group(
            "ess_network.group_ess_user"
        ):
            raise AccessError(
                self.env._("You may only print the annual report of your own network.")
            )

    @api.model
    def _ess_figures(self, company, year):
        """All the figures of ``year`` for the network ``company``.

        Counts of organisations of 1 to 4 are ``None`` (printed "< 5");
        averages drawn from fewer than 5 organisations are ``None`` too."""
        company.ensure_one()
        self._ess_check_network(company)
        env = self.with_company(company).with_context(active_test=False).env
        start, end = date(year, 1, 1), date(year, 12, 31)
        network = [("company_id", "=", company.id)]
        figures = {
            "company": company.name,
            "year": year,
            "minimum": MINIMUM,
            "intro": self.env._(
                "The network's figures for %(year)s, from its members' records. No organisation "
                "is named, and no figure drawn from fewer than %(minimum)s organisations is "
                "shown: “< %(minimum)s” stands for 1 to %(below)s organisations, “—” for a "
                "figure not shown, and the groups of fewer than %(minimum)s organisations are "
                "pooled (with the next smallest group when the pool would still be too small).",
                year=year,
                minimum=MINIMUM,
                below=MINIMUM - 1,
            ),
            "members": self._ess_members(env, network, start, end),
            "funnel": self._ess_funnel(env, network, start, end),
            "guides": self._ess_guides(env, network, year),
            "themes": self._ess_themes(env, network, year, company),
            "scores": self._ess_scores(env, network, year, company),
            "evaluations": self._ess_evaluations(env, network, start, end),
            "sponsorships": self._ess_sponsorships(env, network, start, end, year),
        }
        return figures

    # ---------------------------------------------------------------- members
    @api.model
    def _ess_members(self, env, network, start, end):
        """Members at the end of the year (files that reached membership by
        then and were not withdrawn before), new members of the year, and
        the members by kind, sector and employment area."""
        Membership = env["ess.membership"]
        members = [
            *network,
            ("member_since", "<=", end),
            "|",
            ("withdrawal_date", "=", False),
            ("withdrawal_date", ">", end),
        ]
        kinds = dict(ORGANIZATION_KINDS)
        not_given = self.env._("Not specified")

        def breakdown(field, label):
            groups = Membership._read_group(members, [field], ["partner_id:count_distinct"])
            return pool_small_groups([(label(key), count) for key, count in groups])

        (total,) = Membership._read_group(members, [], ["partner_id:count_distinct"])[0]
        (new,) = Membership._read_group(
            [*network, ("member_since", ">=", start), ("member_since", "<=", end)],
            [],
            ["partner_id:count_distinct"],
        )[0]
        (withdrawn,) = Membership._read_group(
            [*network, ("withdrawal_date", ">=", start), ("withdrawal_date", "<=", end)],
            [],
            ["partner_id:count_distinct"],
        )[0]
        by = {
            "kind": breakdown("organization_kind", lambda key: kinds.get(key) or not_given),
            "industry": breakdown(
                "industry_id", lambda record: record.display_name if record else not_given
            ),
            "area": breakdown(
                "employment_area_id", lambda record: record.display_name if record else not_given
            ),
        }
        return {
            "total": shown(total),
            "new": shown(new),
            "withdrawn": shown(withdrawn),
            "breakdowns": [
                {
                    "title": self.env._("Members by kind of organisation"),
                    "column": self.env._("Kind of organisation"),
                    "by": by["kind"],
                },
                {
                    "title": self.env._("Members by sector of activity"),
                    "column": self.env._("Sector of activity"),
                    "by": by["industry"],
                },
                {
                    "title": self.env._("Members by employment area"),
                    "column": self.env._("Employment area"),
                    "by": by["area"],
                },
            ],
        }

    @api.model
    def _ess_funnel(self, env, network, start, end):
        """The adhesion funnel of the requests made in the year: the files
        that reached each stage, and the conversion from the stage before
        (shown when both stages count at least 5 files)."""
        groups = dict(
            env["ess.membership.funnel"]._read_group(
                [*network, ("request_date", ">=", start), ("request_date", "<=", end)],
                ["stage"],
                ["reached:sum"],
            )
        )
        labels = dict(env["ess.membership.funnel"]._fields["stage"]._description_selection(env))
        rows, previous = [], None
        for key, _label in FUNNEL_STAGES:
            reached = groups.get(key, 0)
            rate = None
            if previous and previous >= MINIMUM and reached >= MINIMUM:
                rate = round(100 * reached / previous)
            rows.append({"stage": labels[key], "reached": shown(reached), "rate": rate})
            previous = reached
        return rows

    # ----------------------------------------------------------------- guides
    @api.model
    def _ess_guides(self, env, network, year):
        """The guide years of the year by status, those presented to a
        general assembly, and the objectives at one year of the questions
        worked on: met, partly met, not met, and the average progress."""
        Guide = env["ess.guide.year"]
        domain = [*network, ("year", "=", year)]
        by_state = dict(Guide._read_group(domain, ["state"], ["__count"]))
        (presented,) = Guide._read_group(
            [*domain, ("general_assembly_date", "!=", False)], [], ["__count"]
        )[0]
        states = dict(Guide._fields["state"]._description_selection(env))
        # the organisations working on questions: their guide year counts them
        # (line_retained_count); the questions' objectives are summed per theme
        # in the figures of the guide's themes (ess.guide.theme.figure)
        (organisations,) = Guide._read_group(
            [*domain, ("line_retained_count", ">", 0)], [], ["__count"]
        )[0]
        count, progress_sum, met, partly_met, not_met = env["ess.guide.theme.figure"]._read_figures(
            domain,
            [],
            [
                "line_count:sum",
                "progress_1y_sum:sum",
                "met_count:sum",
                "partly_met_count:sum",
                "not_met_count:sum",
            ],
        )[0]
        progress = progress_sum / count if count else None
        achievements = {"met": met, "partly_met": partly_met, "not_met": not_met}
        enough = organisations >= MINIMUM
        achievement_labels = {
            "met": self.env._("1-year objectives met"),
            "partly_met": self.env._("1-year objectives partly met"),
            "not_met": self.env._("1-year objectives not met"),
        }
        return {
            "total": shown(sum(by_state.values())),
            "by_state": [
                {"state": states[key], "count": shown(by_state.get(key, 0))}
                for key, _label in GUIDE_STATES
            ],
            "presented": shown(presented),
            "objectives": {
                "organisations": shown(organisations),
                "lines": count if enough else None,
                "progress": round(progress or 0) if enough else None,
                "achievements": [
                    {
                        "label": achievement_labels[key],
                        "count": achievements.get(key, 0) if enough else None,
                    }
                    for key in ("met", "partly_met", "not_met")
                ],
            },
        }

    @api.model
    def _ess_themes(self, env, network, year, company):
        """Per theme of the reference: the organisations retaining it, those
        not retaining it (each "< 5" under 5), and the progress towards the
        1-year objectives of its questions (from 5 organisations)."""
        domain = [*network, ("year", "=", year)]
        # from the figures of the guide's themes (ess.guide.theme.figure): a
        # few dozen rows, not every theme and question line of the year
        figures = env["ess.guide.theme.figure"]._read_figures(
            domain,
            ["theme_id"],
            [
                "retained_count:sum",
                "not_retained_count:sum",
                "partner_count:sum",
                "line_count:sum",
                "progress_1y_sum:sum",
            ],
        )
        decisions, progress = {}, {}
        for theme, retained, not_retained, organisations, lines, progress_sum in figures:
            decisions[theme.id, "retained"] = retained
            decisions[theme.id, "not_retained"] = not_retained
            progress[theme.id] = (organisations, progress_sum / lines if lines else None)
        rows = []
        for theme in env["ess.guide.theme"]._network_search(company):
            organisations, average = progress.get(theme.id, (0, None))
            rows.append(
                {
                    "theme": theme.display_name,
                    "retained": shown(decisions.get((theme.id, "retained"), 0)),
                    "not_retained": shown(decisions.get((theme.id, "not_retained"), 0)),
                    "progress": round(average or 0) if organisations >= MINIMUM else None,
                }
            )
        return rows

    # ---------------------------------------------------------------- scores
    @api.model
    def _ess_scores(self, env, network, year, company):
        """The average score per theme of the completed self-assessments of
        the year, with the same rule as the benchmark
        (``ess.assessment._benchmark``): a theme scored by fewer than 5
        organisations shows no figure."""
        domain = [
            *network,
            ("year", "=", year),
            ("kind", "=", "self"),
            ("state", "=", "done"),
        ]
        groups = {
            theme.id: (organisations, average)
            for theme, organisations, average in env["ess.assessment.score"]._read_group(
                [*domain, ("scope", "=", "theme"), ("answered_count", ">", 0)],
                ["theme_id"],
                ["partner_id:count_distinct", "score:avg"],
            )
        }
        organisations, average = env["ess.assessment"]._read_group(
            domain, [], ["partner_id:count_distinct", "score:avg"]
        )[0]
        rows = []
        for theme in env["ess.guide.theme"]._network_search(company):
            count, score = groups.get(theme.id, (0, None))
            rows.append(
                {
                    "theme": theme.display_name,
                    "organisations": shown(count),
                    "average": round(score, 1) if count >= MINIMUM else None,
                }
            )
        return {
            "organisations": shown(organisations),
            "average": round(average, 1) if organisations >= MINIMUM else None,
            "themes": rows,
        }

    # ------------------------------------------------------------ evaluations
    @api.model
    def _ess_evaluations(self, env, network, start, end):
        """The cross-evaluations completed in the year, the organisations
        evaluated and those that evaluated."""
        completed = [
            *network,
            ("state", "=", "completed"),
            ("date_completed", ">=", start),
            ("date_completed", "<=", end),
        ]
        count, evaluated, evaluators = env["ess.evaluation"]._read_group(
            completed,
            [],
            ["__count", "partner_id:count_distinct", "evaluator_partner_id:count_distinct"],
        )[0]
        return {
            "completed": shown(count) if evaluated >= MINIMUM or not count else None,
            "evaluated": shown(evaluated),
            "evaluators": shown(evaluators),
        }

    # ----------------------------------------------------------- sponsorships
    @api.model
    def _ess_sponsorships(self, env, network, start, end, year):
        """Sponsorships requested and ended in the year, their hours, and the
        new members of the year sponsored or not with their average days to
        the operational phase (each cohort from 5 members). ``None`` when the
        network has no sponsorship at all."""
        Sponsorship = env["ess.sponsorship"]
        if not Sponsorship.search_count(network, limit=1):
            return None
        requested, new_members, hours = Sponsorship._read_group(
            [*network, ("request_date", ">=", start), ("request_date", "<=", end)],
            [],
            ["__count", "partner_id:count_distinct", "hours_total:sum"],
        )[0]
        ended, ended_members = Sponsorship._read_group(
            [
                *network,
                ("state", "=", "ended"),
                ("end_date", ">=", start),
                ("end_date", "<=", end),
            ],
            [],
            ["__count", "partner_id:count_distinct"],
        )[0]
        Outcome = env["ess.sponsorship.outcome"]
        cohorts = dict(Outcome._fields["cohort"]._description_selection(env))
        outcome = {
            cohort: (count, days, rate)
            for cohort, count, days, rate in Outcome._read_group(
                [*network, ("member_year", "=", year)],
                ["cohort"],
                ["__count", "days_to_operational:avg", "operational_rate:avg"],
            )
        }
        rows = []
        for key in ("sponsored", "not_sponsored"):
            count, days, rate = outcome.get(key, (0, None, None))
            enough = count >= MINIMUM
            rows.append(
                {
                    "cohort": cohorts[key],
                    "members": shown(count),
                    "days": round(days) if enough and days is not None else None,
                    "rate": round(rate) if enough and rate is not None else None,
                }
            )
        return {
            "requested": shown(requested) if new_members >= MINIMUM or not requested else None,
            "ended": shown(ended) if ended_members >= MINIMUM or not ended else None,
            "hours": round(hours or 0, 1) if new_members >= MINIMUM else None,
            "cohorts": rows,
        }
