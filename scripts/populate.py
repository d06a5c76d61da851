"""Build a network at scale in the database of the Odoo shell (``./dev populate``).

ESS_SCALE_ORGS organisations (default 5000) × ESS_SCALE_YEARS years (default 5),
from the demo data outward (``odoo.addons.ess_network.tools.scale``); prints each
step's time and the records of each model, then commits.
ESS_SCALE_DRY=1 rolls back instead (to try the generator).
"""

import os
import time

from odoo.addons.ess_network.tools import scale

# `env` is given by the Odoo shell.
env = globals()["env"]
ORGS = int(os.environ.get("ESS_SCALE_ORGS", "5000"))
YEARS = int(os.environ.get("ESS_SCALE_YEARS", "5"))

env = env(user=env.ref("base.user_admin").id)
before = scale.counts(env)
print(f"populating {env.cr.dbname}: {ORGS} organisations × {YEARS} years")
start = time.perf_counter()


def log(label, seconds, count):
    print(f"  {label:<45} {count:9d} {seconds:8.1f} s", flush=True)


scale.populate(env, ORGS, YEARS, log=log)
total = time.perf_counter() - start
after = scale.counts(env)
print(f"built in {total:.0f} s; records per model (made / now in the database):")
for model, count in after.items():
    print(f"  {model:<30} {count - before[model]:9d} {count:9d}")
if os.environ.get("ESS_SCALE_DRY"):
    env.cr.rollback()
    print("rolled back (ESS_SCALE_DRY)")
else:
    env.cr.commit()
    print("committed")
