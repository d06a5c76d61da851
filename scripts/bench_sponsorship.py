"""Benchmark of the sponsorship of new members at network scale.

Run by ``./dev bench`` inside an Odoo shell on a throwaway database without
demo data, after the guide's benchmark. It builds a network of ORGS member
organisations, then prints how long the heavy operations take and how many
SQL queries they run, each beside an anchor (a plain query doing the least the
operation must do) and their ratio. Nothing is committed.

    ESS_BENCH_SPONSOR_ORGS=5000 ./dev bench

ESS_BENCH_KEEP=1 commits the network instead (in a shell of your own
database: ./dev bench always works on a throwaway one).

The network (fixed random seed, so that two runs compare):

- AREAS employment areas on a grid of 5 columns, each the neighbour of the
  areas beside it (2 to 4 neighbours); organisations spread over them
  unevenly (a few big towns, many small areas);
- SECTORS sectors of activity (res.partner.industry), unevenly too;
- every organisation a member with its membership file (through the ORM,
  with its checklists): the last NEW_MEMBERS joined lately (appropriation
  phase), the others years ago;
- cross-evaluations: about 30 % of the organisations have had a completed
  one (rule 1), about 25 % have conducted one (rule 2), volunteers more often
  than the others. Their rows are inserted by SQL into ess_evaluation
  (completed, without their grids: creating grids would only slow the
  set-up), and the two stored flags of res.partner are then computed by SQL
  from those rows, as the ORM would;
- about 2 declared commercial relationships per organisation (SQL rows of
  the relation table, random pairs);
- SPONSORS volunteers among the older members (ORM), capacity 1 to 3, one in
  twenty paused, each with a sponsor person;
- SPONSORSHIPS sponsorships of the new members (ORM, as superuser so that
  each starts in its state): historical ones ended or cancelled, requests
  waiting (some for long), designated ones, and sponsorships in progress -
  idle for long, at their modules' guideline, or active - with their
  sessions (calendar events) and module hours. They give the volunteers
  their load (about a third of the pool's capacity) and experience.
"""

import os
import random
import time
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.ess_network.tools import scale

# `env` is given by the Odoo shell.
env = globals()["env"]
ORGS = int(os.environ.get("ESS_BENCH_SPONSOR_ORGS", "5000"))
AREAS = 40
SECTORS = 15
SPONSORS = max(ORGS * 12 // 100, 10)
SPONSORSHIPS = max(ORGS * 40 // 100, 10)
NEW_MEMBERS = SPONSORSHIPS
RUNS = 5  # the candidates are listed RUNS times (cold cache): the median is printed
# population is not what is measured: no chatter, no followers
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
rng = random.Random(2024)
cr = env.cr
company = env.company
today = fields.Date.context_today(env["res.partner"])
now = fields.Datetime.now()


def timed(label, func, anchor=None, per=None):
    """Run ``func`` on a cold cache, as in a new request (its user read);
    print its time and
    query count, and its ratio to ``anchor`` (seconds) when given."""
    env.invalidate_all()
    env.user.read(["tz", "lang"])  # a request knows its user's time zone and language
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    count = cr.sql_log_count - queries
    rate = f", {elapsed / per * 1000:.1f} ms each" if per else ""
    ratio = f"  {elapsed / anchor:6.1f} x anchor" if anchor else ""
    print(f"{label:<62} {elapsed:8.3f} s {count:7d} queries{ratio}{rate}")
    return result, elapsed, count


def section(title):
    print(f"\n--- {title}")


last_step = [time.perf_counter()]


def step(label):
    """Print how long the set-up step just done took."""
    now_ = time.perf_counter()
    print(f"  {label:<60} {now_ - last_step[0]:8.1f} s")
    last_step[0] = now_


# ------------------------------------------------------------------ the network
section(f"populating: {ORGS} organisations, {SPONSORS} volunteers, {SPONSORSHIPS} sponsorships")
setup_start = time.perf_counter()
Env = env(context=dict(env.context, **QUIET))
Area = Env["ess.employment.area"]
Partner = Env["res.partner"]
Sponsorship = Env["ess.sponsorship"]
company.ess_sponsorship_user_id = env.ref("base.user_admin")

areas = Area.create(
    [{"name": f"Bassin {i + 1:02d}", "code": f"B{i + 1:02d}"} for i in range(AREAS)]
)
for i, area in enumerate(areas):
    beside = [j for j in (i + 1 if (i + 1) % 5 else None, i + 5) if j is not None and j < AREAS]
    if beside:
        area.neighbour_ids = [Command.link(areas[j].id) for j in beside]
sectors = env["res.partner.industry"].search([], order="id", limit=SECTORS)
area_weights = [1 / (rank + 1) ** 0.8 for rank in range(AREAS)]
sector_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(sectors))]

