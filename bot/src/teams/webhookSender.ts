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
 */
import { retryAfterMs, type Clock } from "../clock.js";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AdaptiveCard } from "../cards/card.js";
import { DeliveryError } from "./platform.js";

export interface WebhookSender {
  post(url: string, card: AdaptiveCard): Promise<void>;
}

export const adaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

export function webhookPayload(card: AdaptiveCard): unknown {
  return { type: "message", attachments: [{ contentType: adaptiveCardContentType, contentUrl: null, content: card }] };
}

export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: { clock: Clock; timeoutMs?: number; /** Tests: trust a local receiver's certificate. */ ca?: string }) {}

  post(url: string, card: AdaptiveCard): Promise<void> {
    const body = JSON.stringify(webhookPayload(card));
    const target = new URL(url);
    const request = target.protocol === "http:" ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          timeout: this.options.timeoutMs ?? 15_000,
          ...(this.options.ca ? { ca: this.options.ca } : {}),
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const wait = retryAfterMs(res.headers["retry-after"], this.options.clock, res.headers.date);
            reject(new DeliveryError(`webhook post failed (${status})`, status, wait));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out")));
      // No status: the dispatcher treats it as transient and tries again.
      req.on("error", (e) => reject(new DeliveryError(`webhook post failed (${e.message})`, undefined, undefined)));
      req.end(body);
    });
  }
}
