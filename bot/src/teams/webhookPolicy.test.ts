/**
 * The SSRF guard at send time: HttpWebhookSender checks the address again, resolves the name and
 * refuses internal addresses, connects only to the addresses it checked, follows no redirect and
 * gives up after its timeout. Refusals are permanent and never carry the address.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doubleCert, doubleKey } from "../../test-support/graph/doubleTls.js";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import type { AdaptiveCard } from "../cards/card.js";
import { DeliveryError } from "./platform.js";
import { HttpWebhookSender } from "./webhookSender.js";
import { addressAllowed, pinnedLookup, vetWebhookUrl, WebhookRefusedError, type ResolvedAddress } from "./webhookPolicy.js";

const clock = movableClock(testInstant);
const card: AdaptiveCard = { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.5", body: [] };
const secret = "TopSecret123";
const good = `https://prod-12.uksouth.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${secret}`;
const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });
/** A public address (a documented Microsoft range is not needed: the policy looks at the class only). */
const publicAddress = v4("20.38.160.10");

/** Posting with the production policy and a resolver that must not be needed (or answers `answer`). */
function sender(answer: ResolvedAddress[] = [publicAddress]) {
  const asked: string[] = [];
  const webhook = new HttpWebhookSender({
    clock,
    timeoutMs: 2_000,
    resolve: async (host) => {
      asked.push(host);
      return answer;
    },
  });
  return { webhook, asked };
}

async function refusal(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

function expectPermanentRefusal(e: DeliveryError) {
  expect(e).toBeInstanceOf(WebhookRefusedError);
  expect(e.transient).toBe(false);
  expect(e.message).toMatch(/^webhook refused: /);
  expect(e.message).not.toContain(secret);
  expect(e.message).not.toMatch(/logic\.azure|127\.0|169\.254|10\.0|localhost|evil|user:pass|::1/);
}

describe("refused as written, before any lookup or connection", () => {
  it.each([
    ["http://", `http://prod-12.uksouth.logic.azure.com/workflows/a?sig=${secret}`],
    ["IPv4 loopback", `https://127.0.0.1/workflows/a?sig=${secret}`],
    ["IPv6 loopback", `https://[::1]/workflows/a?sig=${secret}`],
    ["hex IPv4", `https://0x7f000001/workflows/a?sig=${secret}`],
    ["decimal IPv4", `https://2130706433/workflows/a?sig=${secret}`],
    ["octal IPv4", `https://017700000001/workflows/a?sig=${secret}`],
    ["IPv4-mapped IPv6", `https://[::ffff:127.0.0.1]/workflows/a?sig=${secret}`],
    ["cloud metadata", `https://169.254.169.254/latest/meta-data?sig=${secret}`],
    ["private 10/8", `https://10.0.0.5/workflows/a?sig=${secret}`],
    ["localhost:22", `https://localhost:22/workflows/a?sig=${secret}`],
    ["allowed host, port 22", `https://prod-12.uksouth.logic.azure.com:22/workflows/a?sig=${secret}`],
    ["user:pass@", `https://user:pass@prod-12.uksouth.logic.azure.com/workflows/a?sig=${secret}`],
    ["outside the allow-list", `https://evil.example/workflows/a?sig=${secret}`],
    ["suffix without a dot", `https://evillogic.azure.com/workflows/a?sig=${secret}`],
    ["not a URL", `prod-12.logic.azure.com/workflows/a?sig=${secret}`],
  ])("%s", async (_name, url) => {
    const { webhook, asked } = sender();
    expectPermanentRefusal(await refusal(webhook.post(url, card)));
    expect(asked).toEqual([]);
  });
});

describe("refused when the allowed name resolves inside", () => {
  it.each([
    ["loopback", [v4("127.0.0.1")]],
    ["loopback, elsewhere in 127/8", [v4("127.3.2.1")]],
    ["IPv6 loopback", [v6("::1")]],
    ["private 10/8", [v4("10.1.2.3")]],
    ["private 172.16/12", [v4("172.31.255.1")]],
    ["private 192.168/16", [v4("192.168.1.1")]],
    ["link-local (metadata)", [v4("169.254.169.254")]],
    ["IPv6 link-local", [v6("fe80::1")]],
    ["unique-local", [v6("fd12:3456::1")]],
    ["CGNAT", [v4("100.64.0.1")]],
    ["0.0.0.0/8", [v4("0.0.0.0")]],
    ["multicast", [v4("224.0.0.1")]],
    ["IPv6 multicast", [v6("ff02::1")]],
    ["IPv4-mapped loopback", [v6("::ffff:127.0.0.1")]],
    ["IPv4-mapped metadata (hex)", [v6("::ffff:a9fe:a9fe")]],
    ["NAT64 of a private address", [v6("64:ff9b::a00:1")]],
    ["6to4 of a private address", [v6("2002:c0a8:101::1")]],
    ["one public, one private", [publicAddress, v4("10.0.0.1")]],
  ] as [string, ResolvedAddress[]][])("%s", async (_name, answer) => {
    const { webhook, asked } = sender(answer);
    expectPermanentRefusal(await refusal(webhook.post(good, card)));
    expect(asked).toEqual(["prod-12.uksouth.logic.azure.com"]);
  });

  it("a name that does not resolve is worth trying again (no address in the message)", async () => {
    const webhook = new HttpWebhookSender({
      clock,
      resolve: async () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND prod-12.uksouth.logic.azure.com"), { code: "ENOTFOUND" });
      },
    });
    const e = await refusal(webhook.post(good, card));
    expect(e.transient).toBe(true);
    expect(e.message).not.toMatch(/logic\.azure|TopSecret/);
  });
});

