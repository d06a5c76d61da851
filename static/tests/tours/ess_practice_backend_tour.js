import { registry } from "@web/core/registry";

/** A staff member moderates a sheet a member proposed: returns it with a
 * comment, then publishes it; browses the library by theme. */
registry.category("web_tour.tours").add("ess_practice_moderation_tour", {
    url: "/odoo/action-ess_network.ess_practice_action_moderate",
    steps: () => [
        { trigger: ".o_list_view .o_data_row td:contains(Fiche du parcours)", run: "click" },
        { trigger: ".o_form_view button[name=action_open_return]", run: "click" },
        { trigger: ".modal .o_field_widget[name=comment] textarea", run: "edit Précisez le budget." },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        { trigger: ".o_form_view .alert-warning:contains(Précisez le budget.)" },
        { trigger: ".o_form_view button[name=action_publish]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=published]" },
    ],
});

/** The library in the back end: the sheets by theme, searched by words. */
registry.category("web_tour.tours").add("ess_practice_library_tour", {
    url: "/odoo/action-ess_network.ess_practice_action",
    steps: () => [
        {
            trigger:
                ".o_kanban_view .o_kanban_group:contains(gouvernance démocratique) .o_kanban_record:contains(Fiche du parcours)",
        },
        { trigger: ".o_searchview_input", run: "edit parcours" },
        { trigger: ".o_searchview_autocomplete .o_menu_item:contains(Words)", run: "click" },
        { trigger: ".o_searchview_facet:contains(parcours)" },
        { trigger: ".o_kanban_record:contains(Fiche du parcours)" },
    ],
});
