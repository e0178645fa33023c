import { banner, bullets, card, clip, formatDate, heading, muted, openUrl, para, plainText, type AdaptiveCard } from "./card.js";

export interface RetentionDueCardInput {
  /** The ECTs whose whole record has passed its date, as the lead's list shows them (a few named, the rest counted). */
  due: { ectName: string; retainUntil: string }[];
  /** The tab's retention page (or the tab, in Teams). */
  url: string;
}

const shown = 10;

/**
 * Issue 16, item 9: the daily retention job tells the school's induction lead what has passed
 * its retention date. The card deletes nothing and offers no button that does: the lead reviews
 * the list in the tab and confirms there.
 */
export function retentionDueCard(input: RetentionDueCardInput): AdaptiveCard {
  const n = input.due.length;
  const lines = input.due.slice(0, shown).map((d) => `${plainText(clip(d.ectName, 200))}: kept until ${formatDate(d.retainUntil)}`);
  return card(
    [
      banner("Records past their retention date", "accent"),
      heading(n === 1 ? "1 ECT's induction record can now be deleted" : `${n} ECTs' induction records can now be deleted`),
      para("Every plan, check-in, review, assessment and evidence file of these ECTs has been kept for six years after their induction (SG §2.77)."),
      ...bullets(lines),
      ...(n > shown ? [muted(`And ${n - shown} more in the list.`)] : []),
      para("Nothing is deleted until you confirm it in the app."),
    ],
    { actions: [openUrl("Review what is due", input.url)] },
  );
}
