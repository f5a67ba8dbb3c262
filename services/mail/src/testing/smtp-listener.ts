import { SMTPServer } from "smtp-server";

/** One message the listener accepted: envelope and the raw RFC 5322 text. */
export interface Received {
  to: string[];
  raw: string;
  /** `raw` with quoted-printable soft line breaks and `=3D` undone: what to search for links and QR payloads. */
  body: string;
}

export interface SmtpListener {
  url: string;
  received: Received[];
  /** Messages refused so far (answered 451 after DATA). */
  refused: number;
  /** Refuse the next `n` messages with a temporary failure. */
  failNext(n: number): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (smtp-server, the protocol peer nodemailer talks to in
 * production), plain text, no auth: it records what it accepts and can refuse on demand.
 */
export async function startSmtpListener(): Promise<SmtpListener> {
  let failing = 0;
  const state = { received: [] as Received[], refused: 0 };
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (failing > 0) {
          failing--;
          state.refused++;
          return callback(Object.assign(new Error("try again later"), { responseCode: 451 }));
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        state.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, body: raw.replace(/=\r?\n/g, "").replaceAll("=3D", "=") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get refused() {
      return state.refused;
    },
    failNext: (n) => {
      failing = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
