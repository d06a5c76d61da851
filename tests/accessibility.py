"""Accessibility checks of pages in the browser, with axe-core.

``./dev setup`` installs the npm package ``axe-core`` outside the repository
and ``./dev test`` names its ``axe.min.js`` in the environment variable
``ESS_AXE_JS``. :meth:`AccessibilityMixin.assertAccessible` opens a page in the
test browser as one user sees it, runs axe-core on it with the WCAG 2.1 A and
AA rules and fails the test with every violation found: the rule, what it
asks and the elements at fault. Without axe-core the test fails too (it
never skips): run ``./dev setup``.
"""

import json
import os

AXE_ENV = "ESS_AXE_JS"
# WCAG 2.0 and 2.1, levels A and AA
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Runs in the page once it is loaded and its scripts started (the chatter
# drawn, if the page has one): loads axe-core (served by the test
# server from an attachment, so that the test code stays short in the log),
# optionally posts the page's form and shows the answer in place of the
# page's body (a form's error state: same layout, the body the server
# answered), then reports the violations with console.error, which fails
# browser_js with them in its message.
AXE_CODE = """
(async () => {
    const options = %(options)s;
    let where = options.url;
    const until = async (test, what) => {
        const end = Date.now() + 30000;
        while (!test()) {
            if (Date.now() > end) {
                throw new Error(`${where}: ${what} did not happen within 30 s`);
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    };
    // the portal home's cards, shown once their counters are in
    await until(() => !document.querySelector(".o_portal_doc_spinner"), "the documents' count");
    // the portal's chatter, drawn once its bundle is loaded, is part of the page
    if (document.querySelector(".o_portal_chatter")) {
        await until(() => odoo.portalChatterReady, "the chatter's start");
        await odoo.portalChatterReady;
        await until(
            () =>
                document
                    .querySelector("#chatterRoot")
                    ?.shadowRoot?.querySelector(".o-mail-Message, .o-mail-Thread-empty"),
            "the drawing of the chatter's messages"
        );
    }
    // colours are measured once the animations that end (fading in...) are over
    const roots = [document, document.querySelector("#chatterRoot")?.shadowRoot].filter(Boolean);
    const ending = roots
        .flatMap((root) => root.getAnimations())
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
    // (an animation cancelled meanwhile is over too)
    await Promise.all(ending.map((animation) => animation.finished.catch(() => null)));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const axeSource = await (await fetch(options.axeUrl)).text();
    const script = document.createElement("script");
    script.textContent = axeSource;
    document.head.appendChild(script);
    if (options.post) {
        // the page's own requests over (the chatter fetches its messages
        // again once drawn) and their drawing done: the body it replaces
        // below is no longer being drawn by its scripts
        let seen = -1;
        let since = Date.now();
        await until(() => {
            const count = performance.getEntriesByType("resource").length;
            if (count !== seen) {
                seen = count;
                since = Date.now();
            }
            return Date.now() - since >= 300;
        }, "the end of the page's requests");
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        const form = document.querySelector(options.form);
        if (!form) {
            throw new Error(`${where}: no form ${options.form} to post`);
        }
        const data = new FormData(form);
        for (const [name, value] of Object.entries(options.post)) {
            if (value === null) {
                data.delete(name);
            } else {
                data.set(name, value);
            }
        }
        const response = await fetch(form.action, {method: "POST", body: data});
        if (response.status !== 400) {
            throw new Error(`${where}: the post was answered ${response.status}, not 400`);
        }
        const answer = new DOMParser().parseFromString(await response.text(), "text/html");
        document.title = answer.title;
        document.body.replaceWith(document.adoptNode(answer.body));
        where = `${where} (form posted, answered ${response.status})`;
    }
    const result = await axe.run(document, {
        runOnly: {type: "tag", values: options.tags},
        resultTypes: ["violations"],
    });
    if (!result.violations.length) {
        console.log("test successful");
        return;
    }
    const lines = [
        `${where}: ${result.violations.length} accessibility rule(s) violated ` +
        `(axe-core ${axe.version}, ${options.tags.join(", ")}):`,
    ];
    for (const violation of result.violations) {
        const {id, impact, help, helpUrl} = violation;
        lines.push(`- ${id} (${impact}): ${help} <${helpUrl}>`);
        for (const node of violation.nodes) {
            const summary = (node.failureSummary || "").replace(/\\s*\\n\\s*/g, " ");
            lines.push(`    ${node.target.join(" ")}: ${summary}`);
            lines.push(`      ${node.html.slice(0, 200)}`);
        }
    }
    console.error(lines.join("\\n"));
})()
"""


class AccessibilityMixin:
    """For an :class:`~odoo.tests.HttpCase`: :meth:`assertAccessible`."""

    _axe_url = None

    def _axe_source_url(self):
        """The URL at which the test server gives axe.min.js (an attachment
        of the test's transaction)."""
        if self._axe_url:
            return self._axe_url
        path = os.environ.get(AXE_ENV)
        if not path or not os.path.isfile(path):
            self.fail(
                f"axe-core was not found (${AXE_ENV}: {path or 'unset'}): the accessibility "
                "tests need it. Run ./dev setup, which installs it, then ./dev test, which "
                f"names its axe.min.js in ${AXE_ENV}."
            )
        with open(path, "rb") as axe_file:
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "axe.min.js",
                        "raw": axe_file.read(),
                        "mimetype": "text/plain",
                        "public": True,
                    }
                )
            )
        self._axe_url = f"/web/content/{attachment.id}"
        return self._axe_url

    def assertAccessible(self, url, login=None, post=None, form="form[method=post]"):
        """Fails unless the page at ``url``, opened by ``login`` (anonymous
        by default), meets WCAG 2.1 AA as far as axe-core can tell.

        With ``post`` (field values; None removes a field), checks instead the
        answer to posting the page's ``form`` (a CSS selector) with its
        values changed by ``post``, which must be refused (400): the form's
        error state."""
        options = {
            "axeUrl": self._axe_source_url(),
            "url": url,
            "tags": list(WCAG_TAGS),
            "post": post,
            "form": form,
        }
        self.browser_js(
            url,
            AXE_CODE % {"options": json.dumps(options)},
            # the public root mounted: the page's scripts have done their work
            ready="document.readyState === 'complete' && !!odoo.__WOWL_DEBUG__",
            login=login,
            timeout=120,
        )
