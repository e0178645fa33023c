import { createRequire } from "node:module";
import { cardBytes, maxCardBytes, type AdaptiveCard } from "@ectsp/bot/cards/card.js";

// The adaptivecards package (the renderer's own object model) as a validator: parse with a
// 1.5 serialization context, then collect parse events and property validation events.
const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new (version: unknown) => { eventCount: number; getEventAt(i: number): { message: string } };
  Versions: { v1_5: unknown };
};

/** Problems the Adaptive Cards object model finds in a card, plus size; [] means valid. */
export function cardProblems(json: AdaptiveCard | Record<string, unknown>): string[] {
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, ctx);
  const problems: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) problems.push(`parse: ${ctx.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const bytes = cardBytes(json as AdaptiveCard);
  if (bytes >= maxCardBytes) problems.push(`size: ${bytes} bytes, over ${maxCardBytes}`);
  if ((json as AdaptiveCard).version !== "1.5") problems.push(`version ${(json as AdaptiveCard).version}`);
  return problems;
}
