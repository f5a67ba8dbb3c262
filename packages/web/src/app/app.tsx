import { useEffect } from "preact/hooks";
import { logout } from "../api/endpoints.ts";
import { SignInPage, SignUpPage } from "../pages/auth-pages.tsx";
import { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from "../pages/email-pages.tsx";
import { EventPage } from "../pages/event-page.tsx";
import { EventsPage } from "../pages/events-page.tsx";
import { OrdersPage } from "../pages/orders-page.tsx";
import { SecurityPage } from "../pages/security-page.tsx";
import { SessionPage } from "../pages/session-page.tsx";
import { TicketsPage } from "../pages/tickets-page.tsx";
import { canOrganize, useAuth } from "./auth-state.ts";
import { OrganizerPage } from "./lazy-page.tsx";
import { navigate, onLinkClick, useLocation } from "./router.ts";
import { type Route, matchRoute } from "./routes.ts";

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
      return <SignInPage />;
    case "signup":
      return <SignUpPage />;
    case "verifyEmail":
      return <VerifyEmailPage />;
    case "forgotPassword":
      return <ForgotPasswordPage />;
    case "resetPassword":
      return <ResetPasswordPage />;
    case "tickets":
      return <TicketsPage />;
    case "orders":
      return <OrdersPage />;
    case "organizer":
      return <OrganizerPage page={(m) => m.ConsolePage} props={{}} />;
    case "organizerNew":
      return <OrganizerPage page={(m) => m.NewSalePage} props={{}} />;
    case "organizerSession":
      return <OrganizerPage page={(m) => m.SessionAdminPage} props={{ id: route.id }} />;
    case "security":
      return <SecurityPage />;
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
    </>
  );
}
