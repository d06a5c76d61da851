import { registry } from "@web/core/registry";

/** Type a number like a user; "edit" would lose the decimal point of "12.5". */
function fillNumber(trigger, value) {
    return {
        trigger,
        run() {
            this.anchor.value = value;
            this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
            this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

/**
 * A member fills its guide of good practices on the portal, then updates the
 * progress of an action of its action plan.
 */
registry.category("web_tour.tours").add("ess_guide_portal_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/guide']", run: "click" },
        { trigger: ".o_portal_my_doc_table a[href^='/my/guide/']", run: "click" },
        // theme 8 is not retained, with its reason
        { trigger: ".o_ess_theme[data-code='8'] select.o_ess_decision", run: "select not_retained" },
        {
            trigger: ".o_ess_theme[data-code='8'] .o_ess_theme_reason:not(.invisible) textarea",
            run: "edit Thème non traité car déjà couvert par notre démarche qualité.",
        },
        // indicator 1.3.2: baseline, objectives, measured value
        fillNumber(".o_ess_line[data-code='1.3.2'] input[name$='_baseline']", "12.5"),
        { trigger: ".o_ess_line[data-code='1.3.2'] input[name$='_objective_1y']", run: "edit 20" },
        { trigger: ".o_ess_line[data-code='1.3.2'] input[name$='_objective_3y']", run: "edit 40" },
        { trigger: ".o_ess_line[data-code='1.3.2'] input[name$='_value']", run: "edit 15" },
        // question 1.3.1: the baseline is a text
        {
            trigger: ".o_ess_line[data-code='1.3.1'] textarea[name$='_baseline']",
            run: "edit 45 % des membres présents à l'AG",
        },
        { trigger: "button.o_ess_guide_save", run: "click" },
        { trigger: ".o_ess_guide_saved" },
        { trigger: ".o_ess_theme[data-code='8'] .badge:contains(Not retained)" },
        // the action plan
        { trigger: ".o_ess_guide_portal a[href='/my/actions']", run: "click" },
        { trigger: ".o_ess_action_row a:contains(Former les administrateurs)", run: "click" },
        { trigger: ".o_ess_action_form input[name=progress]", run: "edit 60" },
        { trigger: ".o_ess_action_form select[name=state]", run: "select in_progress" },
        {
            trigger: ".o_ess_action_form textarea[name=comment]",
            run: "edit Première session de formation faite.",
        },
        { trigger: "button.o_ess_action_update", run: "click" },
        { trigger: ".o_ess_action_saved" },
        // the comment is in the action's chatter (and the chatter has loaded
        // before the browser closes)
        {
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(Première session de formation faite.)",
        },
    ],
});
