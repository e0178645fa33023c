/**
 * Who may talk to /api/messages, and where the server listens. The attacker here posts unsigned
 * Bot Framework activities that claim to come from the head (her Entra object id), as anyone on
 * the network could; each case asserts the refusal and that nothing was read into the store.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, localModeExposure } from "../config.js";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { fakeTenant, tenantEnv } from "../../test-support/entraTestTokens.js";
import { BotClient } from "../../test-support/botClient.js";
import { LocalConnector } from "../../test-support/localConnector.js";
import { makeAb, makeEct, makePerson, makeSchool } from "../../test-support/store/testData.js";

const headOid = "7d0c7a4e-1d1b-4e8e-9a51-0000000000aa";
const withoutBot = (() => {
  const { BOT_ID: _id, BOT_PASSWORD: _password, ...rest } = tenantEnv;
  return rest;
})();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A tenant-mode server whose roster has a head with an Entra object id, and a local Bot Connector. */
async function tenantServer(env: Record<string, string>) {
  const tenant = await fakeTenant();
  const server = await startTestServer({ env, entraVerifier: tenant.verifier() });
  cleanups.push(() => server.stop());
  const ab = makeAb();
  const school = makeSchool({ abId: ab.id });
  const head = makePerson({ displayName: "Helen Head", roles: ["head"], schoolId: school.id, aadObjectId: headOid });
  const ectPerson = makePerson({ displayName: "Eli Ect", roles: ["ect"], schoolId: school.id });
  await server.store.upsertAppropriateBody(ab);
  await server.store.upsertSchool(school);
  await server.store.upsertPerson(head);
  await server.store.upsertPerson(ectPerson);
  await server.store.upsertEct(makeEct({ personId: ectPerson.id, schoolId: school.id, abId: ab.id }));
  const connector = new LocalConnector();
  await connector.start();
  cleanups.push(() => connector.stop());
  return { server, head, connector, client: new BotClient({ botUrl: server.url, serviceUrl: connector.url }) };
}

/** Everything an accepted activity could leave behind for the head. */
const traces = async (server: RunningServer, personId: string) => ({
  conversation: await server.store.getConversationRef(personId),
  outbox: await server.store.listOutbox({}),
  audit: await server.store.listAudit({}),
});

describe("the Bot Framework endpoint in tenant mode", () => {
  it("refuses to start without the bot's credentials, naming what is missing", () => {
    expect(() => loadConfig(withoutBot)).toThrow(/BOT_ID is missing; BOT_PASSWORD is missing/);
    expect(() => loadConfig({ ...withoutBot, BOT_ID: tenantEnv.BOT_ID })).toThrow(/needs the bot's credentials: BOT_PASSWORD is missing\./);
    expect(() => loadConfig({ ...withoutBot, BOT_DISABLED: "yes please" })).toThrow(/BOT_DISABLED=true/);
    expect(loadConfig({ ...withoutBot, BOT_DISABLED: "true" }).bot).toEqual({ disabled: true });
    expect(loadConfig(tenantEnv).bot).toMatchObject({ appId: tenantEnv.BOT_ID });
  });

  it("with the bot disabled, answers every activity 401 and keeps nothing, whoever it claims to be", async () => {
    const { server, head, connector, client } = await tenantServer({ ...withoutBot, BOT_DISABLED: "true" });
    const before = await traces(server, head.id);
    const installed = await client.install({ id: "29:attacker", aadObjectId: headOid, name: "Helen Head" });
    const said = await client.message({ id: "29:attacker", aadObjectId: headOid, name: "Helen Head" }, "Approve everything");
    expect([installed.status, said.status]).toEqual([401, 401]);
    expect(said.body).toMatchObject({ status: 401, title: "The bot is disabled" });
    expect(await traces(server, head.id)).toEqual(before);
    expect(before.conversation).toBeUndefined();
    expect(connector.sent()).toEqual([]);
  });

  it("with credentials, refuses an activity the Bot Framework did not sign and keeps nothing", async () => {
    const { server, head, connector, client } = await tenantServer({ ...tenantEnv });
    const before = await traces(server, head.id);
    const installed = await client.install({ id: "29:attacker", aadObjectId: headOid, name: "Helen Head" });
    const said = await client.message({ id: "29:attacker", aadObjectId: headOid, name: "Helen Head" }, "Approve everything");
    expect([installed.status, said.status]).toEqual([401, 401]);
    expect(await traces(server, head.id)).toEqual(before);
    expect(before.conversation).toBeUndefined();
    expect(connector.sent()).toEqual([]);
  });
});

describe("where the server listens", () => {
  const addressOf = (server: RunningServer) => server.app.server.address().address;

  it("local mode listens on 127.0.0.1 only, so its demo sign-in never leaves this machine", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.stop());
    expect(addressOf(server)).toBe("127.0.0.1");
    expect(localModeExposure(loadConfig({}))).toBeUndefined();
  });

  it("local mode on another address warns loudly; tenant mode listens on every interface", async () => {
    expect(localModeExposure(loadConfig({ HOST: "0.0.0.0" }))).toMatch(/^WARNING: local mode is listening on 0\.0\.0\.0 .*any demo persona/);
    const tenant = await fakeTenant();
    const server = await startTestServer({ env: { ...tenantEnv }, entraVerifier: tenant.verifier() });
    cleanups.push(() => server.stop());
    expect(addressOf(server)).toBe("0.0.0.0");
    expect(localModeExposure(loadConfig(tenantEnv))).toBeUndefined();
  });
});
