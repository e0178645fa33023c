import { QueryClient } from "@tanstack/react-query";

/**
 * The tab's one cache of server reads (TanStack Query). Views read with `useQuery` under keys
 * named for what they hold and invalidate them after a save, instead of fetching in effects.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // A refused or invalid request will not succeed by asking again; retries are for the server being busy.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
}
