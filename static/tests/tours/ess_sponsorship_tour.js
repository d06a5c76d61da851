import { registry } from "@web/core/registry";

/** Set a field the browser draws itself (a date, a time, a number). */
function fill(trigger, value) {
    return {
        trigger,
        run() {
            this.anchor.value = typeof value === "function" ? value() : value;
            this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
            this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

/** Yesterday, as the browser's date field writes it. */
function yesterday() {
    const date = new Date(Date.now() - 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const NEW_MEMBER = "Association Tour Parrainée";
const SPONSOR = "Coopérative Tour Marraine";

/** A new member asks for a sponsor on its portal. */
registry.category("web_tour.tours").add("ess_sponsorship_request_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/sponsorships']", run: "click" },
        { trigger: "a.o_ess_sponsorship_ask", run: "click" },
        { trigger: ".o_ess_sponsorship_request_form label:contains(Comment remplir la grille)", run: "click" },
        { trigger: ".o_ess_sponsorship_request_form label:contains(Comment établir un plan)", run: "click" },
        {
            trigger: ".o_ess_sponsorship_request_form textarea[name=needs]",
            run: "edit Remplir notre première grille d'autoévaluation.",
        },
        { trigger: "button.o_ess_sponsorship_request_send", run: "click" },
        { trigger: ".o_ess_sponsorship_saved" },
        { trigger: ".o_ess_sponsorship_other:contains(The sponsorship pole is choosing your sponsor)" },
        { trigger: ".o_ess_sponsorship_module:contains(Comment établir un plan)" },
    ],
});

/** The pole manager designates the sponsor in the back end's wizard. */
registry.category("web_tour.tours").add("ess_sponsorship_designate_tour", {
    url: "/odoo/action-ess_network.ess_sponsorship_action",
    steps: () => [
        { trigger: `.o_kanban_record:contains(${NEW_MEMBER})`, run: "click" },
        { trigger: ".o_form_view button[name=action_designate]", run: "click" },
        // the candidates with their five rules; the eligible one first
        { trigger: `.modal .o_field_widget[name=line_ids] .o_data_row:first:contains(${SPONSOR})` },
        {
            trigger: `.modal .o_data_row:contains(${SPONSOR}) button[name=action_designate]:contains(Designate)`,
            run: "click",
        },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=designated]" },
        { trigger: `.o_form_view .o_field_widget[name=sponsor_id]:contains(${SPONSOR})` },
    ],
});

/** The sponsor logs the first session on its portal. */
registry.category("web_tour.tours").add("ess_sponsorship_session_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/sponsorships']", run: "click" },
        { trigger: `.o_ess_sponsorship_row:contains(${NEW_MEMBER}) a.o_ess_sponsorship_link`, run: "click" },
        { trigger: ".o_ess_sponsorship_other:contains(The new member you sponsor)" },
        fill(".o_ess_session_log_form input[name=date]", yesterday),
        fill(".o_ess_session_log_form input[name=time]", "10:00"),
        fill(".o_ess_session_log_form input[name=duration]", "2.5"),
        {
            trigger: ".o_ess_session_log_form label:contains(Comment remplir la grille)",
            run() {
                document.getElementById(this.anchor.getAttribute("for")).value = "2";
            },
        },
        {
            trigger: ".o_ess_session_log_form label:contains(Comment établir un plan)",
            run() {
                document.getElementById(this.anchor.getAttribute("for")).value = "0.5";
            },
        },
        {
            trigger: ".o_ess_session_log_form textarea[name=notes]",
            run: "edit Première grille remplie ensemble.",
        },
        { trigger: "button.o_ess_session_log_save", run: "click" },
        { trigger: ".o_ess_sponsorship_saved" },
        { trigger: ".o_ess_session_held:contains(Première grille remplie ensemble.)" },
        {
            trigger:
                ".o_ess_sponsorship_module:contains(Comment remplir la grille) [role=progressbar][aria-valuenow='66']",
        },
        // the chatter tells the new member (and has loaded before the browser closes)
        { trigger: "#chatterRoot:shadow .o-mail-Message:contains(logged through the portal)" },
    ],
});

/** The pole manager records the end in the back end. */
registry.category("web_tour.tours").add("ess_sponsorship_end_tour", {
    url: "/odoo/action-ess_network.ess_sponsorship_action",
    steps: () => [
        { trigger: `.o_kanban_record:contains(${NEW_MEMBER})`, run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=in_progress]" },
        { trigger: ".o_form_view button[name=action_end]", run: "click" },
        {
            trigger: ".modal .o_field_widget[name=closing_note_sponsor] textarea",
            run: "edit Le nouveau membre est autonome sur la grille.",
        },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=ended]" },
    ],
});
