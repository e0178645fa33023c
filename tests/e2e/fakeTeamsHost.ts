/**
 * A fake Microsoft Teams host page for e2e tests: it iframes the tab and answers the teams-js
 * postMessage protocol as far as the tab uses it. teams-js (2.x) posts requests to its parent as
 * `{ id, uuidAsString, func, args, … }`; the host answers `{ id, uuidAsString, args }`:
 * - "initialize" → [frameContext, hostClientType, runtimeConfig (JSON text), host SDK version];
 * - "getContext" → [the legacy (v1) context]; teams-js maps `subEntityId` to `page.subPageId`;
 * - anything else (appInitialization.success, handler registrations) is noted and left unanswered,
 *   as a host may.
 * Every `func` asked is kept in `window.received` for the test to read.
 */
export interface FakeTeamsContext {
  tabUrl: string;
  /** What a card's deep link carries as the sub-entity: the plan id. */
  subEntityId: string;
  userDisplayName: string;
}

const runtimeConfig = {
  apiVersion: 4,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  isLegacyTeams: false,
  supports: { app: {}, appInstallDialog: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teamsCore: {} },
};

export function fakeTeamsHostPage({ tabUrl, subEntityId, userDisplayName }: FakeTeamsContext): string {
  const context = {
    locale: "en-GB",
    theme: "default",
    entityId: "caseload",
    subEntityId,
    frameContext: "content",
    hostClientType: "web",
    hostName: "Teams",
    appSessionId: "00000000-0000-4000-8000-000000000001",
    sessionId: "fake-session",
    userDisplayName,
    userObjectId: "00000000-0000-4000-8000-0000000000aa",
  };
  // JSON inside a script: "<" escaped so no value can close the script element.
  const json = (x: unknown) => JSON.stringify(x).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Microsoft Teams (test host)</title></head>
<body style="margin:0">
<main>
<h1 style="font:600 14px sans-serif;margin:4px">Microsoft Teams (test host)</h1>
<iframe id="tab" title="ECT support plans" src=${json(tabUrl)} style="width:1380px;height:900px;border:0"></iframe>
</main>
<script>
  const context = ${json(context)};
  const runtime = ${json(JSON.stringify(runtimeConfig))};
  window.received = [];
  window.addEventListener("message", (event) => {
    const frame = document.getElementById("tab").contentWindow;
    const m = event.data;
    if (event.source !== frame || !m || typeof m.func !== "string") return;
    window.received.push(m.func);
    const reply = (args) => frame.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, event.origin);
    if (m.func === "initialize") reply(["content", "web", runtime, "2.58.0"]);
    else if (m.func === "getContext") reply([context]);
  });
</script>
</body>
</html>`;
}
