import { ActivityTypes, CardFactory, type Activity } from "botbuilder";
import type { OutgoingMessage } from "./platform.js";

/** An outgoing message as a Bot Framework activity: the card as an Adaptive Card attachment. */
export function toActivity(message: OutgoingMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    ...(message.text ? { text: message.text } : {}),
    ...(message.card ? { attachments: [CardFactory.adaptiveCard(message.card)] } : {}),
  };
}
