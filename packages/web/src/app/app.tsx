import { useEffect } from "preact/hooks";
import { logout } from "../api/endpoints.ts";
import { EventPage } from "../pages/event-page.tsx";
import { EventsPage } from "../pages/events-page.tsx";
import { SessionPage } from "../pages/session-page.tsx";
import { canOrganize, useAuth } from "./auth-state.ts";
import { DevFooter } from "./dev-footer.tsx";
import { LazyPage, lazyModule } from "./lazy-page.tsx";
import { navigate, onLinkClick, useLocation } from "./router.ts";
import { type Route, matchRoute } from "./routes.ts";

// Chunks of their own: the bundle every page needs holds only the events, an event and the seat
// map (issue 14: the map's cold start is mostly the script's compile on a slow phone).
const account = lazyModule(() => import("../pages/account-pages.ts"));
const orders = lazyModule(() => import("../pages/orders-page.tsx"));
const tickets = lazyModule(() => import("../pages/tickets-page.tsx"));
const organizer = lazyModule(() => import("../organizer/index.ts"));

const TITLES: Record<Route["name"], string> = {
  events: "Events",
  event: "Event",
  session: "Choose seats",
  signin: "Sign in",
  signup: "Create an account",
  verifyEmail: "Confirm your e-mail",
  forgotPassword: "Forgot password",
  resetPassword: "New password",
  tickets: "My tickets",
  orders: "My orders",
  organizer: "My events",
  organizerNew: "Create a sale",
  organizerSession: "Manage a date",
  security: "Sign-in security",
  notFound: "Not found",
};

function Page(props: { route: Route }) {
  const { route } = props;
  switch (route.name) {
    case "events":
      return <EventsPage />;
    case "event":
      return <EventPage id={route.id} />;
    case "session":
      return <SessionPage id={route.id} />;
    case "signin":
      return <LazyPage module={account} page={(m) => m.SignInPage} props={{}} />;
    case "signup":
      return <LazyPage module={account} page={(m) => m.SignUpPage} props={{}} />;
    case "verifyEmail":
      return <LazyPage module={account} page={(m) => m.VerifyEmailPage} props={{}} />;
    case "forgotPassword":
      return <LazyPage module={account} page={(m) => m.ForgotPasswordPage} props={{}} />;
    case "resetPassword":
      return <LazyPage module={account} page={(m) => m.ResetPasswordPage} props={{}} />;
    case "tickets":
      return <LazyPage module={tickets} page={(m) => m.TicketsPage} props={{}} />;
    case "orders":
      return <LazyPage module={orders} page={(m) => m.OrdersPage} props={{}} />;
    case "organizer":
      return <LazyPage module={organizer} page={(m) => m.ConsolePage} props={{}} />;
    case "organizerNew":
      return <LazyPage module={organizer} page={(m) => m.NewSalePage} props={{}} />;
    case "organizerSession":
      return <LazyPage module={organizer} page={(m) => m.SessionAdminPage} props={{ id: route.id }} />;
    case "security":
      return <LazyPage module={account} page={(m) => m.SecurityPage} props={{}} />;
    case "notFound":
      return (
        <div>
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>.{" "}
            <a href="/" onClick={onLinkClick}>
              See all events
            </a>
            .
          </p>
        </div>
      );
    default: {
      const unreachable: never = route;
      throw new Error(`unknown route ${String(unreachable)}`);
    }
  }
}

/** The shell: header navigation, then the page the URL names. */
export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  const auth = useAuth();
  useEffect(() => {
    document.title = `${TITLES[route.name]} · Rush`;
    // Move focus to the new page's content, as a full page load would for screen readers.
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [pathname]);

  const link = (href: string, label: string, current: boolean) => (
    <a href={href} onClick={onLinkClick} aria-current={current ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/" onClick={onLinkClick}>
          Rush
        </a>
        <nav aria-label="Main">
          {link("/", "Events", route.name === "events" || route.name === "event")}
          {auth.tokens && link("/orders", "Orders", route.name === "orders")}
          {auth.tokens && link("/tickets", "Tickets", route.name === "tickets")}
          {canOrganize(auth.user) && link("/organizer", "Organizer", route.name.startsWith("organizer"))}
        </nav>
        <div class="account">
          {auth.tokens ? (
            <>
              <a class="muted" href="/account/security" onClick={onLinkClick} data-testid="signed-in-as" title="Sign-in security">
                {auth.user?.displayName ?? ""}
              </a>
              <button
                type="button"
                class="link-button"
                onClick={async () => {
                  await logout().catch(() => {});
                  navigate("/");
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            route.name !== "signin" && (
              <a href={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} onClick={onLinkClick}>
                Sign in
              </a>
            )
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <DevFooter />
    </>
  );
}