orgs = Partner.create(
    [
        {
            "name": f"Organisation {i + 1:05d}",
            "is_company": True,
            "company_id": company.id,
            "ess_employment_area_id": rng.choices(areas, area_weights)[0].id,
            "industry_id": rng.choices(sectors, sector_weights)[0].id,
            "ess_organization_kind": rng.choice(["association", "cooperative", "scop", "mutuelle"]),
        }
        for i in range(ORGS)
    ]
)
older, newer = orgs[:-NEW_MEMBERS], orgs[-NEW_MEMBERS:]
step(f"{AREAS} employment areas, {ORGS} organisations")


def membership_values(partner, recent):
    since = today - timedelta(days=rng.randint(30, 700) if recent else rng.randint(800, 3600))
    operational = not recent and rng.random() < 0.7
    return {
        "partner_id": partner.id,
        "state": "member",
        "member_since": since,
        "appropriation_date": since,
        "phase": "operational" if operational else "appropriation",
        "operational_date": since + timedelta(days=rng.randint(90, 400)) if operational else False,
    }


Env["ess.membership"].create(
    [membership_values(p, False) for p in older] + [membership_values(p, True) for p in newer]
)
step(f"{ORGS} membership files with their checklists")

volunteers = Partner.browse(rng.sample(older.ids, SPONSORS))
persons = Partner.create(
    [
        {
            "name": f"Parrain de {org.name}",
            "parent_id": org.id,
            "email": f"parrain.{org.id}@organisation.example",
        }
        for org in volunteers
    ]
)
pool = Env["ess.sponsor"].create(
    [
        {
            "partner_id": org.id,
            "person_ids": [Command.set(person.ids)],
            "capacity": rng.choice([1, 1, 2, 2, 2, 3]),
            "paused_until": today + timedelta(days=60) if rng.random() < 0.05 else False,
            "volunteer_date": today - timedelta(days=rng.randint(30, 1500)),
        }
        for org, person in zip(volunteers, persons, strict=True)
    ]
)
step(f"{SPONSORS} volunteers with their sponsor person")

# cross-evaluations (SQL, see the docstring): volunteers evaluated and
# evaluating more often than the others
volunteer_ids, other_ids = set(volunteers.ids), [p for p in older.ids if p not in volunteers.ids]
evaluated = rng.sample(sorted(volunteer_ids), int(SPONSORS * 0.7)) + rng.sample(
    other_ids + newer.ids, int(ORGS * 0.3) - int(SPONSORS * 0.7)
)
evaluators = rng.sample(sorted(volunteer_ids), int(SPONSORS * 0.6)) + rng.sample(
    other_ids, int(ORGS * 0.25) - int(SPONSORS * 0.6)
)
pairs = []
for i, partner_id in enumerate(evaluated):
    evaluator = evaluators[i % len(evaluators)]
    if evaluator == partner_id:
        evaluator = evaluators[(i + 1) % len(evaluators)]
    pairs.append((partner_id, evaluator, today - timedelta(days=rng.randint(30, 1500))))
