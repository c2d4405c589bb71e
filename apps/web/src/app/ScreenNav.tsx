// The screens in the header: the patient list and the recall list. Plain links (open in a new tab works), moved
// between in place.
import type { MouseEvent } from "react";
import { type Screen, screenHref, showScreen, useScreen } from "./screens.ts";
import "./screen-nav.css";

const LABELS: Record<Screen, string> = { patients: "Patients", recall: "Recall" };

export function ScreenNav() {
  const current = useScreen();
  const follow = (screen: Screen) => (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    showScreen(screen);
  };
  return (
    <nav className="screen-nav" aria-label="Screens">
      {(Object.keys(LABELS) as Screen[]).map((screen) => (
        <a
          key={screen}
          href={screenHref(screen)}
          aria-current={screen === current ? "page" : undefined}
          onClick={follow(screen)}
        >
          {LABELS[screen]}
        </a>
      ))}
    </nav>
  );
}
