// A phone number or email as one reads it, linked (tel:, mailto:) when it is one; the text when it is not.
import type { ContactDisplay } from "./format.ts";

interface ContactLinkProps {
  contact: ContactDisplay;
  /** -1 inside the patient grid, which is one tab stop of its own. */
  tabIndex?: number;
}

export function ContactLink({ contact, tabIndex }: ContactLinkProps) {
  if (!contact.href) return <span className="contact-text">{contact.text}</span>;
  // A long email address breaks before its @ where it must, never inside a word.
  const at = contact.text.lastIndexOf("@");
  return (
    <a href={contact.href} className="contact-link" tabIndex={tabIndex}>
      {at > 0 ? (
        <>
          {contact.text.slice(0, at)}
          <wbr />
          {contact.text.slice(at)}
        </>
      ) : (
        contact.text
      )}
    </a>
  );
}
