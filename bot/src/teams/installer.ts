/**
 * Proactive installation (issue 6): the bot can only message someone who has the app. When an
 * outbox message's recipient has no conversation with the bot, the dispatcher asks an
 * `AppInstaller` to install the app in their personal scope and hand back a conversation to
 * send to. The Graph implementation:
 *
 * 1. POST /users/{id | upn}/teamwork/installedApps
 *    { "teamsApp@odata.bind": "{graph}/v1.0/appCatalogs/teamsApps/{catalog id}" }
 *    → 201 (no body); 409 when the app is installed already (that is fine).
 * 2. GET  /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{catalog id}'
 *    → the installation's id.
 * 3. GET  /users/{id}/teamwork/installedApps/{installation id}/chat → the 1:1 chat's id, which is
 *    the bot's personal conversation id.
 *
 * Application permission: TeamsAppInstallation.ReadWriteSelfForUser.All (the app installs only
 * itself). Throttling (429/503/504) is retried by the Graph client's RetryHandler, as for the
 * SharePoint store; what is still failing surfaces as a DeliveryError the dispatcher retries.
 */
import { retryAfterMs, type Clock } from "../clock.js";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { Person } from "@ectsp/shared";
import type { ConversationRef } from "../store/store.js";
import { createGraphClient, send, type GraphConnectionOptions, type RawResponse } from "../store/sharepoint/graph.js";
import { DeliveryError } from "./platform.js";

export interface AppInstaller {
  /**
   * Installs the app for this person (or finds it installed) and returns the conversation to
   * send to; undefined when the person cannot have it (not a user in this tenant).
   * Throws DeliveryError for failures worth retrying or reporting.
   */
  install(person: Person): Promise<ConversationRef | undefined>;
}

export interface GraphInstallerSettings {
  /** The app's id in the tenant's app catalog (not the manifest id when an admin uploaded it). */
  teamsAppCatalogId: string;
  /** The bot's Microsoft app id (its conversations' bot id is "28:<id>"). */
  botAppId: string;
  tenantId: string;
  /** Bot Connector service URL for proactive sends to new conversations. */
  serviceUrl: string;
  /** Credentials with TeamsAppInstallation.ReadWriteSelfForUser.All (application). */
  clientId: string;
  clientSecret: string;
  graphBaseUrl: string;
  authorityHost: string;
  maxRetries?: number;
}

const failed = (res: RawResponse, step: string, clock: Clock): DeliveryError => {
  const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code ?? "unknown";
  return new DeliveryError(
    `installing the app: ${step} answered ${res.status} ${code}`,
    res.status,
    retryAfterMs(res.headers["retry-after"], clock, res.headers.date),
  );
};

export class GraphAppInstaller implements AppInstaller {
  private readonly client: Client;

  constructor(
    private readonly settings: GraphInstallerSettings,
    options: GraphConnectionOptions & { client?: Client } = {},
    private readonly clock: Clock,
  ) {
    this.client =
      options.client ??
      createGraphClient(
        {
          siteId: "",
          listPrefix: "",
          tenantId: settings.tenantId,
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          graphBaseUrl: settings.graphBaseUrl,
          authorityHost: settings.authorityHost,
          ...(settings.maxRetries !== undefined ? { maxRetries: settings.maxRetries } : {}),
        },
        options,
      );
  }

  async install(person: Person): Promise<ConversationRef | undefined> {
    // Someone who has never signed in is found by their UPN (the roster's work email).
    const user = encodeURIComponent(person.aadObjectId ?? person.email);
    const appId = this.settings.teamsAppCatalogId;
    const base = new URL(this.settings.graphBaseUrl).origin;
    const installed = await send(this.client, "POST", `/users/${user}/teamwork/installedApps`, {
      "teamsApp@odata.bind": `${base}/v1.0/appCatalogs/teamsApps/${appId}`,
    });
    // 404: no such user in this tenant (e.g. an AB officer elsewhere) — not ours to install for.
    if (installed.status === 404) return undefined;
    if (installed.status !== 201 && installed.status !== 409) throw failed(installed, "install", this.clock);

    const filter = encodeURIComponent(`teamsApp/id eq '${appId.replace(/'/g, "''")}'`);
    const list = await send(this.client, "GET", `/users/${user}/teamwork/installedApps?$expand=teamsApp&$filter=${filter}`);
    if (list.status !== 200) throw failed(list, "find the installation", this.clock);
    const installation = (list.body as { value?: { id: string }[] }).value?.[0];
    if (!installation) throw new DeliveryError("installing the app: Graph lists no installation after installing", undefined, undefined);

    const chat = await send(this.client, "GET", `/users/${user}/teamwork/installedApps/${encodeURIComponent(installation.id)}/chat`);
    if (chat.status !== 200) throw failed(chat, "get the chat", this.clock);
    const chatId = (chat.body as { id?: string }).id;
    if (!chatId) throw new DeliveryError("installing the app: the chat has no id", undefined, undefined);

    const { serviceUrl, tenantId, botAppId } = this.settings;
    return {
      conversationId: chatId,
      serviceUrl,
      channelId: "msteams",
      tenantId,
      ...(person.aadObjectId ? { aadObjectId: person.aadObjectId } : {}),
      // botbuilder's ConversationReference for a personal chat the bot has not yet seen.
      reference: {
        channelId: "msteams",
        serviceUrl,
        conversation: { id: chatId, conversationType: "personal", isGroup: false, tenantId },
        bot: { id: `28:${botAppId}` },
      },
      updatedAt: this.clock.now().toISOString(),
    };
  }
}
