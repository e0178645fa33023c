import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
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
import { createApi, ApiError, type Api } from "./lib/api";
import { createAuth, LocalPersonaAuth, type AuthProvider } from "./lib/auth";
import { Link, matchRoute, usePath } from "./lib/router";
import type { HostTheme, TeamsHost } from "./lib/teamsHost";
import type { Me } from "./lib/types";
import { AppContext, type AppServices } from "./AppContext";
import { PersonaPicker } from "./views/PersonaPicker";
import { Caseload } from "./views/Caseload";
import { Refusal } from "./components/Navigation";
import { matchRecordsRoute } from "./records/routes";

// The editor, the pickers and the history load only when a plan is opened.
const PlanEditorView = lazy(() => import("./views/PlanEditorView"));
const HistoryView = lazy(() => import("./views/HistoryView"));
// The channel tab's configuration page (Teams opens it when the tab is added to a channel).
const ConfigPage = lazy(() => import("./views/ConfigPage"));
// Induction records: an ECT's reviews and assessments, the AB's listing, the school's roster.
const EctRecordsView = lazy(() => import("./views/EctRecordsView"));
const AbReviewsView = lazy(() => import("./views/AbReviewsView"));
const RosterView = lazy(() => import("./views/RosterView"));
// Issue 15: the dashboard and its chart library load only when it is opened.
const AbDashboardView = lazy(() => import("./views/AbDashboardView"));
// Issue 16, item 9: records past their retention date (induction leads).
const RetentionView = lazy(() => import("./views/RetentionView"));

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
    ":focus": {
      left: tokens.spacingHorizontalS,
      top: tokens.spacingVerticalS,
      zIndex: 10,
      padding: tokens.spacingHorizontalS,
      backgroundColor: tokens.colorNeutralBackground1,
    },
  },
});

function initialTheme(host: TeamsHost | undefined): HostTheme {
  if (host) return host.theme;
  const q = new URLSearchParams(location.search).get("theme");
  const saved = q ?? localStorage.getItem(THEME_KEY);
  return saved === "dark" || saved === "contrast" ? saved : "light";
}

/** What asking the server who is signed in came to: the person (null: signed out), a failed sign-in, or another error. */
type WhoAmI = { me: Me | null } | { signInError: { title: string; message: string } } | { error: string };

