/**
 * Talks to the bot the way a channel does: Bot Framework activities POSTed to /api/messages
 * (no credentials: local mode), with `serviceUrl` pointing at a LocalConnector that captures
 * what the bot sends back.
 */
import { testInstant } from "./movableClock.js";

export interface Persona {
  /** from.id as the channel sends it (in local mode, the demo person id). */
  id: string;
  aadObjectId?: string;
  name?: string;
}

export interface BotClientOptions {
  botUrl: string;
  serviceUrl: string;
  /** The channel's clock for activity timestamps; a fixed test instant unless given. */
  now?: () => Date;
}

let seq = 0;

export class BotClient {
  constructor(private readonly o: BotClientOptions) {}

  personalConversation(persona: Persona): string {
    return `a:personal-${persona.id}`;
  }

  activity(persona: Persona, extra: Record<string, unknown>, conversation?: { id: string; conversationType: string }): Record<string, unknown> {
    return {
      id: `in-${++seq}`,
      channelId: "msteams",
      serviceUrl: this.o.serviceUrl,
      timestamp: (this.o.now ?? (() => new Date(testInstant)))().toISOString(),
      from: { id: persona.id, name: persona.name ?? persona.id, ...(persona.aadObjectId ? { aadObjectId: persona.aadObjectId } : {}) },
      recipient: { id: "28:bot", name: "Support plans" },
      conversation: conversation ?? { id: this.personalConversation(persona), conversationType: "personal", tenantId: "tenant-local" },
      channelData: { tenant: { id: "tenant-local" } },
      locale: "en-GB",
      ...extra,
    };
  }

  async post(activity: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.o.botUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  message(persona: Persona, text: string, conversation?: { id: string; conversationType: string }) {
    return this.post(this.activity(persona, { type: "message", text }, conversation));
  }

  install(persona: Persona) {
    return this.post(this.activity(persona, { type: "conversationUpdate", membersAdded: [{ id: persona.id }, { id: "28:bot" }] }));
  }

  /** Presses an Action.Execute button: returns the card the bot answered with. */
  async execute(persona: Persona, verb: string, data: Record<string, unknown>, replyToId = "card-1"): Promise<{ status: number; card: any; body: any }> {
    const r = await this.post(
      this.activity(persona, {
        type: "invoke",
        name: "adaptiveCard/action",
        replyToId,
        value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
      }),
    );
    return { status: r.status, body: r.body, card: r.body?.value };
  }
}

/** Finds the Adaptive Card in a captured activity. */
export function cardOf(activity: Record<string, unknown>): any {
  const attachments = (activity.attachments ?? []) as { contentType: string; content: unknown }[];
  return attachments.find((a) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
}

/** All Action.Execute buttons on a card (including the refresh action). */
export function executeActions(card: any): { verb: string; data: Record<string, unknown>; title?: string }[] {
  const found: { verb: string; data: Record<string, unknown>; title?: string }[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (o.type === "Action.Execute")
        found.push({
          verb: typeof o.verb === "string" ? o.verb : "",
          data: (o.data ?? {}) as Record<string, unknown>,
          ...(typeof o.title === "string" && o.title ? { title: o.title } : {}),
        });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** Every TextBlock text on a card, joined: for asserting what a card says. */
export function textOf(card: any): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      if (typeof o.title === "string" && typeof o.value === "string") out.push(`${o.title}: ${o.value}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out.join("\n");
}
