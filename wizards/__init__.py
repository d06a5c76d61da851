from . import ess_membership_decide, ess_membership_withdraw
