import { registry } from "@web/core/registry";

/**
 * A member fills part of its self-assessment on the portal (levels, a
 * question not applicable, a comment), saves and sees its score, then adds a
 * stakeholder to its stakeholder map.
 */
registry.category("web_tour.tours").add("ess_assessment_portal_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/assessments']", run: "click" },
        { trigger: ".o_ess_assessment_row a[href^='/my/assessments/']", run: "click" },
        { trigger: ".o_ess_overall_score:contains(–)" },
        // 1.3.1: the top level, with a comment
        {
            trigger: ".o_ess_answer[data-code='1.3.1'] .o_ess_levels label[data-value='4']",
            run: "click",
        },
        { trigger: ".o_ess_answer[data-code='1.3.1'] .o_ess_level_help:not(:empty)" },
        {
            trigger: ".o_ess_answer[data-code='1.3.1'] textarea[name$='_comment']",
            run: "edit Compte rendu du conseil d'administration joint.",
        },
        // 1.3.2: level 2
        {
            trigger: ".o_ess_answer[data-code='1.3.2'] .o_ess_levels label[data-value='2']",
            run: "click",
        },
        // 1.3.3 does not apply: its levels are disabled
        { trigger: ".o_ess_answer[data-code='1.3.3'] input.o_ess_na", run: "click" },
        { trigger: ".o_ess_answer[data-code='1.3.3'].o_ess_answer_na .o_ess_levels input:disabled" },
        { trigger: "button.o_ess_assessment_save", run: "click" },
        { trigger: ".o_ess_assessment_saved" },
        { trigger: ".o_ess_overall_score:contains(75 %)" },
        { trigger: ".o_ess_answered:contains(3 of)" },
        // the stakeholder map
        { trigger: ".o_portal_submenu a[href='/my/home']", run: "click" },
        { trigger: ".o_portal_index_card a[href='/my/stakeholders']", run: "click" },
        { trigger: ".o_ess_stakeholder_matrix" },
        { trigger: "a.o_ess_stakeholder_add", run: "click" },
        { trigger: "#o_ess_stakeholder_new_form.show input[name=name]", run: "edit Conseil départemental" },
        { trigger: "#o_ess_stakeholder_new_form select[name=category]", run: "select local_authorities" },
        { trigger: "#o_ess_stakeholder_new_form label[for=new_scope_external]", run: "click" },
        { trigger: "#o_ess_stakeholder_new_form select[name=influence]", run: "select 5" },
        { trigger: "#o_ess_stakeholder_new_form select[name=importance]", run: "select 4" },
        {
            trigger: "#o_ess_stakeholder_new_form .form-check:contains(Réunions) input",
            run: "click",
        },
        { trigger: "#o_ess_stakeholder_new_form button.o_ess_stakeholder_save", run: "click" },
        { trigger: ".o_ess_stakeholder_saved" },
        {
            trigger:
                ".o_ess_stakeholder_row:has(.o_ess_stakeholder_name:contains(Conseil départemental)) .o_ess_influence:contains(5)",
        },
        { trigger: ".o_ess_stakeholder_legend li:contains(Conseil départemental)" },
    ],
});
