import { describe, expect, it, vi } from "vitest";
import { callApi, fillPath, type Api } from "./api";

const fakeApi = () => {
  const get = vi.fn(async (_path: string): Promise<unknown> => ({ rows: [] }));
  const send = vi.fn(async (_method: string, _path: string, _body: unknown, _headers?: Record<string, string>): Promise<unknown> => ({}));
  return { api: { get, send } as unknown as Api, get, send };
};

describe("the typed client", () => {
  it("reads a route by its contract name, with its path parameters encoded", async () => {
    const { api, get } = fakeApi();
    await callApi(api, "GET /api/caseload");
    await callApi(api, "GET /api/ects/{ectId}/records", { params: { ectId: "ect amy/1" } });
    expect(get.mock.calls.map(([p]) => p)).toEqual(["/api/caseload", "/api/ects/ect%20amy%2F1/records"]);
  });

  it("sends the body and headers a write takes", async () => {
    const { api, send } = fakeApi();
    await callApi(api, "POST /api/ects/{ectId}/concerns", { params: { ectId: "ect-amy" }, body: { text: "Observations keep moving" } });
    await callApi(api, "PUT /api/plans/{planId}/review", {
      params: { planId: "plan-1" },
      body: { review: { targetOutcomes: [], evaluation: "", nextObjectives: "", onTrack: true } },
      headers: { "if-match": '"v3"' },
    });
    expect(send.mock.calls).toEqual([
      ["POST", "/api/ects/ect-amy/concerns", { text: "Observations keep moving" }, undefined],
      ["PUT", "/api/plans/plan-1/review", { review: { targetOutcomes: [], evaluation: "", nextObjectives: "", onTrack: true } }, { "if-match": '"v3"' }],
    ]);
  });

  it("takes only what the contract says (checked when the tab is type-checked)", () => {
    const { api } = fakeApi();
    // @ts-expect-error the records route needs its ectId
    expect(() => callApi(api, "GET /api/ects/{ectId}/records")).toThrow(/needs ectId/);
    // @ts-expect-error a concern's text is a string
    void callApi(api, "POST /api/ects/{ectId}/concerns", { params: { ectId: "e" }, body: { text: 42 } });
    // @ts-expect-error downloads are not JSON routes: they go through api.raw
    void callApi(api, "GET /api/caseload.csv");
    expect(fillPath("/api/evidence/{id}", { id: "ev-1" })).toBe("/api/evidence/ev-1");
  });
});
