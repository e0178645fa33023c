/**
 * Which channel-webhook addresses the server will post to (an AB's alert webhook). Pure: the API
 * checks an address with it when an officer saves one, and the bot again before every post (where it
 * also resolves the name and refuses internal addresses, which needs the network).
 *
 * The address is a secret (it carries a signature): nothing here puts it, or any part of it, into a
 * message.
 */

/**
 * The default WEBHOOK_ALLOWED_HOSTS: the hosts Microsoft's Teams webhooks are served from, as
 * suffixes (a host matches itself and any name under it). Kept to the three that Teams hands out:
 *
 * - `environment.api.powerplatform.com`: Workflows / Power Automate "When a Teams webhook request is
 *   received" (the current form, `https://<env>.<nn>.environment.api.powerplatform.com:443/powerautomate/...`).
 * - `logic.azure.com`: the older Workflows / Power Automate trigger URLs
 *   (`https://prod-NN.<region>.logic.azure.com:443/workflows/...`), which Microsoft is moving to the form above.
 * - `webhook.office.com`: Office 365 connector incoming webhooks (`https://<tenant>.webhook.office.com/webhookb2/...`),
 *   retired by Microsoft; kept so an address saved earlier still validates (Teams refuses the post if it is dead).
 *
 * Not included, on purpose: `azure-api.net` (API Management: anyone's gateway, not a Teams webhook
 * host), `outlook.office.com` / `outlook.office365.com` (pre-2021 connector form, long switched
 * off), and sovereign clouds (`logic.azure.us`, ...). An operator who needs one adds it to the setting.
 */
export const defaultWebhookAllowedHosts: readonly string[] = ["environment.api.powerplatform.com", "logic.azure.com", "webhook.office.com"];

/** The only port a webhook may use (the https default; `:443` written out is the same). */
export const webhookPort = 443;

export interface WebhookUrlRules {
  /** Host suffixes, lower case, e.g. "logic.azure.com" (matches it and every name under it). */
  allowHosts: readonly string[];
  /** Ports besides the default. Tests only (a local receiver listens where it can). */
  extraPorts?: readonly number[];
}

/** The message an officer sees when the address is refused: names what is wrong, never the address. */
export const webhookUrlMessages = {
  notUrl: "Use the https address Workflows gave you",
  notHttps: "Use the https address Workflows gave you (it starts with https://)",
  userinfo: "The webhook address must not contain a user name or password",
  port: "The webhook address must use the standard https port",
  ipLiteral: "The webhook address must name a Workflows host, not an IP address",
  hostNotAllowed: "The webhook address must be on a Workflows, Power Automate or Teams connector host",
} as const;

/**
 * True when a URL's hostname (as `new URL()` gives it) is an IP address in any form. The WHATWG
 * parser already turns `0x7f000001`, `017700000001`, `2130706433` and `127.1` into `127.0.0.1`
 * and puts IPv6 (mapped forms included) in brackets; the numeric-last-label test also catches a
 * parser that did not.
 */
export function isIpLiteralHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h.startsWith("[") || h.includes(":")) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h)) return true;
  const last = h.replace(/\.$/, "").split(".").pop() ?? "";
  return /^(0x[0-9a-f]*|\d+)$/.test(last);
}

/** Whether `host` (lower case) is one of the suffixes or a name under one, at a label boundary. */
export function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const h = host.toLowerCase();
  return allowHosts.some((suffix) => {
    const s = suffix.toLowerCase();
    return s.length > 0 && (h === s || h.endsWith(`.${s}`));
  });
}

/** The parts of a WHATWG URL checked here (this package builds without DOM or Node types). */
interface ParsedUrl {
  protocol: string;
  username: string;
  password: string;
  port: string;
  hostname: string;
}
/** The WHATWG URL parser, which Node and every browser have (zod's z.url uses it too). */
const parseUrl = (url: string): ParsedUrl => new (globalThis as unknown as { URL: new (url: string) => ParsedUrl }).URL(url);

/**
 * Why the server will not post to this address, or undefined when it may. Checks the address as
 * written (https, no user name or password, the default port, a named host on the allow-list); the
 * bot also checks where the name resolves to before it connects.
 */
export function webhookUrlProblem(url: string, rules: WebhookUrlRules): string | undefined {
  let u: ParsedUrl;
  try {
    u = parseUrl(url);
  } catch {
    return webhookUrlMessages.notUrl;
  }
  if (u.protocol !== "https:") return webhookUrlMessages.notHttps;
  if (u.username !== "" || u.password !== "") return webhookUrlMessages.userinfo;
  if (u.port !== "" && Number(u.port) !== webhookPort && !(rules.extraPorts ?? []).includes(Number(u.port))) return webhookUrlMessages.port;
  if (isIpLiteralHost(u.hostname)) return webhookUrlMessages.ipLiteral;
  if (!hostAllowed(u.hostname, rules.allowHosts)) return webhookUrlMessages.hostNotAllowed;
  return undefined;
}

/**
 * WEBHOOK_ALLOWED_HOSTS: comma-separated host suffixes ("*.logic.azure.com", ".logic.azure.com"
 * and "logic.azure.com" mean the same); unset or empty gives the default. Throws naming a bad entry
 * (an IP address, a single label such as "com", anything that is not a host name).
 */
export function parseWebhookAllowedHosts(setting: string | undefined): string[] {
  const entries = (setting ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.length > 0);
  if (entries.length === 0) return [...defaultWebhookAllowedHosts];
  return entries.map((entry) => {
    const host = entry.replace(/^\*?\./, "");
    const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
    const labels = host.split(".");
    if (labels.length < 2 || !labels.every((l) => label.test(l)) || isIpLiteralHost(host)) {
      throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${entry}" is not a host suffix such as logic.azure.com (no IP addresses, ports or single labels)`);
    }
    return host;
  });
}
