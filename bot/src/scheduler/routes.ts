import type { OutboxMessage, Person } from "@ectsp/shared";
import type { ConversationRef, Store } from "../store/store.js";
import type { AppInstaller } from "../teams/installer.js";
import type { WebhookSender } from "../teams/webhookSender.js";

/** Where a message can go: a bot conversation, an AB's channel webhook, or (neither yet) the person to install the app for. */
export interface Target {
  ref?: ConversationRef;
  person?: Person;
  webhook?: { url: string; abId: string };
}

/** Finds how the dispatcher reaches a message's recipient (issue 6). */
export class RouteFinder {
  constructor(private readonly o: { store: Store; installer?: AppInstaller | undefined; webhook?: WebhookSender | undefined }) {}

  async target(m: OutboxMessage): Promise<Target> {
    const { store } = this.o;
    const ref = await store.getConversationRef(m.recipientId);
    if (ref) return { ref };
    // An AB officer the bot has never chatted with is reached in the AB's alert channel.
    const person = await store.getPerson(m.recipientId);
    if (person?.abId && person.roles.includes("ab_officer")) {
      const channel = await store.getChannelRef(person.abId);
      if (channel) return { ref: channel, person };
      // An AB outside the tenant: the same card through the webhook the ECT's school set for this
      // AB (Workflows). Per school and AB, so it never carries another school's ECTs.
      const ect = this.o.webhook && m.ectId ? await store.getEct(m.ectId) : undefined;
      const school = ect && ect.abId === person.abId ? await store.getSchool(ect.schoolId) : undefined;
      const hook = school?.alertWebhooks?.find((w) => w.abId === person.abId);
      if (hook) return { person, webhook: { url: hook.url, abId: person.abId } };
    }
    return person ? { person } : {};
  }

  /**
   * No conversation yet: install the app for them through Graph and use the chat it opens.
   * Undefined when there is no installer or they cannot have the app; a DeliveryError when
   * installing failed (the caller retries it like a send).
   */
  async installFor(person: Person | undefined): Promise<ConversationRef | undefined> {
    if (!person || !this.o.installer) return undefined;
    const ref = await this.o.installer.install(person);
    if (ref) await this.o.store.saveConversationRef(person.id, ref);
    return ref;
  }
}
