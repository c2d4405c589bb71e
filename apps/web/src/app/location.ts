// The browser's address as React state: the view lives in the URL so that reload, back/forward and a
// shared link all restore it. A tiny store over history; the app has one screen and needs no router.
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

const currentSearch = () => window.location.search;

/** The query string of the current address ("?status=active&q=smith"), re-rendering on every change. */
export function useLocationSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}

export interface NavigateOptions {
  /** Replace the current history entry (typing in the search box) instead of adding one (a tab, a sort). */
  replace?: boolean;
}

export function navigate(params: URLSearchParams, { replace = false }: NavigateOptions = {}): void {
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  for (const listener of listeners) listener();
}