for evaluator in evaluators[len(evaluated) :]:  # every evaluator conducted one
    pairs.append((rng.choice(other_ids), evaluator, today - timedelta(days=rng.randint(30, 1500))))
env.flush_all()
cr.execute(
    """
    INSERT INTO ess_evaluation (partner_id, evaluator_partner_id, company_id, year, state,
                                date_completed, visit_duration, create_uid, write_uid,
                                create_date, write_date)
    SELECT p, e, %s, EXTRACT(YEAR FROM d)::int, 'completed', d, 3, 1, 1, now(), now()
      FROM unnest(%s::int[], %s::int[], %s::date[]) AS t(p, e, d)
    """,
    [company.id, [p for p, _e, _d in pairs], [e for _p, e, _d in pairs], [d for *_x, d in pairs]],
)
cr.execute(
    """
    UPDATE res_partner p
       SET ess_has_completed_evaluation = EXISTS (
               SELECT 1 FROM ess_evaluation e WHERE e.partner_id = p.id AND e.state = 'completed'),
           ess_has_conducted_evaluation = EXISTS (
               SELECT 1 FROM ess_evaluation e
                WHERE e.evaluator_partner_id = p.id AND e.state = 'completed')
     WHERE p.id = ANY(%s)
    """,
    [orgs.ids],
)
# what the ORM stores from the flags (the volunteers' rules 1 and 2) follows
FLAGS = ["ess_has_completed_evaluation", "ess_has_conducted_evaluation"]
orgs.invalidate_recordset(FLAGS)
orgs.modified(FLAGS)
Env.flush_all()
# about two declared commercial relationships per organisation
cr.execute(
    """
    INSERT INTO ess_partner_commercial_relation_rel (partner_id, related_partner_id)
    SELECT a, b FROM unnest(%s::int[], %s::int[]) AS t(a, b) WHERE a != b
    ON CONFLICT DO NOTHING
    """,
    [rng.choices(orgs.ids, k=2 * ORGS), rng.choices(orgs.ids, k=2 * ORGS)],
)
env.invalidate_all()
step(f"{len(pairs)} evaluations, the flags, {2 * ORGS} commercial relationships (SQL)")

# sponsorships of the new members
modules = env["ess.sponsorship.module"].search([], order="sequence, id")
guideline = {module: module.guideline_hours for module in modules}
capacity_left = {sponsor: sponsor.capacity for sponsor in pool}
kinds = (
    ["ended"] * 65
    + ["cancelled"] * 5
    + ["waiting_long"] * 5
    + ["waiting"] * 3
    + ["designated"] * 5
    + ["idle"] * 6
    + ["at_guideline"] * 5
    + ["active"] * 6
)
values, plan = [], []
for partner in newer:
    kind = rng.choice(kinds)
    chosen = modules[: rng.randint(1, 3)]
    vals = {
        "partner_id": partner.id,
        "request_date": today - timedelta(days=rng.randint(1, 12)),
        "module_line_ids": [Command.create({"module_id": m.id}) for m in chosen],
    }
    if kind not in ("waiting", "waiting_long", "cancelled"):
        if kind == "ended":
            sponsor = rng.choice(pool)
        else:
            free = [s for s, left in capacity_left.items() if left > 0]
            sponsor = rng.choice(free) if free else rng.choice(pool)
            capacity_left[sponsor] -= 1
        ago = {"ended": (400, 1500), "designated": (1, 10)}.get(kind, (90, 250))
        designated = now - timedelta(days=rng.randint(*ago))
        vals.update(
            sponsor_id=sponsor.id,
            designation_date=designated,
            request_date=designated.date() - timedelta(days=rng.randint(3, 40)),
            state="designated" if kind == "designated" else "in_progress",
        )
    if kind == "waiting_long":
        vals["request_date"] = today - timedelta(days=rng.randint(20, 120))
    values.append(vals)
    plan.append((kind, chosen))

