from . import ess_evaluation_report, ess_guide_year_public_report, ess_guide_year_xlsx
