import type { ComponentChildren } from "preact";
import { canOrganize, useAuth } from "../app/auth-state.ts";
import { onLinkClick } from "../app/router.ts";

/** Organizer pages show their content only to organizers (and admins); everyone else is told why. */
export function OrganizerOnly(props: { next: string; children: ComponentChildren }) {
  const auth = useAuth();
  if (auth.loading) return <p class="loading">Loading…</p>;
  if (!auth.user) {
    return (
      <p>
        <a href={`/signin?next=${encodeURIComponent(props.next)}`} onClick={onLinkClick}>
          Sign in
        </a>{" "}
        as an organizer to manage events.
      </p>
    );
  }
  if (!canOrganize(auth.user)) return <p class="notice info">Managing events needs the organizer role: ask an admin to grant it to {auth.user.email}.</p>;
  return <>{props.children}</>;
}
