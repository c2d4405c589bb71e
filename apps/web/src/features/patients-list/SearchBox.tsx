// The search box: every key goes to the URL at once, and the list asks as the staff type (the stale request is
// cancelled, see app/Providers.tsx). It has the focus when the list opens, `/` anywhere focuses it, ArrowDown
// goes on to the results and Escape clears it.
import { useEffect, useRef, useState } from "react";

interface SearchBoxProps {
  /** The search as committed to the URL. */
  search: string;
  onSearch(search: string): void;
  /** ArrowDown: into the results. */
  onEnterResults(): void;
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

export function SearchBox({ search, onSearch, onEnterResults }: SearchBoxProps) {
  const [text, setText] = useState(search);
  const committed = useRef(search);
  const input = useRef<HTMLInputElement>(null);

  // Back/forward or a link changed the search: show it.
  useEffect(() => {
    if (search === committed.current) return;
    committed.current = search;
    setText(search);
  }, [search]);

  const commit = (value: string) => {
    const next = value.trim();
    if (next === committed.current) return;
    committed.current = next;
    onSearch(next);
  };
  // Staff open the list to find someone: start there, unless something already took the focus.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) input.current?.focus();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <search className="search-box">
      <label htmlFor="patient-search" className="visually-hidden">
        Search patients
      </label>
      <svg className="search-icon" viewBox="0 0 20 20" aria-hidden="true">
        <path d="M8.5 3a5.5 5.5 0 1 0 3.4 9.8l3.6 3.7 1.1-1.1-3.7-3.6A5.5 5.5 0 0 0 8.5 3Zm0 1.5a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z" />
      </svg>
      <input
        ref={input}
        id="patient-search"
        type="search"
        placeholder="Search by name, email or phone"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        aria-keyshortcuts="/"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          commit(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && !event.altKey) {
            event.preventDefault();
            onEnterResults();
          }
          if (event.key === "Escape" && text) {
            event.preventDefault();
            event.stopPropagation();
            setText("");
            commit("");
          }
        }}
      />
      <span className="shortcut-hint" aria-hidden="true">
        /
      </span>
    </search>
  );
}
