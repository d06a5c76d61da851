"""Benchmark of the good-practice library's full-text search.

Run by ``./dev bench`` inside an Odoo shell on a throwaway database: it
creates ESS_BENCH_SHEETS sheets (``ess.practice._populate``, 5,000 by
default), then times the library's search (``_library_domain``: folded
words, tsvector, GIN index) beside its anchor measured in the same run: the
same words matched with ``ilike`` on the titles and texts (the first
version, a sequential scan). Nothing is committed.

    ESS_BENCH_SHEETS=20000 ./dev bench
"""

import os
import time

# `env` is given by the Odoo shell.
env = globals()["env"]
SHEETS = int(os.environ.get("ESS_BENCH_SHEETS", "5000"))
ROUNDS = 20
SEARCHES = ("égalité professionnelle", "particip", "carbone biodiversité déchets", "gouvern")

Practice = env["ess.practice"]
start = time.perf_counter()
Practice._populate(SHEETS)
env.flush_all()
env.cr.execute("ANALYZE ess_practice")
print(
    f"library: {Practice.search_count([])} sheets ({time.perf_counter() - start:.1f} s to create)"
)


def timed(domain_of):
    """Milliseconds per search (first 20 sheets and their count, as a
    portal page), queries per search, sheets found."""
    found = 0
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    for _round in range(ROUNDS):
        for terms in SEARCHES:
            env.invalidate_all()
            domain = domain_of(terms)
            Practice.search(domain, limit=20).mapped("name")
            found = Practice.search_count(domain)
    elapsed = (time.perf_counter() - start) / (ROUNDS * len(SEARCHES)) * 1000
    count = (env.cr.sql_log_count - queries) / (ROUNDS * len(SEARCHES))
    return elapsed, count, found


def ilike(terms):
    domain = []
    for word in terms.split():
        domain += ["|", ("name", "ilike", word), ("description", "ilike", word)]
    return domain


fulltext_ms, fulltext_queries, fulltext_found = timed(lambda t: Practice._library_domain(terms=t))
ilike_ms, ilike_queries, ilike_found = timed(ilike)
print(
    f"{'library search, full text (GIN)':<44} {fulltext_ms:8.2f} ms {fulltext_queries:5.1f} queries"
)
print(f"{'anchor: the same words with ilike':<44} {ilike_ms:8.2f} ms {ilike_queries:5.1f} queries")
print(f"{'ratio full text / ilike':<44} {fulltext_ms / ilike_ms:8.2f}")
env.cr.rollback()
