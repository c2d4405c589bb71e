// Text for screen readers only (a live region's announcement, a label the layout shows another way).
import type { ReactNode } from "react";

export function VisuallyHidden({ children, live }: { children: ReactNode; live?: "polite" }) {
  return (
    <span className="visually-hidden" aria-live={live}>
      {children}
    </span>
  );
}
