from . import (
    test_action,
    test_adhesion_form,
    test_employment_area,
    test_guide_portal,
    test_guide_tour,
    test_guide_xlsx,
    test_guide_year,
    test_i18n,
    test_membership,
    test_membership_portal,
    test_membership_security,
    test_membership_tour,
)
