import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * Self-assessment grid on the portal: a question marked "not applicable"
 * has no level (its levels are disabled, hence not posted), and the chosen
 * level's description shows under the levels.
 */
publicWidget.registry.EssAssessmentPortalForm = publicWidget.Widget.extend({
    selector: ".o_ess_assessment_form",
    events: {
        "change input.o_ess_na": "_onNotApplicableChange",
        "change .o_ess_levels input[type=radio]": "_onLevelChange",
    },

    _showHelp(answer) {
        const checked = answer.querySelector(".o_ess_levels input[type=radio]:checked:not(:disabled)");
        answer.querySelector(".o_ess_level_help").textContent = checked
            ? checked.dataset.description
            : "";
    },

    _onNotApplicableChange(ev) {
        const answer = ev.currentTarget.closest(".o_ess_answer");
        const notApplicable = ev.currentTarget.checked;
        answer.classList.toggle("o_ess_answer_na", notApplicable);
        for (const radio of answer.querySelectorAll(".o_ess_levels input[type=radio]")) {
            radio.disabled = notApplicable;
        }
        this._showHelp(answer);
    },

    _onLevelChange(ev) {
        this._showHelp(ev.currentTarget.closest(".o_ess_answer"));
    },
});
