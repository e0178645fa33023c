import { useContext, type ReactNode } from "react";
import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { AppContext } from "../AppContext";
import { Link } from "../lib/router";
import type { Me } from "../lib/types";

const useStyles = makeStyles({
  crumbs: { marginBottom: tokens.spacingVerticalS, overflowWrap: "anywhere" },
  refusal: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, alignItems: "flex-start" },
  h1: { margin: 0, fontSize: tokens.fontSizeBase600 },
  region: { overflowX: "auto", maxWidth: "100%" },
});

/**
 * What the landing view is to this person: an ECT has no caseload, their landing view lists
 * their own plans (its heading says so: "My support plans").
 */
export function landingName(me: Me | undefined): string {
  return me && me.person.roles.every((r) => r === "ect") ? "My support plans" : "Caseload";
}

/** The landing view's name for whoever is signed in (outside the app's services: "Caseload"). */
function useLandingName(): string {
  return landingName(useContext(AppContext)?.me);
}

/** "Caseload › Erin Walsh › History": the way back, starting at the signed-in person's landing view. */
export function Breadcrumb({ trail = [], current }: { trail?: { href: string; label: string }[]; current: string }) {
  const styles = useStyles();
  const home = useLandingName();
  return (
    <nav aria-label="Breadcrumb" className={styles.crumbs}>
      <Link href="/">{home}</Link>
      {trail.map((t) => (
        <span key={t.href}>
          {" › "}
          <Link href={t.href}>{t.label}</Link>
        </span>
      ))}{" "}
      › <span aria-current="page">{current}</span>
    </nav>
  );
}

/**
 * A page the tab cannot show (not allowed, not found, the server failed): it says so under a
 * heading, and offers the way back to the landing view.
 */
export function Refusal({ title, children }: { title: string; children?: ReactNode }) {
  const styles = useStyles();
  const home = useLandingName();
  return (
    <section aria-labelledby="refusal-title" className={styles.refusal} data-testid="refusal">
      <h1 id="refusal-title" className={styles.h1}>
        {title}
      </h1>
      {children && (
        <Text role="alert" block>
          {children}
        </Text>
      )}
      <Link href="/">Back to {home === "Caseload" ? "the caseload" : "my support plans"}</Link>
    </section>
  );
}

/** The heading of a refusal from the server's status: 403 (not yours to see), 404 (no such thing), else a failure. */
export function refusalTitle(status: number | undefined, what: string): string {
  if (status === 403) return `You cannot open this ${what}`;
  if (status === 404) return `This ${what} was not found`;
  return `Could not open this ${what}`;
}

/**
 * A wide table in a narrow panel: it scrolls sideways inside this labelled region, never the
 * page. Focusable, so a keyboard user can scroll it too (axe: scrollable-region-focusable).
 */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <div role="region" aria-label={label} tabIndex={0} className={className ? `${styles.region} ${className}` : styles.region}>
      {children}
    </div>
  );
}
