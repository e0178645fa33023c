import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Button,
  FluentProvider,
  Select,
  Spinner,
  Text,
  Toast,
  ToastTitle,
  Toaster,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
  useId,
  useToastController,
} from "@fluentui/react-components";
import { createApi, ApiError } from "./lib/api";
import { createAuth, LocalPersonaAuth } from "./lib/auth";
import { Link, matchRoute, usePath } from "./lib/router";
import type { HostTheme, TeamsHost } from "./lib/teamsHost";
import type { Me } from "./lib/types";
import { AppContext, type AppServices } from "./AppContext";
import { PersonaPicker } from "./views/PersonaPicker";
import { Caseload } from "./views/Caseload";

// The editor, the pickers and the history load only when a plan is opened.
const PlanEditorView = lazy(() => import("./views/PlanEditorView"));
const HistoryView = lazy(() => import("./views/HistoryView"));

const themes = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;
const THEME_KEY = "ectsp:theme";

const useStyles = makeStyles({
  app: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  header: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, color: tokens.colorNeutralForeground1, textDecorationLine: "none" },
  spacer: { flexGrow: 1 },
  who: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  themeField: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  main: { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`, maxWidth: "1280px", margin: "0 auto" },
  skip: {
    position: "absolute",
    left: "-9999px",
    ":focus": { left: tokens.spacingHorizontalS, top: tokens.spacingVerticalS, zIndex: 10, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground1 },
  },
});

function initialTheme(host: TeamsHost | undefined): HostTheme {
  if (host) return host.theme;
  const q = new URLSearchParams(location.search).get("theme");
  const saved = q ?? localStorage.getItem(THEME_KEY);
  return saved === "dark" || saved === "contrast" ? saved : "light";
}

export function App({ host }: { host?: TeamsHost | undefined }) {
  const [theme, setTheme] = useState<HostTheme>(() => initialTheme(host));
  useEffect(() => host?.onThemeChange(setTheme), [host]);
  useEffect(() => {
    if (!host) localStorage.setItem(THEME_KEY, theme);
    document.documentElement.style.colorScheme = theme === "light" ? "light" : "dark";
  }, [theme, host]);
  return (
    <FluentProvider theme={themes[theme]} data-theme={theme}>
      <Shell host={host} theme={theme} setTheme={setTheme} />
    </FluentProvider>
  );
}

function Shell({ host, theme, setTheme }: { host: TeamsHost | undefined; theme: HostTheme; setTheme(t: HostTheme): void }) {
  const styles = useStyles();
  const auth = useMemo(() => createAuth(), []);
  const [me, setMe] = useState<Me | null | undefined>(undefined); // undefined: loading; null: signed out
  const [error, setError] = useState<string>();
  const toasterId = useId("toaster");
  const themeId = useId("theme");
  const { dispatchToast } = useToastController(toasterId);
  const signedOut = useRef(() => setMe(null));
  const api = useMemo(() => createApi(auth, () => signedOut.current()), [auth]);
  const path = usePath();
  const route = matchRoute(path);

  const loadMe = useCallback(async () => {
    if (!(await auth.getToken())) return setMe(null);
    try {
      setMe(await api.get<Me>("/api/me"));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return setMe(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [api, auth]);
  useEffect(() => void loadMe(), [loadMe]);

  const notify = useCallback(
    (message: string, intent: "success" | "error" | "info" = "success") =>
      dispatchToast(
        <Toast>
          <ToastTitle>{message}</ToastTitle>
        </Toast>,
        { intent, timeout: 4000 },
      ),
    [dispatchToast],
  );

  const services: AppServices | null = useMemo(() => (me ? { api, me, theme, inTeams: !!host, notify } : null), [api, me, theme, host, notify]);

  const signOut = () => {
    auth.signOut();
    setMe(null);
  };

  let body;
  if (error) body = <Text role="alert">Could not reach the server: {error}</Text>;
  else if (me === undefined) body = <Spinner label="Loading…" />;
  else if (me === null)
    body =
      auth instanceof LocalPersonaAuth ? (
        <PersonaPicker
          onPick={async (personId) => {
            await auth.signInAs(personId);
            await loadMe();
          }}
        />
      ) : (
        <Text role="alert">Sign-in is not available yet in this deployment.</Text>
      );
  else
    body = (
      <Suspense fallback={<Spinner label="Loading…" />}>
        {route.name === "caseload" && <Caseload />}
        {route.name === "plan" && <PlanEditorView key={route.planId} planId={route.planId} />}
        {route.name === "history" && <HistoryView key={route.planId} planId={route.planId} />}
        {route.name === "notFound" && (
          <div>
            <h1>Page not found</h1>
            <Link href="/">Back to the caseload</Link>
          </div>
        )}
      </Suspense>
    );

  return (
    <div className={styles.app}>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          ECT support plans
        </Link>
        <span className={styles.spacer} />
        {!host && (
          <div className={styles.themeField}>
            <label htmlFor={themeId}>Theme</label>
            <Select id={themeId} size="small" value={theme} onChange={(_, d) => setTheme(d.value as HostTheme)}>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
              <option value="contrast">High contrast</option>
            </Select>
          </div>
        )}
        {me && (
          <div className={styles.who}>
            <Text>
              <strong>{me.person.displayName}</strong> · {me.roleLabels.join(", ")}
            </Text>
            {auth.kind === "local" && (
              <Button size="small" onClick={signOut}>
                Switch persona
              </Button>
            )}
          </div>
        )}
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {services ? <AppContext.Provider value={services}>{body}</AppContext.Provider> : body}
      </main>
      <Toaster toasterId={toasterId} position="bottom-end" />
    </div>
  );
}