sponsorships = Sponsorship.create(values)
step(f"{len(values)} sponsorships")
# the pole is asked to designate a sponsor for the requests only
Env["mail.activity"].search(
    [
        ("res_model", "=", "ess.sponsorship"),
        ("res_id", "in", sponsorships.filtered(lambda s: s.state != "requested").ids),
    ]
).unlink()


def session(sponsorship, days_ago, lines, state="held"):
    start = now - timedelta(days=days_ago)
    return {
        "sponsorship_id": sponsorship.id,
        "start": start,
        "duration": max(2.0, sum(hours for _m, hours in lines)),
        "state": state,
        "line_ids": [Command.create({"module_id": m.id, "hours": h}) for m, h in lines],
    }


sessions = []
for sponsorship, (kind, chosen) in zip(sponsorships, plan, strict=True):
    since = (now - sponsorship.designation_date).days if sponsorship.designation_date else 0
    if kind == "ended":
        sessions.append(session(sponsorship, since - 20, [(m, guideline[m]) for m in chosen]))
    elif kind == "idle":
        sessions.append(session(sponsorship, rng.randint(40, min(since, 120)), [(chosen[0], 2.0)]))
    elif kind == "at_guideline":
        sessions.append(
            session(sponsorship, rng.randint(5, 30), [(m, guideline[m]) for m in chosen])
        )
    elif kind == "active":
        sessions.append(session(sponsorship, rng.randint(3, 20), [(chosen[0], 2.0)]))
        sessions.append(session(sponsorship, -rng.randint(5, 30), [(chosen[0], 0.0)], "planned"))
Env["ess.sponsorship.session"].create(sessions)
step(f"{len(sessions)} sessions (calendar events)")
ended = Sponsorship.browse(
    [s.id for s, (kind, _m) in zip(sponsorships, plan, strict=True) if kind == "ended"]
)
for sponsorship in ended:
    sponsorship.write(
        {"state": "ended", "end_date": sponsorship.last_session_date + timedelta(days=10)}
    )
cancelled = [s for s, (kind, _m) in zip(sponsorships, plan, strict=True) if kind == "cancelled"]
Sponsorship.browse([s.id for s in cancelled]).write(
    {"state": "cancelled", "cancel_reason": "Le nouveau membre a renoncé."}
)
env.flush_all()
# a live database's statistics are kept up to date by autovacuum
cr.execute(
    "ANALYZE res_partner, ess_sponsor, ess_sponsorship, ess_evaluation, "
    "ess_partner_commercial_relation_rel, ess_employment_area_neighbour_rel"
)
step("the end of the sponsorships, statistics (ANALYZE)")
by_state = dict(Sponsorship._read_group([], ["state"], ["__count"]))
print(
    f"populated in {time.perf_counter() - setup_start:.0f} s: "
    + ", ".join(f"{count} {state}" for state, count in sorted(by_state.items()))
)
cr.execute(
    "SELECT AVG(ess_has_completed_evaluation::int), AVG(ess_has_conducted_evaluation::int) "
    "FROM res_partner WHERE id = ANY(%s)",
    [orgs.ids],
)
completed_share, conducted_share = cr.fetchone()
print(
    f"organisations: {completed_share:.0%} evaluated (rule 1), {conducted_share:.0%} "
    f"evaluators (rule 2); {len(pool)} volunteers, load "
    f"{sum(pool.mapped('load'))} of {sum(pool.mapped('capacity'))} places"
)

# ------------------------------------------------------------- the five rules


def plain_eligible(member):
    return scale.eligible_sponsor_ids(env, member, company, today)


