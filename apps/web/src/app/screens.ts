// Which screen the address shows: the patient list (the default) or a clinic's recall list (`?view=recall`).
// The app has no router: the screen is one more parameter of the URL, like everything else it shows.
import { navigate, useLocationSearch } from "./location.ts";

export const SCREENS = ["patients", "recall"] as const;
export type Screen = (typeof SCREENS)[number];

export function screenOf(query: string): Screen {
  return new URLSearchParams(query).get("view") === "recall" ? "recall" : "patients";
}

export function useScreen(): Screen {
  return screenOf(useLocationSearch());
}

/** The address of a screen, keeping the clinic chosen on the other one. */
export function screenHref(screen: Screen): string {
  const params = new URLSearchParams();
  if (screen !== "patients") params.set("view", screen);
  const clinic = new URLSearchParams(window.location.search).get("clinic");
  if (clinic) params.set("clinic", clinic);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

export function showScreen(screen: Screen): void {
  navigate(new URLSearchParams(screenHref(screen).slice(2)));
}
