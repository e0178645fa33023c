import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import { createQueryClient } from "./lib/queryClient";
import { App } from "./App";
import { detectTeams } from "./lib/teamsHost";
import { setLocale } from "./lib/format";
import { navigate } from "./lib/router";

async function boot() {
  const host = await detectTeams();
  if (host) {
    setLocale(host.locale);
    if (host.locale) document.documentElement.lang = host.locale;
    if (host.deepLinkPath && location.pathname === "/") navigate(host.deepLinkPath, { replace: true });
  } else {
    setLocale(navigator.language || "en-GB");
  }
  const root = document.getElementById("root");
  if (root)
    createRoot(root).render(
      <QueryClientProvider client={createQueryClient()}>
        <App host={host} />
      </QueryClientProvider>,
    );
}

void boot();
