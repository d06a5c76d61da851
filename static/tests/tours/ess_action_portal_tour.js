import { registry } from "@web/core/registry";

/** Set an input's value as a browser's date picker does. */
function fillValue(trigger, value) {
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
 * A member adds an action to its action plan on the portal, linked to an
 * indicator of its guide, then archives another action with a reason.
 */
registry.category("web_tour.tours").add("ess_action_portal_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/actions']", run: "click" },
        { trigger: "a.o_ess_action_new", run: "click" },
        {
            trigger: ".o_ess_action_new_form input[name=name]",
            run: "edit Former les salariés à la RSE",
        },
        { trigger: ".o_ess_action_new_form select[name=pilot_id]", run: "selectByLabel Paula Pilote" },
        fillValue(".o_ess_action_new_form input[name=date_start]", "2025-03-01"),
        fillValue(".o_ess_action_new_form input[name=date_deadline]", "2025-12-31"),
        { trigger: ".o_ess_action_new_form input[name=budget]", run: "edit 1500" },
        {
            trigger: ".o_ess_action_new_form select[name=question_id]",
            run: "selectByLabel 1.3.2 Pourcentage",
        },
        {
            trigger: ".o_ess_action_new_form textarea[name=description]",
            run: "edit Deux sessions d'une journée.",
        },
        { trigger: "button.o_ess_action_new_save", run: "click" },
        { trigger: ".o_ess_action_created" },
        { trigger: "h2:contains(Former les salariés à la RSE)" },
        // back to the plan: the new action is listed
        { trigger: ".o_portal_submenu a[href='/my/actions']", run: "click" },
        { trigger: ".o_ess_action_row a:contains(Former les salariés à la RSE)" },
        // archive the older action, with the reason
        { trigger: ".o_ess_action_row a:contains(Former les administrateurs)", run: "click" },
        { trigger: "button.o_ess_action_archive", run: "click" },
        {
            trigger: ".modal.show textarea[name=archive_reason]",
            run: "edit Remplacée par la formation des salariés.",
        },
        { trigger: ".modal.show button.o_ess_action_archive_confirm", run: "click" },
        { trigger: ".o_ess_action_archived" },
        { trigger: ".o_ess_action_row a:contains(Former les salariés à la RSE)" },
    ],
});
