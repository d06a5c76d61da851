import { registry } from "@web/core/registry";

/** A prospective organisation asks to join through the public form. */
registry.category("web_tour.tours").add("ess_adhesion_public_form_tour", {
    url: "/adhesion",
    steps: () => [
        { trigger: "form.o_ess_adhesion_form input[name=name]", run: "edit Association Tour de Loire" },
        { trigger: "select[name=kind]", run: "select association" },
        { trigger: "select[name=employment_area_id]", run: "selectByLabel Tour area" },
        { trigger: "input[name=city]", run: "edit Nantes" },
        { trigger: "input[name=zip]", run: "edit 44000" },
        { trigger: "input[name=contact_name]", run: "edit Louise Tour" },
        { trigger: "input[name=email]", run: "edit louise@tour-de-loire.example" },
        { trigger: "textarea[name=motivation]", run: "edit Construire notre démarche RSE." },
        { trigger: "input[name=accept]", run: "check" },
        { trigger: "form.o_ess_adhesion_form button[type=submit]", run: "click" },
        { trigger: "h1:contains(Thank you)" },
    ],
});

function today() {
    const d = new Date();
    return `${d.getMonth() + 1}/${d.getDate()}/${d.getFullYear()}`;
}

function uploadPdf(fieldName, fileName) {
    return {
        trigger: `.o_field_widget[name=${fieldName}]`,
        run() {
            const input = this.anchor.querySelector("input[type=file]");
            const file = new File(["%PDF-1.4\n%%EOF\n"], fileName, { type: "application/pdf" });
            const transfer = new DataTransfer();
            transfer.items.add(file);
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

/** Staff take the request: presentation, decision, integration meeting. */
registry.category("web_tour.tours").add("ess_membership_staff_tour", {
    url: "/odoo/action-ess_network.ess_membership_action",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains(Association Tour de Loire)",
            run: "click",
        },
        { trigger: ".o_form_view button[name=action_presentation_done]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=presentation]" },
        { trigger: ".o_form_view button[name=action_open_decide].btn-primary", run: "click" },
        { trigger: ".modal .o_field_widget[name=deciding_body] select", run: "selectByLabel bureau" },
        { trigger: ".modal .o_field_widget[name=welcome_note] textarea", run: "edit Bienvenue parmi nous !" },
        { trigger: ".modal button[name=action_confirm]", run: "click" },
        // then Odoo's portal access window, on the organisation's people
        { trigger: ".modal .o_portal_wizard_user_one2many:contains(Louise Tour)" },
        { trigger: ".modal .modal-footer button.btn-primary", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=validated]" },
        { trigger: ".o_form_view button[name=action_schedule_meeting].btn-primary", run: "click" },
        // the integration meeting opens, with the organisation's contact as attendee
        { trigger: ".o_form_view .o_field_widget[name=name] input", run: "edit Première rencontre - Tour de Loire" },
        { trigger: ".o_field_widget[name=partner_ids]:contains(Louise Tour)" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
    ],
});

/** After the meeting: Convention and Charter signed, the organisation becomes a member. */
registry.category("web_tour.tours").add("ess_membership_member_tour", {
    url: "/odoo/action-ess_network.ess_membership_action",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains(Association Tour de Loire)",
            run: "click",
        },
        { trigger: ".o_form_view button[name=action_meeting_held]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=signature]" },
        { trigger: ".o_field_widget[name=convention_date] input", run: `edit ${today()}` },
        uploadPdf("convention_file", "convention.pdf"),
        { trigger: ".o_field_widget[name=convention_file] .o_clear_file_button" },
        { trigger: ".o_field_widget[name=charter_date] input", run: `edit ${today()}` },
        uploadPdf("charter_file", "charte.pdf"),
        { trigger: ".o_field_widget[name=charter_file] .o_clear_file_button" },
        { trigger: ".o_form_view button[name=action_confirm_member]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=member]" },
        { trigger: ".o_notebook .nav-link[name=appropriation]", run: "click" },
        { trigger: ".o_field_widget[name=appropriation_item_ids] .o_data_row" },
    ],
});
