"""The scale benchmark (``./dev scale-bench``): every hot path of the add-on
on the network at scale (``./dev populate``: 5,000 organisations × 5 years),
each beside its anchor measured in the same run, with their ratio.

Run inside an Odoo shell on the populated database while ``./dev
scale-bench`` serves the same database (``ESS_BENCH_URL``, threaded or
multi-process with ``ESS_WORKERS``):

- over HTTP, as the web client: every back-end list (first page of 80 rows,
  its action's default filters, group-bys and order), kanban (its columns,
  the counts of its progress bar, the cards of the columns it opens), pivot
  and graph of the add-on's actions (``tools/screens.py``), as a network
  administrator (``scale.STAFF_LOGIN``), beside Odoo's own contact list of 80
  rows (a kanban beside Odoo's own contacts kanban); every portal page of a
  member (``scale.MEMBER_LOGIN``) beside Odoo's own ``/my/account``. Each
  anchor run is interleaved with the screen's, and each figure is the median
  of ``ESS_BENCH_RUNS`` runs after warm-up;
- in the shell: the designation of a sponsor (the five rules checked for
  the pool and the candidates for which they hold ranked, as the wizard
  asks them; the whole wizard opening and every volunteer ranked, printed)
  beside one plain SQL query for the same eligible ids; each scheduled
  action's batch at two batch sizes (time, queries per batch, time per
  record) beside Odoo's own cost of scheduling one activity; the network's
  annual report (figures and XLSX) and a guide year's XLSX beside raw
  xlsxwriter writing the same cells.

``ESS_BENCH_MARKDOWN=file.md`` writes the table in Markdown (the README's).
``ESS_BENCH_ONLY=portal,crons`` runs only those parts (backend, portal,
designation, crons, reports). It prints a table of ratios and exits with 1 when a ratio is past its
target (``TARGETS``), or a scheduled action's queries grow with its batch.
What the shell part changes is rolled back.
"""

import inspect
import io
import os
import re
import statistics
import sys
import time
from datetime import timedelta

import openpyxl
import requests
import xlsxwriter

from odoo import fields

from odoo.addons.ess_network.tools import scale, screens

# `env` is given by the Odoo shell.
env = globals()["env"]
URL = os.environ["ESS_BENCH_URL"].rstrip("/")
RUNS = int(os.environ.get("ESS_BENCH_RUNS", "7"))
# a first request compiles templates, fills the caches of the registry: in
# each worker of a multi-process server
WARM = int(os.environ.get("ESS_WORKERS", "0") or 0) + 2
TARGETS = {
    "list": 2.0,
    "kanban": 2.0,
    "pivot": 2.0,
    "graph": 2.0,
    "portal": 1.5,
    "designation": 3.0,
}
KANBAN_ANCHOR_GROUPBY = "industry_id"  # the contacts kanban grouped: ten columns of 40 cards
BATCHES = (10, 50)  # the two batch sizes of the scheduled actions
cr = env.cr
ROWS = []  # (kind, label, figure, anchor, unit, target)


def row(kind, label, figure, anchor, unit="ms", target=None):
    ROWS.append((kind, label, figure, anchor, unit, target))
    ratio = figure / anchor if anchor else float("nan")
    mark = "" if target is None else ("  ok" if ratio <= target else f"  PAST {target:g} x")
    print(f"  {kind:<8} {label:<66} {figure:9.1f} {unit} / {anchor:8.1f} = {ratio:6.2f} x{mark}")
    sys.stdout.flush()


