import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

type Organizer = typeof import("../organizer/index.ts");
let organizer: Promise<Organizer> | undefined;
/** One dynamic import, so Vite splits the console into its own chunk. */
const loadOrganizer = () => (organizer ??= import("../organizer/index.ts"));

/** Renders one of the organizer console's pages once its chunk is loaded. */
export function OrganizerPage<P extends object>(props: { page: (m: Organizer) => ComponentType<P>; props: P }) {
  const [module, setModule] = useState<Organizer | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    loadOrganizer().then(setModule, () => {
      organizer = undefined;
      setFailed(true);
    });
  }, []);
  if (failed) return <p class="notice error">The organizer console could not be loaded: check your connection and reload the page.</p>;
  if (!module) return <p class="loading">Loading…</p>;
  const Page = props.page(module);
  return <Page {...props.props} />;
}
