import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { HttpProblem, sendHttpProblem } from "@rush/service";
import type { FastifyPluginAsync } from "fastify";
import { html } from "./templates/html.ts";
import type { OutboxEntry } from "./transport.ts";

/** The newest messages the page lists; older ones stay on disk. */
const LIST_LIMIT = 200;
const ID = /^[A-Za-z0-9_-]{1,160}$/;

/** What the list shows of a message (not its bodies). */
export type OutboxSummary = Pick<OutboxEntry, "id" | "template" | "to" | "subject" | "at">;

async function readEntries(dir: string): Promise<OutboxSummary[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  // File names start with the ISO time: a reverse sort is newest first without opening them.
  const newest = names.filter((n) => n.endsWith(".json")).sort().reverse().slice(0, LIST_LIMIT);
  const entries = await Promise.all(newest.map(async (name) => JSON.parse(await readFile(join(dir, name), "utf8")) as OutboxEntry));
  return entries.map(({ id, template, to, subject, at }) => ({ id, template, to, subject, at }));
}

const notFound = (id: string) => new HttpProblem(404, "not_found", "Not Found", `no message ${id} in the outbox`);

/**
 * Development only (registered when there is no SMTP server): `/dev/outbox` lists what the
 * mail worker "sent", `/dev/outbox/:id` shows one message's HTML as a mail client would (inline
 * QR images included), `/dev/outbox/:id/eml` the raw message, `/dev/outbox.json` the list.
 */
export const outboxRoutes: FastifyPluginAsync<{ dir: string }> = async (app, { dir }) => {
  app.get("/dev/outbox.json", async () => ({ items: await readEntries(dir) }));

  app.get("/dev/outbox", async (_request, reply) => {
    const items = await readEntries(dir);
    const rows = items.map(
      (m) => html`<tr><td>${m.at}</td><td>${m.template}</td><td>${m.to}</td><td><a href="/dev/outbox/${m.id}">${m.subject}</a></td><td><a href="/dev/outbox/${m.id}/eml">.eml</a></td></tr>`,
    );
    const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outbox</title></head>
<body style="font-family:system-ui,sans-serif;margin:24px">
<h1>Outbox</h1>
<p>Every e-mail the mail worker sent in development (newest first, at most ${LIST_LIMIT}), kept in <code>${dir}</code>.</p>
${items.length === 0 ? html`<p>No messages yet.</p>` : html`<table cellpadding="6" style="border-collapse:collapse"><thead><tr><th>sent</th><th>template</th><th>to</th><th>subject</th><th></th></tr></thead><tbody>${rows}</tbody></table>`}
</body></html>`;
    return reply.type("text/html; charset=utf-8").header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'").send(page.value);
  });

  const entryOf = async (id: string): Promise<OutboxEntry | undefined> => {
    if (!ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(join(dir, `${id}.json`), "utf8")) as OutboxEntry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  };

  app.get<{ Params: { id: string } }>("/dev/outbox/:id", async (request, reply) => {
    const entry = await entryOf(request.params.id);
    if (!entry) return sendHttpProblem(reply, notFound(request.params.id));
    // The images a mail client would take from the attachments, inlined as data: URLs.
    const body = entry.html.replace(/src="cid:([^"]+)"/g, (whole, cid: string) => (entry.images[cid] ? `src="${entry.images[cid]}"` : whole));
    // The message's own HTML, with nothing it could run or fetch.
    return reply
      .type("text/html; charset=utf-8")
      .header("content-security-policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
      .send(body);
  });

  app.get<{ Params: { id: string } }>("/dev/outbox/:id/eml", async (request, reply) => {
    const entry = await entryOf(request.params.id);
    if (!entry) return sendHttpProblem(reply, notFound(request.params.id));
    return reply.type("message/rfc822").send(await readFile(join(dir, `${entry.id}.eml`)));
  });
};
