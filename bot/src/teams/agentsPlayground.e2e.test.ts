/**
 * End to end through Microsoft 365 Agents Playground: the real Playground (a child process)
 * forwards to the running bot; the test talks to the Playground's own web UI endpoints — HTTP to
 * send as the user and to press card buttons, its WebSocket stream to see what the bot posted.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoOthers, startAgentsPlayground, type AgentsPlaygroundProcess } from "./agentsPlayground.js";
import { WsClient } from "../../test-support/wsClient.js";
import { textOf } from "../../test-support/botClient.js";
import { cardProblems } from "../../test-support/validateCard.js";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

let server: RunningServer;
let playground: AgentsPlaygroundProcess;
let ws: WsClient;

beforeAll(async () => {
  server = await startTestServer();
  const people = await server.store.listPeople();
  const amy = people.find((p) => p.id === "person-ect-amy")!;
  playground = await startAgentsPlayground({
    botEndpoint: `${server.url}/api/messages`,
    port: await freePort(),
    workDir: `${server.dataDir}/agents-playground`,
    current: amy,
    others: demoOthers(people, amy.id),
    quiet: true,
  });
  ws = await WsClient.connect(`${playground.url.replace("http", "ws")}/_ws_conversation/v1/conversations/stream`);
}, 60_000);

afterAll(async () => {
  ws?.close();
  await playground?.stop();
  await server?.stop();
});

describe("Microsoft 365 Agents Playground against the running bot", () => {
  it("chat as Amy: hello → welcome card; the weekly check-in arrives; answering it in the card records it on week 3", async () => {
    const config = (
      (await (await fetch(`${playground.url}/_internal/v1/config`)).json()) as { config: { currentUser: { id: string }; personalChat: { id: string } } }
    ).config;
    expect(config.currentUser.id).toBe("person-ect-amy");
    const chat = config.personalChat.id;

    const said = await fetch(`${playground.url}/_conversation/v1/conversations/${chat}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: { id: config.currentUser.id }, text: "hi", textFormat: "plain" }),
    });
    expect(said.status).toBe(200);
    const welcome = await ws.waitFor((m) => m.action === "createMessage" && textOf(m.message?.attachments?.[0]?.content).includes("Hello Amy Clarke"));
    expect(welcome).toBeTruthy();

    // The bot now knows Amy's conversation (through the Playground's service URL): the weekly schedule runs.
    await server.app.bot.scheduler.tick();
    await server.app.bot.dispatcher.drain();
    const prompt = await ws.waitFor((m) => m.action === "createMessage" && textOf(m.message?.attachments?.[0]?.content).includes("Week 3 check-in"));
    const card = prompt.message.attachments[0].content;
    expect(cardProblems(card)).toEqual([]);
    const button = card.actions.find((a: { verb?: string }) => a.verb === "checkIn");

    const pressed = await fetch(`${playground.url}/_conversation/v1/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "adaptiveCard/action",
        value: {
          action: { type: "Action.Execute", verb: "checkIn", data: { ...button.data, comment: "Answered in the Agents Playground" } },
          trigger: "manual",
        },
        from: { id: config.currentUser.id },
        conversation: { id: chat },
        replyToId: prompt.message.messageId,
      }),
    });
    expect(pressed.status).toBe(200);
    const answer = (await pressed.json()) as { value: unknown };
    expect(textOf(answer.value)).toContain("Recorded on week 3");

    const [summary] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
    const plan = (await server.store.getPlan(summary!.id))!;
    expect(plan.weeks.find((w) => w.week === 3)?.ectComment).toBe("Answered in the Agents Playground");
  });
});
