import { agreedVersion, signerLabels, standardsLicence, standardsSource, validSignatures, type TemplateId } from "@ectsp/shared";
import { CONFIDENTIAL_MARK, DRAFT_MARK, type Block, type ExportDocument } from "../model.js";
import type { ExportInput } from "../input.js";
import { formatDateTime, safeFilePart } from "../format.js";
import type { Layout } from "./common.js";
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

/** Who has signed the version printed, and who has not: the app's word on the signatures, beside its version. */
function signatureStatus(input: ExportInput): Block[] {
  const { plan } = input;
  const valid = validSignatures(plan);
  const missing = plan.signers.filter((s) => !valid.some((v) => v.role === s.role));
  const name = (personId: string | undefined) => (personId ? (input.people.get(personId) ?? "name not on record") : "not yet assigned");
  const blocks: Block[] = [
    plan.signers.length === 0
      ? { kind: "paragraph", tone: "alert", text: "Nobody has been asked to sign this plan yet." }
      : missing.length === 0
        ? { kind: "paragraph", text: `Signed by everyone required on ${agreedVersion(plan.revision)}, the version this plan runs on.` }
        : {
            kind: "paragraph",
            tone: "alert",
            text: `Still to sign ${agreedVersion(plan.revision)}: ${missing.map((s) => `${signerLabels[s.role]} (${name(s.personId)})`).join("; ")}.`,
          },
  ];
  const voided = plan.signatures.filter((s) => s.revision < plan.revision);
  if (voided.length > 0) {
    blocks.push({
      kind: "paragraph",
      tone: "note",
      text: `Earlier signatures, on earlier versions of this plan (they do not sign ${agreedVersion(plan.revision)}): ${voided
        .map((s) => `${s.name} as ${signerLabels[s.role]} on ${agreedVersion(s.revision)}, ${formatDateTime(s.signedAt)}`)
        .join("; ")}.`,
    });
  }
  return blocks;
}

/**
 * The app's version block, printed before the form: which version, its status, which form, when
 * exported, the facts the plan holds that the form has no place for, who has signed, any
 * amendment waiting and how a closed plan ended.
 */
function versionBlock(input: ExportInput, layout: Layout): Block[] {
  const { plan, template } = input;
  const blocks: Block[] = [];
  if (!isFullySigned(input)) {
    blocks.push({
      kind: "paragraph",
      tone: "alert",
      text: `${DRAFT_MARK}: not everyone required has signed ${agreedVersion(plan.revision)}, the agreement this plan holds now.`,
    });
  }
  if (sealCheck(plan).mismatched.length > 0) {
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
      { label: "Status", value: statusText(plan) },
      { label: "Form", value: `${template.name} (seed ${template.seed})` },
      { label: "Exported", value: formatDateTime(input.exportedAt) },
      ...(layout.recordFacts?.(input) ?? []).filter((f) => f.value !== ""),
    ],
  });
  blocks.push(...signatureStatus(input), ...outcomeBlock(input), ...amendmentNote(input));
  return blocks;
}

/** The form itself, word for word as its seed prints it, with what the app adds inside it (evidence, the review as recorded). */
export function formBlocks(input: ExportInput): Block[] {
  const { template } = input;
  const layout = layouts[template.id];
  const blocks: Block[] = [...(layout.intro?.(input) ?? [])];
  for (const section of template.sections) {
    const build = layout.sections[section];
    if (!build) throw new Error(`The ${template.id} layout does not lay out the "${section}" section`);
    blocks.push(...build(input));
  }
  return blocks;
}

/** The Teachers' Standards are Crown copyright, reproduced under the Open Government Licence, which asks for this attribution. */
function standardsAttribution(): Block[] {
  return [
    {
      kind: "paragraph",
      tone: "note",
      text: `The wording of the Teachers' Standards is from ${standardsSource.title} (${standardsSource.reference}), ${standardsSource.publisher}, ${standardsSource.url}. ${standardsLicence} https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/`,
    },
  ];
}

/**
 * Lays a plan out as its school's form: the app's version block, then the form in its seed's
 * words (the template decides which sections appear and in what order; the layout how each
 * looks), then the signature certificate.
 */
export function buildDocument(input: ExportInput): ExportDocument {
  const { plan, template } = input;
  const layout = layouts[template.id];
  const draft = !isFullySigned(input);
  const tampered = sealCheck(plan).mismatched.length > 0;
  const title = layout.title(input);
  const subtitle = layout.subtitle?.(input);
  const cites = plan.relatedStandards.length > 0 || plan.targets.some((t) => t.standards.length > 0);
  const blocks: Block[] = [...versionBlock(input, layout), ...formBlocks(input), ...(cites ? standardsAttribution() : []), ...signatureCertificate(input)];

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
