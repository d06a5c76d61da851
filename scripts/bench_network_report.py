"""Benchmark of the network's annual report at network scale.

Run by ``./dev bench`` inside an Odoo shell on a throwaway database without
demo data. It builds, by SQL (the ORM would take hours for this much), a
network of ORGS member organisations (kinds, SECTORS sectors, AREAS
employment areas) with YEARS years of guide years each: every theme of the
reference retained or not, every question of the guide with its 1-year
objective met or not and its progress, a completed self-assessment with its
scores per theme, and for about a third of the organisations a completed
cross-evaluation each year. Then it prints the time and query count of the
report's figures for the last year (``ess.network.report._ess_figures``,
cold cache) beside the anchor: plain ``read_group`` calls of the same
figures, without their anonymisation nor labels, and the ratio of the two.
Nothing is committed.

    ESS_BENCH_REPORT_ORGS=5000 ESS_BENCH_REPORT_YEARS=5 ./dev bench
"""

import os
import statistics
import time

# `env` is given by the Odoo shell.
env = globals()["env"]
ORGS = int(os.environ.get("ESS_BENCH_REPORT_ORGS", "5000"))
YEARS = int(os.environ.get("ESS_BENCH_REPORT_YEARS", "5"))
SECTORS, AREAS = 15, 40
LAST_YEAR = 2025
FIRST_YEAR = LAST_YEAR - YEARS + 1
RUNS = 5
cr = env.cr
company = env.company
uid = env.uid


def step(label, func):
    start = time.perf_counter()
    func()
    print(f"  set-up: {label:<50} {time.perf_counter() - start:7.1f} s")


