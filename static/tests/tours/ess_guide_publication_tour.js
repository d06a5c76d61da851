import { registry } from "@web/core/registry";

/**
 * A member publishes the commitments of its guide year from the portal,
 * then opens their public page.
 */
registry.category("web_tour.tours").add("ess_guide_publication_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/guide']", run: "click" },
        { trigger: ".o_portal_my_doc_table a[href^='/my/guide/']", run: "click" },
        { trigger: ".o_ess_guide_publication .o_ess_publication_state:contains(Not published)" },
        { trigger: ".o_ess_publication_form input#o_ess_publication_opt_in", run: "check" },
        { trigger: ".o_ess_publication_form input#o_ess_publication_published", run: "check" },
        { trigger: "button.o_ess_publication_save", run: "click" },
        { trigger: ".o_ess_guide_publication .o_ess_publication_state:contains(Published)" },
        { trigger: ".o_ess_guide_publication img.o_ess_publication_qr" },
        {
            // the link opens a new tab: follow it in this one
            trigger: ".o_ess_guide_publication a.o_ess_public_link",
            run() {
                window.location.href = new URL(this.anchor.href).pathname;
            },
        },
        { trigger: ".o_ess_public_commitments h1:contains(Scop Guide Portail)" },
        { trigger: ".o_ess_public_theme .badge:contains(Not retained this year)" },
    ],
});
