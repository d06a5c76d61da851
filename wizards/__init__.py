from . import (
    ess_guide_year_import,
    ess_membership_decide,
    ess_membership_withdraw,
    ess_network_report_print,
    ess_practice_return,
    ess_sponsorship_close,
    ess_sponsorship_cohort,
    ess_sponsorship_designate,
)
