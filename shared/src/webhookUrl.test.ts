/**
 * The webhook address policy as written (the SSRF guard's first half): what an officer may save
 * as an AB alert webhook, and the refusal never repeats the address.
 */
import { describe, expect, it } from "vitest";
import { AbWebhookInput } from "./model/roster.js";
import { defaultWebhookAllowedHosts, hostAllowed, isIpLiteralHost, parseWebhookAllowedHosts, webhookUrlProblem } from "./webhookUrl.js";

const sig = "sig=TopSecret123";
/** Every form of an internal target the finding names, and the rest of the policy. */
const hostileWebhookUrls: [string, string][] = [
  ["http://", `http://prod-12.uksouth.logic.azure.com/workflows/a?${sig}`],
  ["IPv4 loopback", `https://127.0.0.1/workflows/a?${sig}`],
  ["IPv6 loopback", `https://[::1]/workflows/a?${sig}`],
  ["hex IPv4", `https://0x7f000001/workflows/a?${sig}`],
  ["decimal IPv4", `https://2130706433/workflows/a?${sig}`],
  ["octal IPv4", `https://017700000001/workflows/a?${sig}`],
  ["short IPv4", `https://127.1/workflows/a?${sig}`],
  ["IPv4-mapped IPv6", `https://[::ffff:127.0.0.1]/workflows/a?${sig}`],
  ["IPv4-mapped metadata", `https://[::ffff:a9fe:a9fe]/latest/meta-data?${sig}`],
  ["cloud metadata", `https://169.254.169.254/latest/meta-data?${sig}`],
  ["private 10/8", `https://10.0.0.5/workflows/a?${sig}`],
  ["localhost", `https://localhost/workflows/a?${sig}`],
  ["localhost:22", `https://localhost:22/workflows/a?${sig}`],
  ["allowed host, port 22", `https://prod-12.uksouth.logic.azure.com:22/workflows/a?${sig}`],
  ["allowed host, port 8443", `https://x.environment.api.powerplatform.com:8443/powerautomate/a?${sig}`],
  ["user:pass@", `https://user:pass@prod-12.uksouth.logic.azure.com/workflows/a?${sig}`],
  ["user@", `https://user@prod-12.uksouth.logic.azure.com/workflows/a?${sig}`],
  ["outside the allow-list", `https://evil.example/workflows/a?${sig}`],
  ["suffix without a dot", `https://evillogic.azure.com/workflows/a?${sig}`],
  ["allowed name as a prefix", `https://prod-12.logic.azure.com.evil.example/workflows/a?${sig}`],
  ["APIM gateway", `https://gw.azure-api.net/workflows/a?${sig}`],
  ["not a URL", `prod-12.logic.azure.com/workflows/a?${sig}`],
];

const goodWebhookUrls = [
  "https://942ead725f3ae61fb3309f7e87a28a.4a.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/b950/triggers/manual/paths/invoke?api-version=1&sig=abc",
  "https://prod-12.uksouth.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=abc",
  "https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456",
];

describe("webhook address policy (as written)", () => {
  it.each(hostileWebhookUrls)("refuses %s, without repeating the address", (_name, url) => {
    const problem = webhookUrlProblem(url, { allowHosts: defaultWebhookAllowedHosts });
    expect(problem).toBeDefined();
    const parsed = AbWebhookInput.safeParse({ url });
    expect(parsed.success).toBe(false);
    const text = JSON.stringify(parsed.error!.issues.map((i) => i.message)) + problem;
    expect(text).not.toContain("TopSecret123");
    expect(text).not.toMatch(/127\.0\.0\.1|169\.254|localhost|evil|logic\.azure\.com\/|user:pass/);
  });

  it.each(goodWebhookUrls)("accepts a Workflows / connector address: %s", (url) => {
    expect(webhookUrlProblem(url, { allowHosts: defaultWebhookAllowedHosts })).toBeUndefined();
    // Saved as given (":443" and all), not rewritten.
    expect(AbWebhookInput.parse({ url })).toEqual({ url });
  });

  it("still lets the webhook be removed", () => {
    expect(AbWebhookInput.parse({ url: null })).toEqual({ url: null });
  });

  it("says what is wrong", () => {
    const p = (url: string) => webhookUrlProblem(url, { allowHosts: defaultWebhookAllowedHosts });
    expect(p("https://u:p@x.logic.azure.com/")).toMatch(/user name or password/);
    expect(p("https://x.logic.azure.com:22/")).toMatch(/standard https port/);
    expect(p("https://0x7f000001/")).toMatch(/not an IP address/);
    expect(p("https://evil.example/")).toMatch(/Workflows, Power Automate or Teams connector host/);
    expect(p("http://x.logic.azure.com/")).toMatch(/https/);
  });

  it("recognises IP literals in every form", () => {
    for (const h of ["127.0.0.1", "[::1]", "[::ffff:7f00:1]", "0x7f000001", "2130706433", "1.2.3.0x4", "::1"]) expect(isIpLiteralHost(h)).toBe(true);
    for (const h of ["prod-12.uksouth.logic.azure.com", "0x7f000001.logic.azure.com", "localhost"]) expect(isIpLiteralHost(h)).toBe(false);
  });

  it("matches suffixes at a label boundary only", () => {
    expect(hostAllowed("a.logic.azure.com", ["logic.azure.com"])).toBe(true);
    expect(hostAllowed("LOGIC.azure.com", ["logic.azure.com"])).toBe(true);
    expect(hostAllowed("evillogic.azure.com", ["logic.azure.com"])).toBe(false);
    expect(hostAllowed("a.logic.azure.com.", ["logic.azure.com"])).toBe(false);
    expect(hostAllowed("a.logic.azure.com", [""])).toBe(false);
  });
});

describe("WEBHOOK_ALLOWED_HOSTS", () => {
  it("defaults to the Workflows / Power Automate / connector hosts", () => {
    expect(parseWebhookAllowedHosts(undefined)).toEqual(["environment.api.powerplatform.com", "logic.azure.com", "webhook.office.com"]);
    expect(parseWebhookAllowedHosts(" , ")).toEqual([...defaultWebhookAllowedHosts]);
  });

  it("takes comma-separated suffixes, with or without *.", () => {
    expect(parseWebhookAllowedHosts("*.logic.azure.us, .Environment.Api.PowerPlatform.com,logic.azure.com")).toEqual([
      "logic.azure.us",
      "environment.api.powerplatform.com",
      "logic.azure.com",
    ]);
  });

  it.each(["127.0.0.1", "com", "*", "logic.azure.com:443", "https://logic.azure.com", "[::1]", "0x7f000001", "a..b"])("refuses the entry %s", (entry) => {
    expect(() => parseWebhookAllowedHosts(`logic.azure.com,${entry}`)).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });
});
