# the mixins first: the models below inherit them
from . import ess_organisation_mixin, ess_reference_mixin

# isort: split
# mixins built on those
from . import (
    ess_assessment_line,
    ess_checklist_mixin,
    ess_guide_reference,
    ess_guide_topic,
    ess_guide_year_base,
)

# isort: split
from . import (
    ess_action,
    ess_assessment,
    ess_assessment_answer,
    ess_assessment_portal,
    ess_assessment_score,
    ess_dialogue_mode,
    ess_employment_area,
    ess_evaluation,
    ess_evaluation_point,
    ess_evaluation_workflow,
    ess_guide_domain,
    ess_guide_question,
    ess_guide_step,
    ess_guide_theme,
    ess_guide_year,
    ess_guide_year_line,
    ess_guide_year_step,
    ess_guide_year_theme,
    ess_maturity_level,
    ess_membership,
    ess_membership_item,
    ess_membership_portal_access,
    ess_membership_workflow,
    ess_phase_item,
    ess_sponsor,
    ess_sponsor_meeting,
    ess_sponsor_portal,
    ess_sponsor_rules,
    ess_sponsorship,
    ess_sponsorship_cron,
    ess_sponsorship_designation,
    ess_sponsorship_measures,
    ess_sponsorship_module,
    ess_sponsorship_outcome,
    ess_sponsorship_portal,
    ess_sponsorship_session,
    ess_stakeholder,
    ir_http,
    res_company,
    res_config_settings,
    res_partner,
    res_partner_portal_access,
    res_partner_sponsorship,
)
