// The phone number formatter for components. libphonenumber-js and its metadata would add about a fifth to the
// first bundle, so they load as a chunk of their own, asked for as soon as the app starts (beside the session
// check and the first page of patients); until it arrives a number reads as typed, then every view re-renders.
import { useSyncExternalStore } from "react";
import type { ContactDisplay } from "./format.ts";

export type FormatPhone = (phone: string, clinicPhone: string | undefined) => ContactDisplay;

const asTyped: FormatPhone = (phone) => ({ text: phone, href: null });
let formatPhone: FormatPhone = asTyped;
const listeners = new Set<() => void>();

import("./phone-numbers.ts").then(
  (numbers) => {
    formatPhone = numbers.formatPhone;
    for (const listener of listeners) listener();
  },
  // Without the chunk (a deploy replaced it, the network dropped) numbers read as typed until the next load.
  () => {},
);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePhoneFormat(): FormatPhone {
  return useSyncExternalStore(subscribe, () => formatPhone);
}
