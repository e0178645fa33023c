import { vi } from "vitest";
import { render } from "@testing-library/react";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createQueryClient } from "../lib/queryClient";
import { templateById } from "@shared/templates";
import { standardHeadings } from "@shared/standards";
import type { Plan, TemplateId } from "@shared/model/plan";
import PlanEditorView from "./PlanEditorView";
import { AppContext, type AppServices } from "../AppContext";
import type { Api } from "../lib/api";
import type { PlanView } from "../lib/types";

/** Plans and plan views for the editor's component tests (jsdom), and the editor rendered around them. */

// jsdom has no ResizeObserver; Fluent's MessageBar measures itself with one.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

export const weeks = () =>
  [1, 2, 3, 4, 5, 6].map((week) => ({ week, action: "", byWhom: "", resources: "", successCriteria: "", evaluation: "", ectComment: "" }));
export const target = (id: string, text: string, standards = ["7d"]) => ({
  id,
  standards,
  text,
  ectActions: "",
  schoolActions: "",
  supportedBy: "",
  resources: "",
  successCriteria: "",
  timeScale: "",
  observationOutcome: "",
  outcomeEntries: [],
});

export function planView(templateId: TemplateId, patch: Partial<Plan> = {}, editScope: PlanView["editScope"] = "all", view: Partial<PlanView> = {}): PlanView {
  const t = templateById(templateId);
  const plan: Plan = {
    id: "plan-1",
    ectId: "ect-1",
    schoolId: "s",
    abId: "ab",
    templateId,
    ...(t.level ? { level: t.level } : {}),
    status: "draft",
    version: 3,
    revision: 2,
    signers: [],
    signatures: [],
    comments: [],
    createdAt: "2026-11-27T10:00:00Z",
    createdBy: "p-tutor",
    updatedAt: "2026-11-27T10:00:00Z",
    updatedBy: "p-tutor",
    retainUntil: "2034-08-31",
    startDate: "2026-11-30",
    endDate: "2027-01-08",
    reviewDate: "2026-12-11",
    term: "Autumn 2026",
    presentAtMeeting: "",
    subject: "",
    staffMembers: "",
    statementOfConcern: "Pace of lessons",
    previousObjectives: "",
    previousEvaluation: "",
    relatedStandards: [],
    possibleExtensionReasons: "",
    targets: [target("t1", "Act decisively")],
    weeks: t.sections.includes("weeks") ? weeks() : [],
    meetings: [],
    ...patch,
  };
  const allowed = {
    read_plan: true,
    read_audit: true,
    create_plan: true,
    edit_plan: editScope === "all",
    comment: true,
    answer_check_in: false,
    evaluate_week: false,
    request_signatures: false,
    sign: false,
    start_plan: false,
    review: false,
    escalate: false,
  };
  return {
    plan,
    ect: { id: "ect-1", name: "Erin Walsh", schoolName: "Riverside", track: t.track },
    stage: "Draft",
    signers: [],
    signerChoices: [],
    validSignatures: [],
    missingSigners: [],
    agreedDigest: "0".repeat(64),
    violations: [],
    allowed,
    editScope,
    access: { scope: editScope, summary: "What this viewer may change." },
    ...view,
  };
}

export class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

export const tutor: AppServices["me"] = {
  person: { id: "p-tutor", displayName: "Sarah Thompson", roles: ["induction_tutor"] },
  roleLabels: ["Induction tutor"],
  mode: "local",
};

/** GET /api/reference as the server answers it (the Standards pickers read it); the tests' own `get` answers the rest. */
export const referenceBody = { templates: [], ladder: [], standards: standardHeadings, standardsLicence: "" };
export const withReference = (get: Api["get"] | undefined): Api["get"] =>
  ((path: string) => (path === "/api/reference" ? Promise.resolve(referenceBody) : get ? get(path) : Promise.reject(new Error(`GET ${path}`)))) as Api["get"];

/** The services a component under test reads (useApp), with the reference data answered. */
export function services(api: Partial<Api>, me: AppServices["me"] = tutor): AppServices {
  return { api: { ...api, get: withReference(api.get) } as Api, me, theme: "light", inTeams: false, notify: vi.fn() };
}

export function renderEditor(
  api: Partial<Api>,
  storage: Storage = new MemoryStorage(),
  me: AppServices["me"] = tutor,
  client: QueryClient = createQueryClient(),
) {
  const app = services(api, me);
  const ui = render(
    <QueryClientProvider client={client}>
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={app}>
          <PlanEditorView planId="plan-1" storage={storage} />
        </AppContext.Provider>
      </FluentProvider>
    </QueryClientProvider>,
  );
  return { ...ui, storage, services: app, client };
}
