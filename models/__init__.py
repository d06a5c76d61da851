from . import (
    ess_employment_area,
    ess_membership,
    ess_membership_item,
    ess_phase_item,
    res_config_settings,
    res_partner,
)
