import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A module in a chunk of its own, fetched once on first need (and again after a failure). */
export interface LazyModule<M> {
  load(): Promise<M>;
  /** The module if it has already arrived: rendering needs no "Loading…" frame then. */
  loaded(): M | undefined;
}

/** Wraps a dynamic `import()`, which is what makes Vite split the module into its own chunk. */
export function lazyModule<M>(importer: () => Promise<M>): LazyModule<M> {
  let pending: Promise<M> | undefined;
  let module: M | undefined;
  return {
    load: () =>
      (pending ??= importer().then(
        (m) => (module = m),
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      )),
    loaded: () => module,
  };
}

/**
 * Renders a component of a lazily loaded module once its chunk is there. The seat map's route
 * carries only what its first frame needs; the waiting room, the account pages, orders, tickets
 * and the organizer console come when they are opened (issue 14: time to interactive).
 */
export function LazyPage<M, P extends object>(props: { module: LazyModule<M>; page: (m: M) => ComponentType<P>; props: P }) {
  // Read from the module on every render, not kept in state: one LazyPage instance may be
  // reused for another route's module, and must never render the old one's page.
  const module = props.module.loaded();
  const [, arrived] = useState(0);
  const [failed, setFailed] = useState<LazyModule<M> | null>(null);
  useEffect(() => {
    if (module) return;
    props.module.load().then(
      () => arrived((n) => n + 1),
      () => setFailed(props.module),
    );
  }, [props.module]);
  if (failed === props.module) return <p class="notice error">This page could not be loaded: check your connection and reload the page.</p>;
  if (!module) return <p class="loading">Loading…</p>;
  const Page = props.page(module);
  return <Page {...props.props} />;
}
