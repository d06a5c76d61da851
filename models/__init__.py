from . import ess_employment_area
from . import ess_phase_item
from . import ess_membership
from . import ess_membership_item
from . import res_partner
from . import res_config_settings
