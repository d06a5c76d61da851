import { registry } from "@web/core/registry";

/**
 * A member searches the good-practice library and opens a sheet, then
 * proposes one of the good practices of its guide year in one click: the
 * form comes prefilled, the proposal shows "Submitted" in My proposals.
 * Then it registers to the next meeting of a club of the network.
 */
registry.category("web_tour.tours").add("ess_library_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/library']", run: "click" },
        { trigger: ".o_ess_library_search input[name=search]", run: "edit junior" },
        { trigger: ".o_ess_library_search_button", run: "click" },
        { trigger: ".o_ess_library_count:contains(Sheets found: 1)" },
        { trigger: ".o_ess_practice_row a:contains(Se doter d'un CA junior)", run: "click" },
        { trigger: ".o_ess_practice_text:contains(conseil miroir)" },
        { trigger: "a.o_ess_practice_add_action" },
        // its guide year: propose the good practices of theme 1
        { trigger: ".o_portal_submenu a[href='/my/home']", run: "click" },
        { trigger: ".o_portal_index_card a[href='/my/guide']", run: "click" },
        { trigger: ".o_portal_my_doc_table a[href^='/my/guide/']", run: "click" },
        { trigger: ".o_ess_theme[data-code='1'] a.o_ess_propose_practice", run: "click" },
        // the form, prefilled from the guide year
        { trigger: ".o_ess_library_from_guide" },
        { trigger: '.o_ess_library_propose_form label:contains("Scop (essai)")', run: "click" },
        {
            trigger: ".o_ess_library_propose_form input[type=checkbox][name=source_named]",
            run: "click",
        },
        { trigger: "button.o_ess_library_propose_send", run: "click" },
        { trigger: ".o_ess_practice_proposed" },
        // the proposal, in My proposals
        { trigger: ".o_portal_submenu a[href='/my/library']", run: "click" },
        { trigger: "a.o_ess_library_mine_tab", run: "click" },
        {
            trigger:
                ".o_ess_proposal_row:contains(Un conseil d'administration junior) .o_ess_practice_state:contains(Submitted)",
        },
        // a club meeting: register
        { trigger: ".o_portal_submenu a[href='/my/home']", run: "click" },
        { trigger: ".o_portal_index_card a[href='/my/clubs']", run: "click" },
        { trigger: "a.o_ess_club_link:contains(Club RSE Bibliothèque)", run: "click" },
        { trigger: "a.o_ess_club_meeting_link:contains(Rencontre entreprise à mission)", run: "click" },
        { trigger: ".o_ess_club_seats_left:contains(10)" },
        { trigger: "button.o_ess_club_register", run: "click" },
        { trigger: ".o_ess_club_saved" },
        { trigger: ".o_ess_club_user_state:contains(Registered)" },
        { trigger: ".o_ess_club_seats_left:contains(9)" },
    ],
});
