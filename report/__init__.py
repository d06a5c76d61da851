from . import (
    ess_evaluation_report,
    ess_guide_year_ag_report,
    ess_guide_year_public_report,
    ess_guide_year_xlsx,
    ess_network_report,
)
