import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TemplateId } from "@ectsp/shared";

/**
 * The labels each seed form prints, read from the seed files themselves (byte-identical copies of
 * /work/shared/seeds/000–003 in ./seeds), never retyped: the export tests check every one appears
 * in the Word and PDF export exactly as the seed prints it (curly apostrophes, capitals).
 *
 * How a seed line becomes labels (the same for every seed):
 * - a line splits into cells at tabs and at runs of three or more spaces; underscores (blanks to
 *   write on) are removed; empty cells are dropped; cells are trimmed;
 * - a cell starting with a lower-case letter continues the cell before it in the same line: the
 *   seed's "Success C→riteria" is one heading cut by a merged cell;
 * - `join` names consecutive lines that are one label wrapped in its cell (000's "School actions
 *   … provided" / "(mentor/induction tutor/other staff)"): their cells are joined with a space;
 * - a leading bullet ("· ") is list formatting, not part of the words; 001's "(input name)" is
 *   the place for the name, not a label.
 *
 * What is left out, form by form, and why, is in each spec: the example row seed 001 prints
 * ("7d) … Amy to observe …") and its "** This text is an example only"; Word's own editing hint
 * "(Press tab key in cell above … to create new row)"; the ITT provider's name (002's
 * "MID-ESSEX ITT": a school setting, tested on its own); the on-track answer line "Yes … No" (the
 * export prints the answer given, or both when none is); and the policy text around the forms.
 */

const seedDir = fileURLToPath(new URL("./seeds/", import.meta.url));

/** A seed file's lines, numbered from 1 as an editor shows them. */
export function seedLines(seed: "000" | "001" | "002" | "003"): string[] {
  const file = readdirSync(seedDir).find((f) => f.startsWith(`${seed}_`));
  if (!file) throw new Error(`No seed ${seed} in ${seedDir}`);
  return ["", ...readFileSync(`${seedDir}${file}`, "utf8").split(/\r?\n/)];
}

interface FormSpec {
  seed: "000" | "001" | "002" | "003";
  /** Line ranges of the form, inclusive. */
  ranges: [number, number][];
  /** Groups of consecutive lines that are one wrapped label. */
  join?: number[][];
  /** Lines, or [line, cell index] pairs, that are not labels (see the module comment). */
  skip?: (number | [number, number])[];
  /** The first label of the form, checked so a changed seed fails loudly instead of shifting. */
  first: string;
}

/** The on-track answer line of seed 003 ("Yes                               No"). */
const isAnswerLine = (cells: string[]) => cells.length === 2 && cells[0] === "Yes" && cells[1] === "No";

const forms: Record<TemplateId, FormSpec> = {
  // 000: the guidance page ("ECT Support Plan" and its paragraphs), the form, and the cycle it ends with.
  ect_additional_support: {
    seed: "000",
    ranges: [[2, 66]],
    join: [
      [19, 20],
      [25, 26],
    ],
    first: "ECT Support Plan",
  },
  // 001: title, "for ECT:" (its "(input name)" is where the name goes), NB, the column headings,
  // the guidance under them, the signature rows and the closing PLEASE NOTE paragraph.
  at_risk_action: {
    seed: "001",
    ranges: [[3, 18]],
    skip: [10, [11, 1], [13, 1]],
    first: "Additional Support Action Plan (for at risk ECTs)",
  },
  // 002: the paperwork pages (from the third "CONFIDENTIAL:" heading); the three pages of procedure
  // before them are the provider's policy, not the form. Line 1 is the provider's name.
  itt_early_support: {
    seed: "002",
    ranges: [[55, 84]],
    join: [
      [78, 79],
      [81, 82],
      [83, 84],
    ],
    first: "CONFIDENTIAL: Early Support Plan Procedure and Paperwork",
  },
  // 003, Appendix 1, the forms: Level 1 up to its signatures.
  level_1: { seed: "003", ranges: [[214, 272]], first: "Level 1 – Light Touch Support" },
  level_2: { seed: "003", ranges: [[277, 375]], first: "Level 2 – Support Plan 1" },
  level_3: { seed: "003", ranges: [[388, 486]], first: "Level 3 – Support Plan 2" },
  level_4: { seed: "003", ranges: [[498, 607]], first: "Level 4 – Cause for Concern" },
  level_5: { seed: "003", ranges: [[616, 745]], first: "Level 5 – Risk of Failing" },
  // Level 6 has no form in seed 003: its heading in the policy and the actions listed under it.
  level_6: {
    seed: "003",
    ranges: [
      [85, 85],
      [92, 95],
    ],
    first: "Level 6 – School Capability Procedures",
  },
};

function cellsOf(line: string): string[] {
  const raw = line
    .replace(/_{2,}/g, " ")
    .replace(/\(input name\)/g, "")
    .split(/\t| {3,}/)
    .map((c) => c.replace(/^·\s*/, "").trim())
    .filter((c) => c !== "");
  const out: string[] = [];
  for (const c of raw) {
    if (/^[a-z]/.test(c) && out.length > 0) out[out.length - 1] += c;
    else out.push(c);
  }
  return out;
}

/** The printed labels of a template's seed form, in the order the seed prints them (repeats kept). */
export function seedLabelsOf(templateId: TemplateId): string[] {
  const spec = forms[templateId];
  const lines = seedLines(spec.seed);
  const skipLine = new Set(spec.skip?.filter((s): s is number => typeof s === "number"));
  const skipCell = new Set(spec.skip?.filter((s): s is [number, number] => typeof s !== "number").map(([l, c]) => `${l}:${c}`));
  const joinedInto = new Map<number, number>();
  for (const group of spec.join ?? []) for (const n of group.slice(1)) joinedInto.set(n, group[0]!);
  const labels: string[] = [];
  for (const [from, to] of spec.ranges) {
    for (let n = from; n <= to; n++) {
      if (skipLine.has(n) || joinedInto.has(n)) continue;
      const group = spec.join?.find((g) => g[0] === n);
      const cells = group
        ? [group.map((m) => cellsOf(lines[m] ?? "").join(" ")).join(" ")]
        : cellsOf(lines[n] ?? "").filter((_, i) => !skipCell.has(`${n}:${i}`));
      if (isAnswerLine(cells)) continue;
      labels.push(...cells);
    }
  }
  if (labels[0] !== spec.first) throw new Error(`Seed ${spec.seed} has moved: ${templateId}'s form starts "${labels[0]}", not "${spec.first}"`);
  return labels;
}

/** The ITT provider's name as seed 002 prints it on its first line. */
export const seedIttProviderName = (): string => cellsOf(seedLines("002")[1] ?? "")[0] ?? "";
