// A button that opens a dialog, and takes the focus back once the dialog is gone (also after a save, when the
// dialog unmounts instead of closing: the page behind a modal dialog cannot take the focus while it is open).
import { useEffect, useRef, useState } from "react";

export function useDialogOpener() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return { open, button, show: () => setOpen(true), hide: () => setOpen(false) };
}
