import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

/** A tiny router on the history API: every view has a URL, deep links work, back works. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== "undefined") window.addEventListener("popstate", notify);

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  notify();
  window.scrollTo?.(0, 0);
}

export function usePath(): string {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => location.pathname + location.search,
    () => "/",
  );
}

export type Route =
  | { name: "caseload" }
  | { name: "config" }
  | { name: "plan"; planId: string }
  | { name: "history"; planId: string }
  | { name: "retention" }
  | { name: "notFound" };

export function matchRoute(path: string): Route {
  const pathname = path.split("?")[0] ?? "/";
  if (pathname === "/" || pathname === "") return { name: "caseload" };
  if (pathname === "/config" || pathname === "/config/") return { name: "config" };
  // Issue 16, item 9: the induction lead's records due for deletion.
  if (pathname === "/retention" || pathname === "/retention/") return { name: "retention" };
  const history = /^\/plans\/([^/]+)\/history\/?$/.exec(pathname);
  if (history?.[1]) return { name: "history", planId: decodeURIComponent(history[1]) };
  const plan = /^\/plans\/([^/]+)\/?$/.exec(pathname);
  if (plan?.[1]) return { name: "plan", planId: decodeURIComponent(plan[1]) };
  return { name: "notFound" };
}

/** An ordinary link that navigates in-app (and still opens in a new tab with a modifier key). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
