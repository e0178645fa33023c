/**
 * An appropriate body outside the tenant (issue 6): its alerts go to a Teams channel through a
 * webhook it set up with Workflows ("Post to a channel when a webhook request is received").
 * The wire format is the one Workflows and the older incoming webhooks accept:
 *
 *   POST {url}  { "type": "message", "attachments": [ { "contentType":
 *     "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": <card> } ] }
 *
 * A refusal becomes a DeliveryError with the status and Retry-After, so the dispatcher treats it
 * like any other send (429 waits, 5xx backs off, 4xx fails). The URL is a secret (it carries a
 * signature): it is never logged or put in an error message.
 *
 * The address is an officer's input, so it is checked before every post (webhookPolicy.ts): https on
 * the standard port to an allowed Workflows / connector host, resolving to public addresses only;
 * the connection goes to the addresses checked. A redirect is a failure, never followed.
 */
import { retryAfterMs, type Clock } from "../clock.js";
import { request as httpsRequest } from "node:https";
import type { AdaptiveCard } from "../cards/card.js";
import { DeliveryError } from "./platform.js";
import { pinnedLookup, vetWebhookUrl, type WebhookPolicyOptions } from "./webhookPolicy.js";

export interface WebhookSender {
  post(url: string, card: AdaptiveCard): Promise<void>;
}

export const adaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

export function webhookPayload(card: AdaptiveCard): unknown {
  return { type: "message", attachments: [{ contentType: adaptiveCardContentType, contentUrl: null, content: card }] };
}

export interface HttpWebhookSenderOptions extends WebhookPolicyOptions {
  clock: Clock;
  /** The whole post, connect to answer. Default 15 s. */
  timeoutMs?: number;
  /** Tests: trust a local receiver's certificate. */
  ca?: string;
}

export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: HttpWebhookSenderOptions) {}

  async post(url: string, card: AdaptiveCard): Promise<void> {
    // Refused (permanent) before anything is sent: not allowed as written, or resolves inside.
    const { url: target, addresses } = await vetWebhookUrl(url, this.options);
    const body = JSON.stringify(webhookPayload(card));
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          protocol: "https:",
          // The name, not an address: it is the Host header, the TLS server name and what the
          // certificate is checked against; the pinned lookup makes it connect where the check looked.
          hostname: target.hostname,
          port: target.port === "" ? 443 : Number(target.port),
          path: `${target.pathname}${target.search}`,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          timeout: timeoutMs,
          lookup: pinnedLookup(addresses),
          // A fresh connection each post: no pooled socket made before this check.
          agent: false,
          ...(this.options.ca ? { ca: this.options.ca } : {}),
        },
        (res) => {
          res.resume();
          // Cut off mid-answer (the deadline, or the receiver hung up): transient, like no answer.
          res.on("error", () => {
            clearTimeout(deadline);
            reject(new DeliveryError("webhook post failed (the answer was cut off)", undefined, undefined));
          });
          res.on("end", () => {
            clearTimeout(deadline);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            // Node follows no redirect; the Location is never read, logged or followed.
            if (status >= 300 && status < 400)
              return reject(new DeliveryError(`webhook post failed (${status}: redirects are not followed)`, status, undefined));
            const wait = retryAfterMs(res.headers["retry-after"], this.options.clock, res.headers.date);
            reject(new DeliveryError(`webhook post failed (${status})`, status, wait));
          });
        },
      );
      const deadline = setTimeout(() => req.destroy(new Error("timed out")), timeoutMs);
      req.on("timeout", () => req.destroy(new Error("timed out")));
      // No status: the dispatcher treats it as transient and tries again. The error code only:
      // Node's messages can name the host.
      req.on("error", (e: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        reject(new DeliveryError(`webhook post failed (${e.code ?? (e.message === "timed out" ? "timed out" : "network error")})`, undefined, undefined));
      });
      req.end(body);
    });
  }
}
