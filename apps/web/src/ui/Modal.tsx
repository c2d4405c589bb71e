// A modal dialog on the native <dialog>: the browser traps focus, restores it on close and closes on Escape.
import { type ReactNode, useEffect, useRef } from "react";

interface ModalProps {
  labelledBy: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
}

export function Modal({ labelledBy, onClose, children, className }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  // No close() on unmount: removing the element ends the modal state, and a close() there would fire `close`
  // (and so onClose) for a dialog that React is only re-mounting.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={className ? `modal ${className}` : "modal"}
      aria-labelledby={labelledBy}
      onClose={onClose}
    >
      {children}
    </dialog>
  );
}
