import { agreedVersion, type TemplateId } from "@ectsp/shared";
import { CONFIDENTIAL_MARK, DRAFT_MARK, type Block, type ExportDocument } from "../model.js";
import type { ExportInput } from "../input.js";
import { formatDateTime, safeFilePart } from "../format.js";
import { closingNotes, recordedReview, standardsAppendix, type Layout } from "./common.js";
import { amendmentNote, isAgreed, outcomeBlock, sealCheck, statusText } from "./agreement.js";
import { SEAL_MISMATCH_MARK, signatureCertificate } from "./certificate.js";
import { ectAdditionalSupportLayout } from "./ectAdditionalSupport.js";
import { atRiskActionLayout } from "./atRiskAction.js";
import { ittEarlySupportLayout } from "./ittEarlySupport.js";
import { levelOneLayout } from "./levelOne.js";
import { weeklyLevelsLayout } from "./weeklyLevels.js";
import { levelSixLayout } from "./levelSix.js";

/** One layout per template: the Record makes the compiler refuse a template without one. */
export const layouts: Record<TemplateId, Layout> = {
  ect_additional_support: ectAdditionalSupportLayout,
  at_risk_action: atRiskActionLayout,
  itt_early_support: ittEarlySupportLayout,
  level_1: levelOneLayout,
  level_2: weeklyLevelsLayout,
  level_3: weeklyLevelsLayout,
  level_4: weeklyLevelsLayout,
  level_5: weeklyLevelsLayout,
  level_6: levelSixLayout,
};

/** True when the plan is agreed: everyone required signed the revision it runs on (an amendment waiting beside it does not change that). */
export function isFullySigned(input: Pick<ExportInput, "plan">): boolean {
  return isAgreed(input.plan);
}

export function exportFileBaseName(input: ExportInput): string {
  const base = [safeFilePart(input.template.name), safeFilePart(input.ectName)].filter(Boolean).join("-") || "support-plan";
  return `${base}-v${input.plan.version}`;
}

/**
 * Lays a plan out as its school's form: the template decides which sections appear and in what
 * order; the layout decides how each looks, in the seed's words.
 */
export function buildDocument(input: ExportInput): ExportDocument {
  const { plan, template } = input;
  const layout = layouts[template.id];
  const draft = !isFullySigned(input);
  const tampered = sealCheck(plan).mismatched.length > 0;
  const title = layout.title(input);
  const subtitle = layout.subtitle?.(input);
  const status = statusText(plan);

  const blocks: Block[] = [];
  if (draft) {
    blocks.push({
      kind: "paragraph",
      tone: "alert",
      text: `${DRAFT_MARK}: not everyone required has signed ${agreedVersion(plan.revision)}, the agreement this plan holds now.`,
    });
  }
  if (tampered) {
    blocks.push({
      kind: "paragraph",
      tone: "alert",
      text: `${SEAL_MISMATCH_MARK}: the agreed text below is not the text its signers sealed. See the signature certificate at the end.`,
    });
  }
  blocks.push({
    kind: "fields",
    perRow: 2,
    rows: [
      // "agreed version N" is the agreement's numbering everywhere (tab, cards, export); "version N" the saved plan's.
      { label: "Plan version", value: `Version ${plan.version} (${agreedVersion(plan.revision)})` },
      { label: "Status", value: status },
      { label: "Form", value: `${template.name} (seed ${template.seed})` },
      { label: "Exported", value: formatDateTime(input.exportedAt) },
    ],
  });
  blocks.push(...amendmentNote(input), ...(layout.intro?.(input) ?? []));
  for (const section of template.sections) {
    const build = layout.sections[section];
    if (!build) throw new Error(`The ${template.id} layout does not lay out the "${section}" section`);
    blocks.push(...build(input));
  }
  if (plan.review && !template.sections.includes("review") && !template.sections.includes("itt_review")) blocks.push(...recordedReview(input));
  // Every export ends with the signature certificate.
  blocks.push(...outcomeBlock(input), ...standardsAppendix(input), ...closingNotes(), ...signatureCertificate(input));

  const pageFooter = `${template.name} · ${input.ectName} · ${input.schoolName} · Plan version ${plan.version}, ${agreedVersion(plan.revision)}`;
  return {
    title,
    ...(subtitle ? { subtitle } : {}),
    orientation: layout.orientation,
    // At most two lines: the page's top margin holds two.
    pageHeader: [CONFIDENTIAL_MARK, ...(draft || tampered ? [[...(draft ? [DRAFT_MARK] : []), ...(tampered ? [SEAL_MISMATCH_MARK] : [])].join(" · ")] : [])],
    pageFooter,
    draft,
    blocks,
    fileBaseName: exportFileBaseName(input),
    properties: {
      title: `${title} — ${input.ectName}`,
      subject: `Confidential induction record: ${template.name}, version ${plan.version}, ${agreedVersion(plan.revision)}`,
      keywords: "confidential, ECT induction, support plan",
    },
  };
}
