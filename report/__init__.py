from . import ess_guide_year_xlsx
