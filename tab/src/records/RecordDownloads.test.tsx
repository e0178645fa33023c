// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { AppContext, type AppServices } from "../AppContext";
import type { Api } from "../lib/api";
import type { Ect } from "./types";
import { RecordDownloads, WholeRecordDownload } from "./RecordDownloads";

afterEach(cleanup);
beforeEach(() => {
  // jsdom has no object URLs; the download only needs one to hand to the link.
  URL.createObjectURL = vi.fn(() => "blob:record");
  URL.revokeObjectURL = vi.fn();
});

const ect: Ect = {
  id: "ect-amy",
  personId: "person-ect-amy",
  schoolId: "school-riverside",
  abId: "ab-essex",
  inductionTutorId: "p-tutor",
  mentorId: "p-mentor",
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
};

type Person = AppServices["me"]["person"];
const people: Record<string, Person> = {
  tutor: { id: "p-tutor", displayName: "Sarah Thompson", roles: ["induction_tutor"], schoolId: "school-riverside" },
  mentor: { id: "p-mentor", displayName: "Laura Bennett", roles: ["mentor"], schoolId: "school-riverside" },
  lead: { id: "p-lead", displayName: "Imran Malik", roles: ["induction_lead"], schoolId: "school-riverside" },
  otherLead: { id: "p-lead-2", displayName: "Mark Ellis", roles: ["induction_lead", "head"], schoolId: "school-northgate" },
  ab: { id: "p-ab", displayName: "Priya Shah", roles: ["ab_officer"], abId: "ab-essex" },
  amy: { id: "person-ect-amy", displayName: "Amy Clarke", roles: ["ect"], schoolId: "school-riverside" },
};

function show(person: Person, raw: Api["raw"], ui: React.ReactNode) {
  const notify = vi.fn();
  const services: AppServices = { api: { raw } as unknown as Api, me: { person, roleLabels: [], mode: "local" }, theme: "light", inTeams: false, notify };
  render(
    <FluentProvider theme={teamsLightTheme}>
      <AppContext.Provider value={services}>{ui}</AppContext.Provider>
    </FluentProvider>,
  );
  return notify;
}

const pdf = () =>
  new Response(new Blob(["%PDF-1.7"]), {
    status: 200,
    headers: { "content-type": "application/pdf", "content-disposition": 'attachment; filename="Progress-review-1-Autumn-2026-Amy-Clarke-r1.pdf"' },
  });

describe("downloading a review or assessment from the records page", () => {
  it("offers Word and PDF, and fetches the signed-in download the server names", async () => {
    const raw = vi.fn(async () => pdf());
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    show(people.tutor!, raw, <RecordDownloads ectId="ect-amy" recordId="rec 1" what="progress review of 27 November 2026" />);
    const word = screen.getByRole("link", { name: "Download (Word): progress review of 27 November 2026" });
    expect(word.getAttribute("href")).toBe("/api/ects/ect-amy/records/rec%201/export.docx");
    const user = userEvent.setup();
    await user.click(screen.getByRole("link", { name: "Download (PDF): progress review of 27 November 2026" }));
    await waitFor(() => expect(clicked).toEqual(["Progress-review-1-Autumn-2026-Amy-Clarke-r1.pdf"]));
    expect(raw).toHaveBeenCalledWith("GET", "/api/ects/ect-amy/records/rec%201/export.pdf");
    click.mockRestore();
  });

  it("says why when the server refuses, in its words", async () => {
    const raw = vi.fn(
      async () =>
        new Response(JSON.stringify({ title: "That review or assessment was not found" }), {
          status: 404,
          headers: { "content-type": "application/problem+json" },
        }),
    );
    const notify = show(people.tutor!, raw, <RecordDownloads ectId="ect-amy" recordId="gone" what="formal assessment of 10 July 2026" />);
    await userEvent.setup().click(screen.getByRole("link", { name: "Download (Word): formal assessment of 10 July 2026" }));
    await waitFor(() =>
      expect(notify).toHaveBeenCalledWith("Could not download the formal assessment of 10 July 2026: That review or assessment was not found", "error"),
    );
  });
});

describe("the whole record link", () => {
  it("is shown to the ECT, their school's lead and their AB, and not to the mentor, the tutor or another school", () => {
    const raw = vi.fn(async () => pdf());
    const shown = (who: keyof typeof people) => {
      show(people[who]!, raw, <WholeRecordDownload ect={ect} />);
      const link = screen.queryByRole("link", { name: "Download the whole record (PDF): whole induction record" });
      cleanup();
      return link ? link.getAttribute("href") : null;
    };
    for (const who of ["amy", "lead", "ab"] as const) expect(shown(who), who).toBe("/api/ects/ect-amy/record.pdf");
    for (const who of ["mentor", "tutor", "otherLead"] as const) expect(shown(who), who).toBeNull();
    // Before the ECT is known, nothing is offered.
    show(people.lead!, raw, <WholeRecordDownload ect={undefined} />);
    expect(screen.queryByRole("link")).toBeNull();
  });
});