class Client:
    """A browser's session on the server: JSON-RPC calls and pages."""

    def __init__(self, login):
        self.session = requests.Session()
        self.rpc("/web/session/authenticate", {"db": cr.dbname, "login": login, "password": login})

    def rpc(self, path, params):
        response = self.session.post(
            URL + path, json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=600
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(f"{path}: {body['error']['data']['message']}")
        return body["result"]

    def call(self, call):
        params = {
            "model": call.model,
            "method": call.method,
            "args": call.args,
            "kwargs": call.kwargs,
        }
        return self.rpc(f"/web/dataset/call_kw/{call.model}/{call.method}", params)

    def screen(self, screen):
        for call in screen.calls:
            self.call(call)

    def page(self, path):
        response = self.session.get(URL + path, timeout=600)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        return response


def paired(func, anchor):
    """Median milliseconds of ``func`` and of ``anchor``, run in turn RUNS
    times after WARM runs of each: both meet the same load of the machine."""
    for _run in range(WARM):
        anchor()
        func()
    times, anchors = [], []
    for _run in range(RUNS):
        start = time.perf_counter()
        anchor()
        anchors.append(time.perf_counter() - start)
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, statistics.median(anchors) * 1000


def measure(func, runs=RUNS):
    """Median milliseconds and largest query count of ``func`` in the shell."""
    seconds, queries = scale.measure(env, func, runs)
    return seconds * 1000, queries


def users():
    Users = env["res.users"].with_context(active_test=False)
    staff = Users.search([("login", "=", scale.STAFF_LOGIN)])
    member = Users.search([("login", "=", scale.MEMBER_LOGIN)])
    if not staff or not member:
        sys.exit(f"no {scale.STAFF_LOGIN} / {scale.MEMBER_LOGIN} in {cr.dbname}: ./dev populate")
    return staff, member


def backend(staff):
    print(f"\nback end, as {staff.login} (network administrator), over HTTP: {URL}")
    senv = env(user=staff.id, context={"lang": staff.lang or "fr_FR"})
    client = Client(staff.login)
    # a kanban beside Odoo's own contacts kanban (the first view of Contacts),
    # grouped when it is (by sector: ten columns of cards opened, as it
    # opens its own); the other screens beside the contact list
    anchors = {
        "list": screens.anchor_screen(senv),
        "kanban": screens.anchor_screen(senv, "kanban"),
        "grouped": screens.anchor_screen(senv, "kanban", groupby=KANBAN_ANCHOR_GROUPBY),
    }
    for screen in screens.backend_screens(senv):
        calls = len(screen.calls)
        kind = "list" if screen.view_type != "kanban" else "kanban"
        if kind == "kanban" and screen.calls[0].method == "web_read_group":
            kind = "grouped"
        anchor = anchors[kind]
        figure, base = paired(lambda s=screen: client.screen(s), lambda a=anchor: client.screen(a))
        against = {"list": "", "kanban": "; contacts kanban", "grouped": "; contacts by sector"}
        label = f"{screen.name.split('.', 1)[1]} ({calls} call{'s' * (calls > 1)}{against[kind]})"
        row(screen.view_type, label, figure, base, target=TARGETS[screen.view_type])


def portal(member):
    print(f"\nportal, as {member.login} ({member.partner_id.commercial_partner_id.name})")
    client = Client(member.login)
    menv = env(user=member.id)
    for path in screens.portal_pages(menv):
        figure, base = paired(
            lambda p=path: client.page(p), lambda: client.page(screens.PORTAL_ANCHOR)
        )
        row("portal", f"{path}  (anchor {screens.PORTAL_ANCHOR})", figure, base, target=1.5)


def designation():
    print("\ndesignation of a sponsor, in the shell")
    request = env["ess.sponsorship"].search(
        [("state", "=", "requested")], order="request_date, id", limit=1
    )
    if not request:
        print("  no request waiting for a sponsor: skipped")
        return
    company, today = request.company_id, fields.Date.today()
    member = request.partner_id
    Sponsor = env["ess.sponsor"]
    Wizard = env["ess.sponsorship.designate"].with_context(default_sponsorship_id=request.id)
    wizard = Wizard.create({})
    shown = {line.sponsor_id.id for line in wizard.line_ids if line.eligible}
    plain = scale.eligible_sponsor_ids(env, member, company, today)
    if shown != plain:
        sys.exit(f"the wizard and the plain query disagree: {sorted(shown ^ plain)[:20]}")
    sql_time, _queries = measure(lambda: scale.eligible_sponsor_ids(env, member, company, today))
    ranking, queries = measure(
        lambda: Sponsor._sponsorship_candidates(member, company, passing=True)
    )
    everyone, _queries = measure(lambda: Sponsor._sponsorship_candidates(member, company))
    wizard_time, wizard_queries = measure(lambda: (Wizard.create({}).line_ids, env.flush_all()))
    label = (
        f"{wizard.volunteer_count} volunteers for {member.name}: {len(wizard.line_ids)} meet "
        f"the rules, {len(plain)} eligible"
    )
    row(
        "wizard",
        f"designation: the five rules checked, the candidates ranked ({queries} query); {label}",
        ranking,
        sql_time,
        target=TARGETS["designation"],
    )
    row(
        "wizard",
        f"the wizard opened: its lines, their reasons ({wizard_queries} queries; printed)",
        wizard_time,
        sql_time,
    )
    row(
        "wizard",
        "every volunteer ranked, on demand (show every volunteer; printed)",
        everyone,
        sql_time,
    )


def make_due():
    """What the scheduled actions find due at once on the network at scale:
    every request waiting for more than a day, the deadlines of the next
    three months, enough sponsors' meetings coming in the reminder's delay,
    the end of every sponsorship under way (their modules done); the idle
    sponsorships as populated."""
    company = env.company
    company.write(
        {
            "ess_sponsorship_wait_days": 1,
            "ess_action_reminder_days": 90,
            "ess_sponsor_meeting_reminder_days": 30,
        }
    )
    sponsors = env["ess.sponsor"].search([("company_id", "=", company.id)])
    persons = sponsors.person_ids
    now = fields.Datetime.now()
    env["ess.sponsor.meeting"].create(
        [
            {
                "name": f"Rencontre des parrains {index + 1}",
                "start": now + timedelta(days=1 + index % 20, hours=index % 5),
                "attendee_ids": [(6, 0, persons[index % len(persons) :][:8].ids)],
            }
            for index in range(2 * BATCHES[-1])
        ]
    )
    # the sponsorships under way have done their modules: the end is to propose
    env["ess.sponsorship.module.line"].search([("sponsorship_id.state", "=", "in_progress")]).write(
        {"done": True}
    )
    env.flush_all()


def crons():
    print("\nscheduled actions, one batch each (in the shell, rolled back)")
    record = env["ess.guide.year"].search([], limit=1)
    activity_type = env.ref("mail.mail_activity_data_todo")

    def schedule_one():
        record.activity_schedule(
            activity_type_id=activity_type.id, summary="Bench", user_id=env.uid
        )

    cr.execute("SAVEPOINT bench_anchor")
    odoo_ms, odoo_queries = measure(schedule_one)
    cr.execute("ROLLBACK TO SAVEPOINT bench_anchor")
    print(f"  anchor: Odoo's activity_schedule on one record: {odoo_ms:.2f} ms, {odoo_queries} q")
    make_due()
    data = env["ir.model.data"].search([("module", "=", "ess_network"), ("model", "=", "ir.cron")])
    failed = False
    for cron in env["ir.cron"].browse(data.mapped("res_id")):
        method = re.search(r"model\.(\w+)\(", cron.code).group(1)
        Model = env[cron.model_id.model]
        func = getattr(Model, method)
        label = f"{cron.model_id.model}.{method}"
        if "batch_size" not in inspect.signature(func).parameters:
            print(f"  {label}: takes no batch size")
            failed = True
            continue
        progress = env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        in_job = Model.with_context(ir_cron_progress_id=progress.id)
        # a first batch fills the caches (templates, activity types, rules)
        cr.execute("SAVEPOINT bench_cron")
        getattr(in_job, method)(batch_size=BATCHES[0])
        env.flush_all()
        cr.execute("ROLLBACK TO SAVEPOINT bench_cron")
        figures = []
        for size in BATCHES:
            cr.execute("SAVEPOINT bench_cron")
            env.invalidate_all()
            queries = cr.sql_log_count
            start = time.perf_counter()
            done = getattr(in_job, method)(batch_size=size)
            env.flush_all()
            done = done if isinstance(done, int) else len(done)
            elapsed = (time.perf_counter() - start) * 1000
            figures.append((size, done, cr.sql_log_count - queries, elapsed))
            cr.execute("ROLLBACK TO SAVEPOINT bench_cron")
            env.invalidate_all()
        (small, small_done, small_q, _t), (big, big_done, big_q, big_t) = figures
        flat = big_q <= small_q or big_done <= small_done
        failed |= not flat
        print(
            f"  {label:<45} batch {small}: {small_done} done, {small_q} q; "
            f"batch {big}: {big_done} done, {big_q} q"
            f"{'  (constant)' if small_q == big_q else ''}"
            f"{'' if flat else '  QUERIES GROW WITH THE BATCH'}"
        )
        if big_done:
            row("cron", f"{label}: per record (anchor: 1 activity)", big_t / big_done, odoo_ms)
    return failed


def same_cells(content):
    """The cells of an XLSX file written again by raw xlsxwriter, no formats:
    the floor of writing that file."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]

    def write():
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        for title, rows in cells:
            sheet = workbook.add_worksheet(title)
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    if value is not None:
                        sheet.write(r, c, value)
        workbook.close()
        return output.getvalue()

    return write, sum(len(values) for _title, rows in cells for values in rows)


def reports(member):
    print("\nreports and exports, in the shell")
    company = env.company
    year = fields.Date.today().year - 1
    Report = env["ess.network.report"]
    xlsx = env["report.ess_network.network_report_xlsx"]
    wizard = env["ess.network.report.print"].create({"company_id": company.id, "year": year})

    def network_xlsx():
        return xlsx.with_context(active_model=wizard._name).create_xlsx_report(wizard.ids, {})[0]

    write, cells = same_cells(network_xlsx())
    report_ms, _q = measure(lambda: Report._ess_figures(company, year))
    xlsx_ms, _q = measure(network_xlsx)
    raw_ms, _q = measure(write)
    row("report", f"network report {year}: figures (anchor: raw xlsxwriter)", report_ms, raw_ms)
    row("xlsx", f"network report {year}: XLSX, {cells} cells (anchor: raw)", xlsx_ms, raw_ms)
    guide = env["ess.guide.year"].search(
        [("partner_id", "=", member.partner_id.commercial_partner_id.id)],
        order="year desc",
        limit=1,
    )
    export = env["report.ess_network.guide_year_xlsx"]
    content = export._ess_render(guide)[0]
    write, cells = same_cells(content)
    guide_ms, _q = measure(lambda: export._ess_render(guide))
    raw_ms, _q = measure(write)
    row("xlsx", f"guide year {guide.year}: XLSX, {cells} cells (anchor: raw)", guide_ms, raw_ms)


def markdown(path):
    """The table of every figure, as the README shows it."""
    lines = [
        "| part | what | figure | anchor | ratio | target |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for kind, label, figure, anchor, unit, target in ROWS:
        label = label.replace("|", "\\|")
        lines.append(
            f"| {kind} | {label} | {figure:.1f} {unit} | {anchor:.1f} {unit} "
            f"| {figure / anchor:.2f} × | {f'≤ {target:g} ×' if target else '—'} |"
        )
    with open(path, "w", encoding="utf-8") as output:
        output.write("\n".join(lines) + "\n")
    print(f"\nthe table in Markdown: {path}")


def summary(cron_failed):
    past = [r for r in ROWS if r[5] is not None and r[2] / r[3] > r[5]]
    print("\nsummary (figure / anchor, target):")
    for kind in ("list", "kanban", "pivot", "graph", "portal", "wizard", "cron", "report", "xlsx"):
        rows = [r for r in ROWS if r[0] == kind]
        # the worst of the rows with a target; the others are printed beside
        targeted = [r for r in rows if r[5] is not None] or rows
        ratios = [r[2] / r[3] for r in targeted]
        if ratios:
            target = targeted[0][5]
            printed = len(rows) - len(targeted)
            print(
                f"  {kind:<8} {len(ratios):3d} measured, worst {max(ratios):6.2f} x, "
                f"median {statistics.median(ratios):5.2f} x"
                f"{f', target {target:g} x' if target else ', no target (printed)'}"
                f"{f'; {printed} more printed' if printed else ''}"
            )
    for kind, label, figure, anchor, _unit, target in past:
        print(f"  PAST TARGET: {kind} {label}: {figure / anchor:.2f} x > {target:g} x")
    if cron_failed:
        print("  PAST TARGET: a scheduled action's queries grow with its batch, or it has none")
    return bool(past or cron_failed)


print(f"scale benchmark on {cr.dbname}: {scale.counts(env)}")
staff, member = users()
# ESS_BENCH_ONLY=portal,crons: only those parts (to work on one)
ONLY = set(filter(None, os.environ.get("ESS_BENCH_ONLY", "").split(",")))
cron_failed = False
if not ONLY or "backend" in ONLY:
    backend(staff)
if not ONLY or "portal" in ONLY:
    portal(member)
if not ONLY or "designation" in ONLY:
    designation()
if not ONLY or "crons" in ONLY:
    cron_failed = crons()
if not ONLY or "reports" in ONLY:
    reports(member)
cr.rollback()
if os.environ.get("ESS_BENCH_MARKDOWN"):
    markdown(os.environ["ESS_BENCH_MARKDOWN"])
sys.exit(1 if summary(cron_failed) else 0)