def median_run(label, func, anchor=None):
    runs = [timed(f"{label} (run {i + 1})", func, anchor) for i in range(RUNS)]
    result, elapsed, count = sorted(runs, key=lambda run: run[1])[RUNS // 2]
    ratio = f"  {elapsed / anchor:6.1f} x anchor" if anchor else ""
    print(f"{'  median: ' + label:<62} {elapsed:8.3f} s {count:7d} queries{ratio}")
    return result, elapsed


section(f"the designation of a sponsor for one new member ({RUNS} cold runs)")
Sponsor = env["ess.sponsor"]
waiting = Sponsorship.search([("state", "=", "requested")], order="id")
# a request of the biggest employment area: the most volunteers near it
request = (
    waiting.filtered(lambda s: s.partner_id.ess_employment_area_id == areas[0])[:1] or waiting[:1]
)
member = request.partner_id
plain_ids, anchor = median_run(
    "anchor: one plain SQL query, eligible sponsor ids", lambda: plain_eligible(member)
)
proposed, elapsed = median_run(
    "the five rules checked, the candidates for which they hold ranked",
    lambda: Sponsor._sponsorship_candidates(member, company, passing=True),
    anchor,
)
candidates, every = median_run(
    "every volunteer ranked (on demand: show every volunteer)",
    lambda: Sponsor._sponsorship_candidates(member, company),
    anchor,
)
eligible_ids = {c["sponsor"].id for c in candidates if c["eligible"]}
assert eligible_ids == plain_ids == {c["sponsor"].id for c in proposed if c["eligible"]}, (
    f"the ORM and the plain query disagree: {sorted(eligible_ids ^ plain_ids)[:20]}"
)
print(
    f"  {len(candidates)} volunteers, {len(proposed)} for which the rules hold, "
    f"{len(eligible_ids)} eligible (the same ids every way); the designation "
    f"{elapsed * 1000:.0f} ms = {elapsed / anchor:.1f} x the plain query (target: within 3 x); "
    f"every volunteer {every * 1000:.0f} ms = {every / anchor:.1f} x"
)
timed(
    "the designation wizard of that request (its lines with their reasons)",
    lambda: env["ess.sponsorship.designate"]
    .with_context(default_sponsorship_id=request.id)
    .create({})
    .line_ids,
)

# ------------------------------------------------------------------ the crons
section(f"scheduled actions over {len(sponsorships)} sponsorships (first run, then again)")
CRONS = [
    ("ess.sponsorship", "_cron_waiting_requests"),
    ("ess.sponsorship", "_cron_idle_sponsorships"),
    ("ess.sponsorship", "_cron_propose_end"),
    ("ess.sponsor.meeting", "_cron_sponsor_meetings"),
]
fetched = ["state", "request_date", "designation_date", "last_session_date", "sponsor_id"]
_records, anchor, _count = timed(
    f"anchor: load the {len(sponsorships)} sponsorships (one search_fetch)",
    lambda: env["ess.sponsorship"].search_fetch([], fetched),
)


def made():
    """How many activities and e-mails there are."""
    cr.execute("SELECT (SELECT COUNT(*) FROM mail_activity), (SELECT COUNT(*) FROM mail_mail)")
    return cr.fetchone()


for model, method in CRONS:
    if not hasattr(env[model], method):
        print(f"{model}.{method}: not on this branch, skipped")
        continue
    before = made()
    timed(f"{model}.{method}", getattr(env[model], method), anchor)
    after = made()
    print(f"  (made {after[0] - before[0]} activities, {after[1] - before[1]} e-mails)")
    timed(f"{model}.{method}, run again (nothing to do)", getattr(env[model], method), anchor)
activities = env["mail.activity"].search_count([("res_model", "=", "ess.sponsorship")])
print(f"  activities on sponsorships after the crons: {activities}")

if os.environ.get("ESS_BENCH_KEEP"):
    env.cr.commit()
    print("\ncommitted (ESS_BENCH_KEEP): the network stays in the database, to profile")
else:
    env.cr.rollback()
    print("\nrolled back: nothing was kept")