def populate():
    kinds = ["association", "mutuelle", "cooperative", "scop", "scic", "fondation", "other"]
    industries = env["res.partner.industry"].create(
        [{"name": f"Bench sector {i}"} for i in range(SECTORS)]
    )
    areas = env["ess.employment.area"].create(
        [{"name": f"Bench area {i}", "code": f"B{i:03d}"} for i in range(AREAS)]
    )
    params = {
        "orgs": ORGS,
        "company": company.id,
        "uid": uid,
        "kinds": kinds,
        "industries": industries.ids,
        "areas": areas.ids,
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }

    def partners():
        cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, company_id,
                   type, ess_organization_kind, industry_id, ess_employment_area_id,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench org ' || i, 'Bench org ' || i, TRUE, TRUE, %(company)s, 'contact',
                   (%(kinds)s::varchar[])[1 + i %% 7],
                   -- uneven sectors and areas: a few big ones, many small ones
                   (%(industries)s::int[])[1 + floor(power(random(), 2) * %(n_ind)s)::int],
                   (%(areas)s::int[])[1 + floor(power(random(), 3) * %(n_area)s)::int],
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(orgs)s) i
            """,
            {**params, "n_ind": len(industries), "n_area": len(areas)},
        )

    def memberships():
        cr.execute(
            """
            INSERT INTO ess_membership (name, partner_id, company_id, state, phase, active,
                   organization_kind, industry_id, employment_area_id, origin, request_date,
                   member_since, withdrawal_date, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || p.id, p.id, p.company_id,
                   CASE WHEN p.id %% 50 = 0 THEN 'withdrawn' ELSE 'member' END, 'operational',
                   TRUE, p.ess_organization_kind, p.industry_id, p.ess_employment_area_id,
                   'staff', d.since - 60, d.since,
                   CASE WHEN p.id %% 50 = 0 THEN make_date(%(last)s, 6, 1) END,
                   %(uid)s, %(uid)s, now(), now()
              FROM res_partner p
             CROSS JOIN LATERAL (
                   SELECT make_date(%(first)s - 3 + (p.id %% (%(last)s - %(first)s + 4)),
                                    1 + p.id %% 12, 1) AS since
             ) d
             WHERE p.name LIKE 'Bench org %%'
            """,
            params,
        )

    def guides():
        cr.execute(
            """
            INSERT INTO ess_guide_year (partner_id, company_id, year, state, name,
                   general_assembly_date, theme_retained_count, theme_pending_count,
                   line_retained_count, step_progress,
                   create_uid, write_uid, create_date, write_date)
            SELECT p.id, p.company_id, y,
                   CASE WHEN y < %(last)s OR p.id %% 3 = 0 THEN 'closed' ELSE 'in_progress' END,
                   'Guide ' || y || ' – ' || p.name,
                   CASE WHEN p.id %% 2 = 0 THEN make_date(y, 6, 15) END, 0, 0, 0, 0,
                   %(uid)s, %(uid)s, now(), now()
              FROM res_partner p
             CROSS JOIN generate_series(%(first)s, %(last)s) y
             WHERE p.name LIKE 'Bench org %%'
            """,
            params,
        )

    def themes():
        cr.execute(
            """
            INSERT INTO ess_guide_year_theme (year_id, partner_id, company_id, year, theme_id,
                   theme_sequence, decision, reason, retained_count, not_retained_count,
                   create_uid, write_uid, create_date, write_date)
            SELECT g.id, g.partner_id, g.company_id, g.year, t.id, t.sequence,
                   d.decision, CASE WHEN d.decision = 'not_retained' THEN 'Bench' END,
                   (d.decision = 'retained')::int, (d.decision = 'not_retained')::int,
                   %(uid)s, %(uid)s, now(), now()
              FROM ess_guide_year g
              JOIN res_partner p ON p.id = g.partner_id AND p.name LIKE 'Bench org %%'
             CROSS JOIN ess_guide_theme t
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN (g.id + t.id) %% 4 = 0 THEN 'not_retained'
                               ELSE 'retained' END AS decision
             ) d
            """,
            params,
        )
        cr.execute(
            """
            UPDATE ess_guide_year g
               SET theme_retained_count = c.retained
              FROM (SELECT year_id, COUNT(*) FILTER (WHERE decision = 'retained') AS retained
                      FROM ess_guide_year_theme GROUP BY year_id) c
             WHERE c.year_id = g.id
            """
        )

    def lines():
        cr.execute(
            """
            INSERT INTO ess_guide_year_line (year_id, partner_id, company_id, year,
                   question_id, domain_id, theme_id, theme_line_id, retained, in_scope,
                   achievement_1y, progress_1y, progress_3y,
                   create_uid, write_uid, create_date, write_date)
            SELECT g.id, g.partner_id, g.company_id, g.year, q.id, q.domain_id, d.theme_id,
                   gt.id, TRUE, gt.decision = 'retained',
                   (ARRAY['met', 'partly_met', 'not_met'])[1 + (g.id + q.id) %% 3],
                   ((g.id * 7 + q.id * 13) %% 101)::float, 0,
                   %(uid)s, %(uid)s, now(), now()
              FROM ess_guide_year g
              JOIN res_partner p ON p.id = g.partner_id AND p.name LIKE 'Bench org %%'
             CROSS JOIN ess_guide_question q
              JOIN ess_guide_domain d ON d.id = q.domain_id
              JOIN ess_guide_year_theme gt ON gt.year_id = g.id AND gt.theme_id = d.theme_id
            """,
            params,
        )

    def assessments():
        cr.execute(
            """
            INSERT INTO ess_assessment (partner_id, company_id, year, kind, state, score,
                   question_count, answered_count, date_done,
                   create_uid, write_uid, create_date, write_date)
            SELECT p.id, p.company_id, y, 'self', 'done', (p.id * 7 + y) %% 101, 68, 40,
                   make_date(y, 11, 1), %(uid)s, %(uid)s, now(), now()
              FROM res_partner p
             CROSS JOIN generate_series(%(first)s, %(last)s) y
             WHERE p.name LIKE 'Bench org %%'
            """,
            params,
        )
        cr.execute(
            """
            INSERT INTO ess_assessment_score (assessment_id, partner_id, company_id, year,
                   kind, state, scope, theme_id, theme_sequence, score, answered_count,
                   applicable_count, create_uid, write_uid, create_date, write_date)
            SELECT a.id, a.partner_id, a.company_id, a.year, 'self', 'done', 'theme', t.id,
                   t.sequence, (a.id * 11 + t.id * 17) %% 101, 5, 5,
                   %(uid)s, %(uid)s, now(), now()
              FROM ess_assessment a
              JOIN res_partner p ON p.id = a.partner_id AND p.name LIKE 'Bench org %%'
             CROSS JOIN ess_guide_theme t
            """,
            params,
        )

    def evaluations():
        cr.execute(
            """
            INSERT INTO ess_evaluation (partner_id, evaluator_partner_id, company_id, year,
                   state, date_completed, visit_duration,
                   create_uid, write_uid, create_date, write_date)
            SELECT p.id, p2.id, p.company_id, y, 'completed', make_date(y, 10, 1), 3,
                   %(uid)s, %(uid)s, now(), now()
              FROM res_partner p
              JOIN res_partner p2 ON p2.id = p.id + 1 AND p2.name LIKE 'Bench org %%'
             CROSS JOIN generate_series(%(first)s, %(last)s) y
             WHERE p.name LIKE 'Bench org %%' AND (p.id + y) %% 3 = 0
            """,
            params,
        )

    # rows consistent by construction: no foreign-key triggers row by row
    cr.execute("SET LOCAL session_replication_role = replica")
    step(f"{ORGS} organisations", partners)
    step(f"{ORGS} membership files", memberships)
    step(f"{ORGS * YEARS} guide years", guides)
    step("their themes", themes)
    step("their questions and indicators", lines)
    step("their self-assessments and scores per theme", assessments)
    step("their cross-evaluations", evaluations)
    cr.execute("SET LOCAL session_replication_role = origin")
    cr.execute("ANALYZE")
    env.invalidate_all()


def measure(func):
    """Median time and query count of RUNS cold-cache runs of ``func``."""
    times, counts = [], []
    for _run in range(RUNS):
        env.invalidate_all()
        env.registry.clear_cache()
        queries = cr.sql_log_count
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        counts.append(cr.sql_log_count - queries)
    return statistics.median(times), max(counts)


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
