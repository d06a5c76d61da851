"""Benchmark of the guide of good practices at network scale.

Run by ``./dev bench`` inside an Odoo shell on a throwaway database: it
creates ORGS organisations with a filled guide year each, then prints how
long the heavy operations take and how many SQL queries they run. Nothing
is committed.

    ESS_BENCH_ORGS=1000 ./dev bench
"""

import os
import time

from odoo.addons.ess_network.controllers.portal_guide import guide_form_values

# `env` is given by the Odoo shell.
env = globals()["env"]
ORGS = int(os.environ.get("ESS_BENCH_ORGS", "300"))
YEAR = 2025


def timed(label, func, per=None):
    cr = env.cr
    env.invalidate_all()  # cold cache, as in a new request
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    count = cr.sql_log_count - queries
    rate = f", {elapsed / per * 1000:.1f} ms each" if per else ""
    print(f"{label:<58} {elapsed:8.2f} s {count:8d} queries{rate}")
    return result


Partner = env["res.partner"]
Guide = env["ess.guide.year"]
questions = env["ess.guide.question"].search([])
print(f"reference: {len(questions)} questions; organisations: {ORGS}")

orgs = timed(
    f"create {ORGS} organisations",
    lambda: Partner.create([{"name": f"Bench org {i}", "is_company": True} for i in range(ORGS)]),
)
guides = timed(
    f"create {ORGS} guide years ({ORGS * len(questions)} lines)",
    lambda: Guide.create([{"partner_id": org.id, "year": YEAR} for org in orgs]),
    per=ORGS,
)


def fill():
    guides.theme_line_ids.write({"decision": "retained"})
    quantitative = guides.line_ids.filtered(lambda line: line.kind == "quantitative")
    quantitative.write({"baseline": 10, "objective_1y": 20, "objective_3y": 40})
    quantitative.write({"value": 15, "has_value": True})


timed("retain every theme, set baselines, objectives, values", fill)
guide = guides[0]
spreadsheet = env["report.ess_network.guide_year_xlsx"]
content = timed("export one guide year to XLSX", lambda: spreadsheet._ess_render(guide)[0])
print(f"{'  XLSX size':<58} {len(content) / 1024:8.1f} KiB")
timed(
    "import that XLSX back (validate + write)",
    lambda: env["ess.guide.year.import"]._ess_import(guide, content),
)
timed(
    "portal page data of one guide (sections + form values)",
    lambda: (guide._portal_sections(), guide_form_values(guide)),
)
timed(
    f"prepare next year for {min(ORGS, 100)} guides",
    lambda: [g.action_prepare_next_year() for g in guides[:100]],
    per=min(ORGS, 100),
)
timed(
    "network report: average progress per theme (read_group)",
    lambda: env["ess.guide.year.line"].read_group(
        [("in_scope", "=", True)], ["theme_id", "progress_1y:avg"], ["theme_id"]
    ),
)
env.cr.rollback()
print("rolled back: nothing was kept")
