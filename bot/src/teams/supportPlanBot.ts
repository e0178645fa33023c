import { ActivityHandler, type TurnContext } from "botbuilder";

/**
 * The bot's conversation handler. Weekly check-ins, sign-off cards and escalation alerts are
 * sent proactively from the outbox; here the bot greets people and answers card actions.
 */
export class SupportPlanBot extends ActivityHandler {
  constructor(private readonly tabUrl: string) {
    super();
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) await this.welcome(context);
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.welcome(context);
      await next();
    });
  }

  private async welcome(context: TurnContext): Promise<void> {
    await context.sendActivity(
      `I post weekly check-ins for support plans, ask signers to sign, and alert the induction tutor and the appropriate body when a plan is escalated. Open your plans here: ${this.tabUrl}`,
    );
  }
}
