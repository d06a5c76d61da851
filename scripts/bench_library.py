"""Benchmark of the portal's good-practice library at network scale.

Run by ``./dev bench`` inside an Odoo shell on a throwaway database without
demo data. It inserts, by SQL, SHEETS published sheets (titles and texts
drawn from a vocabulary of the guide, a theme and often a domain of action
each, one to three kinds of organisation), then times what the portal's
library page does for a member (``/my/library``, as a portal user, record
rules included): count the sheets found, read the page of sheets shown
(80) with their theme, domain and kinds — for a word search and for a
theme filter. Each figure is printed beside its anchor measured in the same
run: one plain SQL query that finds the same page of ids and the count
(``ILIKE`` on title and text, or the theme), without rules nor ORM; and
their ratio. Nothing is committed.

    ESS_BENCH_LIBRARY_SHEETS=5000 ./dev bench
"""

import json
import os
import random
import statistics
import time

from odoo.addons.ess_network.controllers.portal_library import search_text

# `env` is given by the Odoo shell.
env = globals()["env"]
SHEETS = int(os.environ.get("ESS_BENCH_LIBRARY_SHEETS", "5000"))
PAGE = 80  # the portal's page (CustomerPortal._items_per_page)
RUNS = 5
cr = env.cr
rng = random.Random(2026)
WORDS = (
    "salariés gouvernance conseil administration junior filières locales égalité "
    "professionnelle formation bénévoles sociétaires territoire achats responsables "
    "biodiversité carbone mobilité dialogue parties prenantes handicap insertion "
    "jeunes mutualisation énergie déchets circuits courts coopération assemblée "
    "générale transparence rémunérations partage valeur ancrage territorial"
).split()


def sentence(count):
    return " ".join(rng.choice(WORDS) for _index in range(count))


def populate():
    start = time.perf_counter()
    themes = env["ess.guide.theme"].search([])
    domains = env["ess.guide.domain"].search([])
    kinds = env["ess.organisation.kind"].search([])
    if not kinds:
        kinds = kinds.create(
            [{"name": name} for name in ("Association", "Mutuelle", "Coopérative", "Scop", "SCIC")]
        )
    rows = []
    for index in range(SHEETS):
        domain = rng.choice(domains) if rng.random() < 0.7 else None
        theme = domain.theme_id if domain else rng.choice(themes)
        title = f"{sentence(rng.randint(3, 7)).capitalize()} {index}"
        text = "<p>" + "</p><p>".join(sentence(rng.randint(25, 60)) for _p in range(3)) + "</p>"
        rows.append((title, text, theme.id, domain.id if domain else None))
    cr.execute(
        """
        INSERT INTO ess_practice (name, description, theme_id, domain_id, state, active,
               date_published, create_uid, write_uid, create_date, write_date)
        SELECT r.name, r.description, r.theme_id, r.domain_id, 'published', TRUE,
               current_date - (random() * 1500)::int, %s, %s, now(), now()
          FROM jsonb_to_recordset(%s::jsonb)
               AS r(name varchar, description text, theme_id int, domain_id int)
        RETURNING id
        """,
        [
            env.uid,
            env.uid,
            json.dumps(
                [
                    {"name": n, "description": d, "theme_id": t, "domain_id": m}
                    for n, d, t, m in rows
                ]
            ),
        ],
    )
    ids = [row[0] for row in cr.fetchall()]
    kind_rows = [
        (practice_id, kind_id)
        for practice_id in ids
        for kind_id in rng.sample(kinds.ids, rng.randint(1, min(3, len(kinds))))
    ]
    cr.execute(
        """
        INSERT INTO ess_organisation_kind_ess_practice_rel (ess_practice_id, ess_organisation_kind_id)
        SELECT * FROM unnest(%s::int[], %s::int[])
        """,
        [[row[0] for row in kind_rows], [row[1] for row in kind_rows]],
    )
    cr.execute("ANALYZE ess_practice")
    env.invalidate_all()
    print(f"  set-up: {SHEETS} published sheets inserted in {time.perf_counter() - start:.1f} s")
    return themes


def member():
    organisation = env["res.partner"].create({"name": "Scop du Banc d'Essai", "is_company": True})
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Marie Banc",
                "login": "bench_library_member",
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
    )
    user.partner_id.parent_id = organisation
    return user


def measure(func):
    """Median time and the query count of RUNS cold-cache runs of ``func``."""
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


def library_page(user, search=None, theme=None):
    """What /my/library does for ``user``: the sheets found, counted, and
    the first page of them read as the page shows them."""

    def run():
        Practice = env(user=user)["ess.practice"]
        terms = search_text(Practice.env, search)
        domain = Practice._portal_library_domain(terms, theme)
        total = Practice.search_count(domain)
        Practice.search(domain, limit=PAGE).sudo()._portal_library_rows()
        return total

    return run


def anchor(search=None, theme=None):
    """One plain query: the same page of ids and the count of all found."""

    def run():
        where, params = ["state = 'published'", "active"], []
        for word in (search or "").split():
            where.append("(name ILIKE %s OR description ILIKE %s)")
            params += [f"%{word}%", f"%{word}%"]
        if theme:
            where.append("theme_id = %s")
            params.append(theme)
        cr.execute(
            f"""
            SELECT id, count(*) OVER ()
              FROM ess_practice
             WHERE {" AND ".join(where)}
             ORDER BY date_published DESC, id DESC
             LIMIT %s
            """,  # noqa: S608 - fixed clauses, values as parameters
            [*params, PAGE],
        )
        return cr.fetchall()

    return run


print(f"good-practice library: {SHEETS} published sheets, portal page of {PAGE}")
themes = populate()
user = member()
theme = themes[2].id if len(themes) > 2 else themes[0].id
cases = [
    ("word search “salariés”", {"search": "salariés"}),
    ("two words “circuits courts”", {"search": "circuits courts"}),
    (f"theme filter (theme {themes.browse(theme).code})", {"theme": theme}),
]
for label, params in cases:
    found = library_page(user, **params)()
    page_time, page_queries = measure(library_page(user, **params))
    anchor_time, anchor_queries = measure(anchor(**params))
    print(f"{label}: {found} sheets found")
    print(f"  {'portal library page (as a member)':<48} {page_time * 1000:8.1f} ms {page_queries:4d} queries")
    print(f"  {'anchor: one plain SQL query':<48} {anchor_time * 1000:8.1f} ms {anchor_queries:4d} queries")
    print(f"  {'ratio page / anchor':<48} {page_time / anchor_time:8.2f} x")
env.cr.rollback()
print("rolled back: nothing was kept")
