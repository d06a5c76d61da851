from . import ess_membership_decide
from . import ess_membership_withdraw