describe("addresses", () => {
  it("allows public addresses only, loopback only when a test asks", () => {
    for (const a of ["20.38.160.10", "52.113.194.132", "2603:1030:20e:3::23c", "::ffff:20.38.160.10", "2002:1426:a00a::1"])
      expect(addressAllowed(a)).toBe(true);
    for (const a of [
      "127.0.0.1",
      "::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::",
      "::127.0.0.1",
      "fc00::1",
      "fe80::1%eth0",
      "192.0.2.1",
      "255.255.255.255",
      "not-an-ip",
    ])
      expect(addressAllowed(a)).toBe(false);
    expect(addressAllowed("127.0.0.1", { allowLoopback: true })).toBe(true);
    expect(addressAllowed("::ffff:127.0.0.1", { allowLoopback: true })).toBe(true);
    expect(addressAllowed("10.0.0.1", { allowLoopback: true })).toBe(false);
  });

  it("a good address on an allowed host with a public address passes", async () => {
    const vetted = await vetWebhookUrl(good, { resolve: async () => [publicAddress] });
    expect(vetted.url.hostname).toBe("prod-12.uksouth.logic.azure.com");
    expect(vetted.addresses).toEqual([publicAddress]);
    for (const url of [
      "https://942ead.4a.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/b9/triggers/manual/paths/invoke?sig=x",
      "https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/1/2",
    ])
      await expect(vetWebhookUrl(url, { resolve: async () => [publicAddress] })).resolves.toBeDefined();
  });

  it("the production default refuses a host a test allows", async () => {
    await expect(vetWebhookUrl("https://localhost/x", { resolve: async () => [v4("127.0.0.1")] })).rejects.toBeInstanceOf(WebhookRefusedError);
    await expect(vetWebhookUrl("https://localhost/x", { allowHosts: ["localhost"], resolve: async () => [v4("127.0.0.1")] })).rejects.toBeInstanceOf(
      WebhookRefusedError,
    );
  });

  it("the pinned lookup answers with the checked addresses whatever it is asked", () => {
    const lookup = pinnedLookup([v4("20.38.160.10"), v6("2603:1030::1")]);
    const got: unknown[] = [];
    lookup("elsewhere.example", { all: true }, (_e, a) => got.push(a));
    lookup("elsewhere.example", {}, (_e, a, f) => got.push([a, f]));
    expect(got).toEqual([
      [v4("20.38.160.10"), v6("2603:1030::1")],
      ["20.38.160.10", 4],
    ]);
  });
});

describe("posting to a local receiver (loopback allowed for the test only)", () => {
  let server: Server;
  let port = 0;
  const hits: string[] = [];
  let answer: { status: number; location?: string; hang?: boolean } = { status: 202 };
  beforeAll(async () => {
    server = createServer({ cert: doubleCert, key: doubleKey }, (req, res) => {
      hits.push(`${req.method} ${req.url} host=${req.headers.host}`);
      req.resume();
      if (answer.hang) return;
      res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const local = (resolveTo: string, timeoutMs = 2_000) =>
    new HttpWebhookSender({
      clock,
      ca: doubleCert,
      timeoutMs,
      allowHosts: ["localhost"],
      extraPorts: [port],
      allowLoopback: true,
      resolve: async () => [v4(resolveTo)],
    });
  const url = () => `https://localhost:${port}/workflows/abc?sig=${secret}`;

  it("posts with the name as Host (and TLS name) to the checked address", async () => {
    hits.length = 0;
    answer = { status: 202 };
    await local("127.0.0.1").post(url(), card);
    expect(hits).toEqual([`POST /workflows/abc?sig=${secret} host=localhost:${port}`]);
  });

  it("connects to the checked address, not to a second lookup of the name", async () => {
    // localhost resolves to 127.0.0.1 on this machine, but the check said 127.0.0.3: nothing listens there.
    hits.length = 0;
    const e = await refusal(local("127.0.0.3").post(url(), card));
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(hits).toEqual([]);
  });

  it("a 302 is a failure, and the Location is not followed", async () => {
    hits.length = 0;
    answer = { status: 302, location: `https://localhost:${port}/elsewhere?sig=${secret}` };
    const e = await refusal(local("127.0.0.1").post(url(), card));
    expect(e.status).toBe(302);
    expect(e.transient).toBe(false);
    expect(e.message).toMatch(/redirects are not followed/);
    expect(e.message).not.toMatch(/TopSecret|elsewhere|localhost/);
    expect(hits).toHaveLength(1);
  });

  it("gives up after the timeout (worth trying again)", async () => {
    answer = { status: 202, hang: true };
    const e = await refusal(local("127.0.0.1", 150).post(url(), card));
    expect(e.transient).toBe(true);
    expect(e.message).toMatch(/timed out/);
    answer = { status: 202 };
  });
});