/** Asks the server who is signed in; never rejects: every failure is an outcome to show. */
async function whoAmI(auth: AuthProvider, api: Api): Promise<WhoAmI> {
  const cannotSignIn = (message: string, title = "You are not signed in"): WhoAmI => ({ signInError: { title, message } });
  let token: string | undefined;
  try {
    token = await auth.getToken();
  } catch (e) {
    return cannotSignIn(e instanceof Error ? e.message : String(e));
  }
  if (!token) return { me: null };
  try {
    return { me: await api.get<Me>("/api/me") };
  } catch (e) {
    if (auth.kind === "tenant" && e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      // 401 after one refresh: the server does not accept this sign-in; 403: not in the school's roster.
      return e.status === 403 ? cannotSignIn(e.message, "Not set up yet") : cannotSignIn(`The server did not accept your Teams sign-in: ${e.message}`);
    }
    if (e instanceof ApiError && e.status === 401) return { me: null };
    if (e instanceof Error && e.name === "SignInError") return cannotSignIn(e.message);
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** `auth` is for tests; otherwise the server's /api/auth/config decides (local personas or tenant sign-in). */
export function App({ host, auth }: { host?: TeamsHost | undefined; auth?: AuthProvider }) {
  const [theme, setTheme] = useState<HostTheme>(() => initialTheme(host));
  useEffect(() => host?.onThemeChange(setTheme), [host]);
  useEffect(() => {
    if (!host) localStorage.setItem(THEME_KEY, theme);
    document.documentElement.style.colorScheme = theme === "light" ? "light" : "dark";
  }, [theme, host]);
  return (
    <FluentProvider theme={themes[theme]} data-theme={theme}>
      <Shell host={host} theme={theme} setTheme={setTheme} givenAuth={auth} />
    </FluentProvider>
  );
}

function Shell({
  host,
  theme,
  setTheme,
  givenAuth,
}: {
  host: TeamsHost | undefined;
  theme: HostTheme;
  setTheme: (t: HostTheme) => void;
  givenAuth: AuthProvider | undefined;
}) {
  const styles = useStyles();
  const [auth, setAuth] = useState<AuthProvider | undefined>(givenAuth);
  const [me, setMe] = useState<Me | null | undefined>(undefined); // undefined: loading; null: signed out
  const [error, setError] = useState<string>();
  /** Tenant sign-in failed (the host could not give a token, or the server refused it). */
  const [signInError, setSignInError] = useState<{ title: string; message: string }>();
  const toasterId = useId("toaster");
  const themeId = useId("theme");
  const { dispatchToast } = useToastController(toasterId);
  // A 401 the API could not recover from signs the user out (setMe is stable, so no ref is needed).
  const api = useMemo(() => (auth ? createApi(auth, () => setMe(null)) : undefined), [auth]);
  const path = usePath();
  const route = matchRoute(path);
  const recordsRoute = matchRecordsRoute(path);
  const onDashboard = /^\/ab\/dashboard\/?$/.test(path.split("?")[0] ?? "");

  useEffect(() => {
    if (auth || route.name === "config") return;
    let cancelled = false;
    createAuth(!!host)
      .then((a) => !cancelled && setAuth(a))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [auth, host, route.name]);

  const showWhoAmI = useCallback((outcome: WhoAmI) => {
    if ("me" in outcome) setMe(outcome.me);
    else if ("signInError" in outcome) setSignInError(outcome.signInError);
    else setError(outcome.error);
  }, []);
  // Who is signed in, asked once auth is known.
  useEffect(() => {
    if (auth && api) void whoAmI(auth, api).then(showWhoAmI);
  }, [api, auth, showWhoAmI]);
  /** Ask again after a user action (Try again, a persona picked), clearing the last failure first. */
  const reloadMe = async () => {
    if (!auth || !api) return;
    setSignInError(undefined);
    setError(undefined);
    showWhoAmI(await whoAmI(auth, api));
  };

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

  const services: AppServices | null = useMemo(() => (me && api ? { api, me, theme, inTeams: !!host, notify } : null), [api, me, theme, host, notify]);

  const signOut = () => {
    auth?.signOut();
    setMe(null);
  };

  let body;
  if (route.name === "config")
    body = (
      <Suspense fallback={<Spinner label="Loading…" />}>
        <ConfigPage host={host} />
      </Suspense>
    );
  else if (error) body = <Text role="alert">Could not reach the server: {error}</Text>;
  else if (signInError)
    body = (
      <div data-testid="sign-in-error">
        <h1 style={{ fontSize: tokens.fontSizeBase500 }}>{signInError.title}</h1>
        <Text role="alert" block>
          {signInError.message}
        </Text>
        <Button style={{ marginTop: tokens.spacingVerticalM }} onClick={() => void reloadMe()}>
          Try again
        </Button>
      </div>
    );
  else if (me === undefined || !auth) body = <Spinner label="Loading…" />;
  else if (me === null)
    body =
      auth instanceof LocalPersonaAuth ? (
        <PersonaPicker
          onPick={async (personId) => {
            await auth.signInAs(personId);
            await reloadMe();
          }}
        />
      ) : (
        <Text role="alert">You are not signed in. Open this app in Microsoft Teams to sign in with your school account.</Text>
      );
  else
    body = (
      <Suspense fallback={<Spinner label="Loading…" />}>
        {route.name === "caseload" && <Caseload />}
        {route.name === "plan" && <PlanEditorView key={route.planId} planId={route.planId} />}
        {route.name === "history" && <HistoryView key={route.planId} planId={route.planId} />}
        {route.name === "retention" && <RetentionView />}
        {recordsRoute?.name === "ectRecords" && <EctRecordsView key={recordsRoute.ectId} ectId={recordsRoute.ectId} />}
        {recordsRoute?.name === "abReviews" && <AbReviewsView />}
        {recordsRoute?.name === "roster" && <RosterView />}
        {onDashboard && <AbDashboardView />}
        {route.name === "notFound" && !recordsRoute && !onDashboard && <Refusal title="Page not found">There is no page at this address.</Refusal>}
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
        {me && (me.person.roles.includes("induction_lead") || me.person.roles.includes("head") || me.person.roles.includes("ab_officer")) && (
          <nav aria-label="Sections" style={{ display: "flex", gap: tokens.spacingHorizontalM }}>
            {me.person.roles.includes("ab_officer") && <Link href="/ab/reviews">Progress reviews</Link>}
            <Link href="/ab/dashboard">Dashboard</Link>
            <Link href="/roster">Roster</Link>
            {me.person.roles.includes("induction_lead") && <Link href="/retention">Retention</Link>}
          </nav>
        )}
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
            {auth?.kind === "local" && (
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
