/**
 * Where the bot may post an AB's alert webhook (the SSRF guard). An officer types the address, so
 * it is checked twice: as written when it is saved (webhookUrlProblem, shared) and again before every
 * post, here, where the name is also resolved and refused when any address it has is internal
 * (loopback, private, link-local, unique-local, CGNAT, multicast, reserved, or an IPv4-mapped /
 * NAT64 / 6to4 form of one). The post then connects to the addresses checked, not to a second
 * lookup, so a DNS answer that changes between the check and the connect cannot slip through.
 *
 * Refusals are permanent (not retried) and never contain the address or what it resolved to.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { defaultWebhookAllowedHosts, webhookUrlProblem } from "@ectsp/shared";
import { DeliveryError } from "./platform.js";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type WebhookResolver = (host: string) => Promise<ResolvedAddress[]>;

export interface WebhookPolicyOptions {
  /** Host suffixes (Config.webhookAllowedHosts). Default: defaultWebhookAllowedHosts. */
  allowHosts?: readonly string[];
  /** Default: dns.lookup(host, { all: true }). */
  resolve?: WebhookResolver;
  /** Tests only: a local receiver on 127.0.0.1 / ::1. Never set in production. */
  allowLoopback?: boolean;
  /** Tests only: ports besides 443 (a local receiver listens where it can). */
  extraPorts?: readonly number[];
}

/** A webhook the policy refuses: permanent, so the dispatcher fails the message instead of retrying. */
export class WebhookRefusedError extends DeliveryError {
  constructor(reason: string) {
    super(`webhook refused: ${reason}`, undefined, undefined);
    this.name = "WebhookRefusedError";
  }

  override get transient(): boolean {
    return false;
  }
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata lives here)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::", 96], // IPv4-compatible (deprecated)
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** The 32 bits of an IPv6 address from bit `at` (a multiple of 16) as dotted IPv4. */
function embeddedIpv4(groups: number[], at: number): string {
  const hi = groups[at / 16]!;
  const lo = groups[at / 16 + 1]!;
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
}

/** The eight 16-bit groups of a valid IPv6 address (dotted IPv4 tail allowed). */
function ipv6Groups(address: string): number[] {
  let a = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    a = `${a.slice(0, -dotted[1]!.length)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.includes("::") ? (a.split("::") as [string, string]) : [a, undefined];
  const h = head ? head.split(":") : [];
  const t = tail === undefined ? [] : tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill("0");
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** The IPv4 address an IPv6 address stands for, when it embeds one (mapped, NAT64, 6to4). */
function ipv4Within(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (g.length !== 8) return undefined;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return embeddedIpv4(g, 96); // ::ffff:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embeddedIpv4(g, 96); // 64:ff9b::/96
  if (g[0] === 0x2002) return embeddedIpv4(g, 16); // 6to4
  return undefined;
}

/** Whether the bot may connect to this address (an IP address, as a resolver returns it). */
export function addressAllowed(address: string, options: { allowLoopback?: boolean } = {}): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  const v4 = family === 6 ? ipv4Within(address) : undefined;
  if (options.allowLoopback && (loopback.check(address, type) || (v4 !== undefined && loopback.check(v4, "ipv4")))) return true;
  if (blocked.check(address, type)) return false;
  if (v4 !== undefined && blocked.check(v4, "ipv4")) return false;
  return true;
}

const systemResolver: WebhookResolver = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export interface VettedTarget {
  url: URL;
  /** Every address the name resolved to, all of them allowed. Connect to these only. */
  addresses: ResolvedAddress[];
}

/**
 * Checks the address as written, resolves the name and checks every address it has. Throws a
 * WebhookRefusedError (permanent, no address in its message) when the bot must not post there.
 */
export async function vetWebhookUrl(url: string, options: WebhookPolicyOptions = {}): Promise<VettedTarget> {
  const problem = webhookUrlProblem(url, { allowHosts: options.allowHosts ?? defaultWebhookAllowedHosts, extraPorts: options.extraPorts ?? [] });
  if (problem) throw new WebhookRefusedError(problem.replace(/^The webhook address/, "the address"));
  const target = new URL(url);
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(target.hostname);
  } catch {
    // Not found is worth trying again later (a DNS outage); the name itself is on the allow-list.
    throw new DeliveryError("webhook post failed (the webhook host did not resolve)", undefined, undefined);
  }
  if (addresses.length === 0) throw new DeliveryError("webhook post failed (the webhook host did not resolve)", undefined, undefined);
  if (!addresses.every((a) => addressAllowed(a.address, options))) throw new WebhookRefusedError("the webhook host resolves to an internal address");
  return { url: target, addresses };
}

/**
 * A `lookup` for http(s).request that answers with the vetted addresses only, whatever name it is
 * asked for, so the connection goes where the check looked (Node asks with `all: true` when it
 * tries several addresses, and without it otherwise).
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]) {
  return (
    _hostname: string,
    options: { all?: boolean } | number | undefined,
    callback: (err: NodeJS.ErrnoException | null, address: string | ResolvedAddress[], family?: number) => void,
  ): void => {
    const all = typeof options === "object" && options !== null && options.all === true;
    const first = addresses[0]!;
    if (all)
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, first.address, first.family);
  };
}
