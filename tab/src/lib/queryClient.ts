import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api";

/** At most this many tries after the first, and never a wait longer than this, whatever the server asks. */
export const maxRetries = 2;
export const maxRetryWaitSeconds = 30;

/** The wait a busy server asked for: a 503 with Retry-After (header or problem field); undefined for anything else. */
export function busyWait(error: unknown): number | undefined {
  if (!(error instanceof ApiError) || error.status !== 503 || error.retryAfterSeconds === undefined) return undefined;
  return Math.min(Math.max(error.retryAfterSeconds, 0), maxRetryWaitSeconds);
}

/** A read is asked again only when the server said it was busy and when to come back; a refusal (4xx) never. */
export const retryRead = (failureCount: number, error: unknown): boolean => failureCount < maxRetries && busyWait(error) !== undefined;

/**
 * A write is sent again only when the server said nothing was written (problem `unchanged: true`,
 * "Nothing was changed"): never when it may be half done (`unchanged: false`), when it is recorded
 * and will complete by itself (`completing`), or when the server could not say.
 */
export const retryWrite = (failureCount: number, error: unknown): boolean =>
  retryRead(failureCount, error) && error instanceof ApiError && error.problem.unchanged === true && error.problem.completing !== true;

export const retryDelay = (_failureCount: number, error: unknown): number => (busyWait(error) ?? 0) * 1000;

/**
 * The tab's one cache of server reads (TanStack Query). Views read with `useQuery` under keys
 * from lib/queries.ts and invalidate them after a save, instead of fetching in effects.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryRead, retryDelay, refetchOnWindowFocus: false, staleTime: 10_000 },
      mutations: { retry: retryWrite, retryDelay },
    },
  });
}
