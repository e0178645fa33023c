import { createContext, useContext } from "react";
import type { Api } from "./lib/api";
import type { Me } from "./lib/types";
import type { HostTheme } from "./lib/teamsHost";

export interface AppServices {
  api: Api;
  me: Me;
  theme: HostTheme;
  inTeams: boolean;
  /** Tell the user something happened (saved, signed...). */
  notify: (message: string, intent?: "success" | "error" | "info") => void;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error("useApp outside <App>");
  return ctx;
}
