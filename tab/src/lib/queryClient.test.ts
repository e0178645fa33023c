import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MutationObserver } from "@tanstack/react-query";
import { ApiError, retryAfterOf } from "./api";
import { createQueryClient } from "./queryClient";
import type { Problem } from "./types";

/** A refusal as the server sends it (problem JSON), with Retry-After for a 503. */
const refusal = (status: number, problem: Problem = {}, retryAfterSeconds?: number) =>
  new ApiError(status, { title: "Refused", status, detail: `Answered ${status}`, ...problem }, retryAfterSeconds);
const busy = (seconds: number, problem: Problem = {}) => refusal(503, { retryAfterSeconds: seconds, ...problem }, seconds);

/** A call that fails with each error in turn, then answers "done". */
function answers(...errors: ApiError[]) {
  return vi.fn(async () => {
    const next = errors.shift();
    if (next) throw next;
    return "done";
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("reading while the server is busy", () => {
  it("asks again once the Retry-After has passed, and shows the answer", async () => {
    const client = createQueryClient();
    const read = answers(busy(5));
    const result = client.fetchQuery({ queryKey: ["caseload"], queryFn: read });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(2);
    await expect(result).resolves.toBe("done");
  });

  it("tries at most twice more, then gives the server's reason", async () => {
    const client = createQueryClient();
    const read = answers(busy(2), busy(2), busy(2));
    const result = client.fetchQuery({ queryKey: ["caseload"], queryFn: read }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(read).toHaveBeenCalledTimes(3);
    expect(((await result) as ApiError).status).toBe(503);
  });

  it("never waits longer than 30 seconds, whatever the server asks", async () => {
    const client = createQueryClient();
    const read = answers(busy(3600));
    const result = client.fetchQuery({ queryKey: ["caseload"], queryFn: read });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(read).toHaveBeenCalledTimes(2);
    await expect(result).resolves.toBe("done");
  });

  it("does not ask again after a refusal (409, 422, 403), or a 503 that names no wait", async () => {
    for (const error of [refusal(409), refusal(422, { violations: [] }), refusal(403), refusal(503)]) {
      const client = createQueryClient();
      const read = answers(error);
      const result = client.fetchQuery({ queryKey: ["plan"], queryFn: read }).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(read, `after ${error.status}`).toHaveBeenCalledTimes(1);
      expect(await result).toBe(error);
    }
  });
});

describe("saving while the server is busy", () => {
  const save = async (error: ApiError) => {
    const client = createQueryClient();
    const write = answers(error);
    const observer = new MutationObserver(client, { mutationFn: write });
    const result = observer.mutate(undefined).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    return { calls: write.mock.calls.length, result: await result };
  };

  it("sends it again after the wait only when the server said nothing was changed", async () => {
    expect(await save(busy(4, { unchanged: true }))).toEqual({ calls: 2, result: "done" });
  });

  it("does not send it again when part may be saved, it will complete by itself, or the server could not say", async () => {
    for (const problem of [{ unchanged: false }, { completing: true }, {}]) {
      const error = busy(4, problem);
      expect(await save(error), JSON.stringify(problem)).toEqual({ calls: 1, result: error });
    }
  });

  it("does not send it again after a refusal", async () => {
    const conflict = refusal(409, { unchanged: true });
    expect(await save(conflict)).toEqual({ calls: 1, result: conflict });
  });
});

describe("Retry-After", () => {
  it("is read from the header (seconds or a date), else from the problem", () => {
    vi.setSystemTime(new Date("2026-11-27T10:00:00Z"));
    expect(retryAfterOf(new Response(null, { status: 503, headers: { "retry-after": "7" } }), undefined)).toBe(7);
    expect(retryAfterOf(new Response(null, { status: 503, headers: { "retry-after": "Fri, 27 Nov 2026 10:00:12 GMT" } }), undefined)).toBe(12);
    expect(retryAfterOf(new Response(null, { status: 503 }), { retryAfterSeconds: 3 })).toBe(3);
    expect(retryAfterOf(new Response(null, { status: 503 }), {})).toBeUndefined();
  });
});
