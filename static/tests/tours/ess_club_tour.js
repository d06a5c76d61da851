import { registry } from "@web/core/registry";

const CLUB = "Club RSE Tour";
const MEETING = "Rencontre Tour gouvernance";

/** A member opens the clubs, the planned meeting, registers, sees itself
registered and one seat less, then unregisters. */
registry.category("web_tour.tours").add("ess_club_register_tour", {
    url: "/my",
    steps: () => [
        { trigger: ".o_portal_index_card a[href='/my/clubs']", run: "click" },
        { trigger: `a.o_ess_club_link:contains(${CLUB})`, run: "click" },
        { trigger: `a.o_ess_club_meeting_link:contains(${MEETING})`, run: "click" },
        { trigger: ".o_ess_club_seats_left:contains(4)" },
        { trigger: "button.o_ess_club_register", run: "click" },
        { trigger: ".o_ess_club_saved" },
        { trigger: ".o_ess_club_user_state:contains(Registered)" },
        { trigger: ".o_ess_club_seats_left:contains(3)" },
        { trigger: "button.o_ess_club_unregister", run: "click" },
        { trigger: ".o_ess_club_saved" },
        { trigger: "button.o_ess_club_register" },
        { trigger: ".o_ess_club_seats_left:contains(4)" },
    ],
});
