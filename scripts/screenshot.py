"""Screenshot Odoo pages as a logged-in user, with headless Chromium (dev tool).

    python scripts/screenshot.py URL LOGIN PASSWORD OUT.png [WIDTH HEIGHT]

Logs in through /web/login, hands the session cookie to Chromium over the
DevTools protocol, waits for the page to settle, then writes a PNG. Uses the
project's virtualenv (requests, websocket-client) and Debian's chromium.
SHOT_WAIT sets the seconds to wait for the page; SHOT_JS a script to run
before the capture (open a tab, scroll…), SHOT_AFTER the seconds to wait
after it (2 by default).
"""

import base64
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlparse

import requests
import websocket


def free_port():
    """A port nobody listens on, so that several screenshots run at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def login(base, user, password):
    session = requests.Session()
    if user:
        page = session.get(f"{base}/web/login", timeout=30)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        session.post(
            f"{base}/web/login",
            data={"login": user, "password": password, "csrf_token": token},
            timeout=30,
        )
    return session.cookies.get("session_id")


def main():
    url, user, password, out = sys.argv[1:5]
    width, height = (int(v) for v in (sys.argv[5:7] or (1440, 900)))
    base = "{0.scheme}://{0.netloc}".format(urlparse(url))
    session_id = login(base, user, password)
    profile = tempfile.mkdtemp()
    port = free_port()
    chrome = subprocess.Popen(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                break
            except requests.RequestException:
                time.sleep(0.2)
        ws_url = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
        ws = websocket.create_connection(ws_url, suppress_origin=True)
        counter = iter(range(1, 10_000))

        def call(method, **params):
            msg_id = next(counter)
            ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                reply = json.loads(ws.recv())
                if reply.get("id") == msg_id:
                    return reply.get("result", {})

        call("Network.enable")
        if session_id:
            call(
                "Network.setCookie",
                name="session_id",
                value=session_id,
                domain=urlparse(url).hostname,
                path="/",
            )
        call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        call("Page.navigate", url=url)
        time.sleep(float(os.environ.get("SHOT_WAIT", "4")))
        if os.environ.get("SHOT_JS"):
            # e.g. SHOT_JS="document.querySelector('a[name=scores]').click()"
            call("Runtime.evaluate", expression=os.environ["SHOT_JS"])
            time.sleep(float(os.environ.get("SHOT_AFTER", "2")))
        shot = call("Page.captureScreenshot", format="png")
        with open(out, "wb") as handle:
            handle.write(base64.b64decode(shot["data"]))
        print(out)
    finally:
        chrome.terminate()


if __name__ == "__main__":
    main()
