from . import (
    test_adhesion_form,
    test_employment_area,
    test_i18n,
    test_membership,
    test_membership_portal,
    test_membership_security,
    test_membership_tour,
)
