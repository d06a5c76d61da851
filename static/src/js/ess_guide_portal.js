import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * Guide of good practices on the portal: the reason fields show when a theme
 * is not retained or a question not treated.
 */
publicWidget.registry.EssGuidePortalForm = publicWidget.Widget.extend({
    selector: ".o_ess_guide_form",
    events: {
        "change select.o_ess_decision": "_onDecisionChange",
        "change input.o_ess_retained": "_onRetainedChange",
    },

    _onDecisionChange(ev) {
        const theme = ev.currentTarget.closest(".o_ess_theme");
        const notRetained = ev.currentTarget.value === "not_retained";
        theme.querySelector(".o_ess_theme_reason").classList.toggle("invisible", !notRetained);
    },

    _onRetainedChange(ev) {
        const row = ev.currentTarget.closest(".o_ess_line_inputs");
        const treated = ev.currentTarget.checked;
        row.classList.toggle("o_ess_not_treated", !treated);
        row.querySelector(".o_ess_line_reason").classList.toggle("d-none", treated);
    },
});
