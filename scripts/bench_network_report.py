"""Benchmark of the network's annual report at network scale.

Run by ``./dev bench`` inside an Odoo shell on a throwaway database without
demo data. It builds, by the add-on's generator (``tools/scale.py``, the one
of ``./dev populate``: SQL, fixed seed), a network of ORGS organisations
(kinds, sectors, employment areas) with their membership files at every
stage and YEARS years of guide years for the members and former members:
every theme of the reference retained or not, every question of the guide
with its objectives and values and their progress, a completed
self-assessment with its scores per theme, and for about a third a
completed cross-evaluation. Then it prints the time and query count of the
report's figures for the last year (``ess.network.report._ess_figures``,
cold cache) beside the anchor: plain ``read_group`` calls of the same
figures, without their anonymisation nor labels, and the ratio of the two.
Nothing is committed.

    ESS_BENCH_REPORT_ORGS=5000 ESS_BENCH_REPORT_YEARS=5 ./dev bench
"""

import os

from odoo.addons.ess_network.tools import scale

# `env` is given by the Odoo shell.
env = globals()["env"]
ORGS = int(os.environ.get("ESS_BENCH_REPORT_ORGS", "5000"))
YEARS = int(os.environ.get("ESS_BENCH_REPORT_YEARS", "5"))
STEPS = [
    "organisations",
    "memberships",
    "guide_years",
    "guide_themes",
    "guide_lines",
    "assessments",
    "evaluations",
]
LAST_YEAR = 2025
FIRST_YEAR = LAST_YEAR - YEARS + 1
RUNS = 5
cr = env.cr
company = env.company


def populate():
    """The network, by the add-on's generator (``tools/scale.py``, the same as
    ``./dev populate``'s), without what the report does not read."""

    def log(label, seconds, count):
        print(f"  set-up: {label:<42} {count:8d} {seconds:7.1f} s")

    scale.populate(env, ORGS, YEARS, last_year=LAST_YEAR, steps=STEPS, log=log)
    env.invalidate_all()


def measure(func):
    """Median time and query count of RUNS cold-cache runs of ``func``."""
    return scale.measure(env, func, RUNS)


def anchor():
    """The same figures by plain read_group calls, with the same aggregates
    (organisations counted distinct where the report needs them for its
    threshold), but no labels, no anonymisation, no rows to build."""
    network = [("company_id", "=", company.id)]
    start, end = f"{LAST_YEAR}-01-01", f"{LAST_YEAR}-12-31"
    year = [*network, ("year", "=", LAST_YEAR)]
    distinct = ["partner_id:count_distinct"]
    Membership = env["ess.membership"].with_context(active_test=False)
    members = [*network, ("member_since", "<=", end)]
    for groupby in ([], ["organization_kind"], ["industry_id"], ["employment_area_id"]):
        Membership.read_group(members, distinct, groupby, lazy=False)
    Membership.read_group(
        [*network, ("member_since", ">=", start), ("member_since", "<=", end)], distinct, []
    )
    Membership.read_group(
        [*network, ("withdrawal_date", ">=", start), ("withdrawal_date", "<=", end)], distinct, []
    )
    env["ess.membership.funnel"].read_group(
        [*network, ("request_date", ">=", start), ("request_date", "<=", end)],
        ["reached:sum"],
        ["stage"],
    )
    Guide = env["ess.guide.year"]
    Guide.read_group(year, ["state"], ["state"])
    Guide.read_group([*year, ("general_assembly_date", "!=", False)], [], [])
    Line = env["ess.guide.year.line"]
    in_scope = [*year, ("in_scope", "=", True)]
    Line.read_group(in_scope, [*distinct, "progress_1y:avg"], [])
    Line.read_group(in_scope, [*distinct, "progress_1y:avg"], ["theme_id"])
    Line.read_group(in_scope, ["achievement_1y"], ["achievement_1y"])
    env["ess.guide.year.theme"].read_group(year, ["theme_id"], ["theme_id", "decision"], lazy=False)
    done = [*year, ("kind", "=", "self"), ("state", "=", "done")]
    env["ess.assessment.score"].read_group(
        [*done, ("scope", "=", "theme"), ("answered_count", ">", 0)],
        [*distinct, "score:avg"],
        ["theme_id"],
    )
    env["ess.assessment"].read_group(done, [*distinct, "score:avg"], [])
    env["ess.evaluation"].read_group(
        [
            *network,
            ("state", "=", "completed"),
            ("date_completed", ">=", start),
            ("date_completed", "<=", end),
        ],
        [*distinct, "evaluator_partner_id:count_distinct"],
        [],
    )


print(
    f"network report: {ORGS} organisations × {YEARS} years ({FIRST_YEAR}-{LAST_YEAR}), "
    f"report of {LAST_YEAR}"
)
populate()
Report = env["ess.network.report"]
figures = Report._ess_figures(company, LAST_YEAR)
print(
    f"  members at the end of {LAST_YEAR}: {figures['members']['total']}, "
    f"guide years of {LAST_YEAR}: {figures['guides']['total']}"
)
report_time, report_queries = measure(lambda: Report._ess_figures(company, LAST_YEAR))
anchor_time, anchor_queries = measure(anchor)
print(
    f"{'network report figures (ess.network.report)':<52} {report_time:7.3f} s "
    f"{report_queries:5d} queries"
)
print(
    f"{'anchor: plain read_group of the same figures':<52} {anchor_time:7.3f} s "
    f"{anchor_queries:5d} queries"
)
print(
    f"{'ratio report / anchor':<52} {report_time / anchor_time:7.2f} x "
    f"{report_queries / anchor_queries:5.2f} x"
)
xlsx = env["report.ess_network.network_report_xlsx"]
wizard = env["ess.network.report.print"].create({"company_id": company.id, "year": LAST_YEAR})
xlsx_time, xlsx_queries = measure(
    lambda: xlsx.with_context(active_model=wizard._name).create_xlsx_report(wizard.ids, {})
)
print(f"{'XLSX of the report':<52} {xlsx_time:7.3f} s {xlsx_queries:5d} queries")
env.cr.rollback()
print("rolled back: nothing was kept")
