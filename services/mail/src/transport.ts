import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { qrPng } from "./qr-png.ts";
import type { MailMessage } from "./templates/index.ts";

/** What a sent message is known by: the SMTP server's answer, or the outbox file's id. */
export interface Sent {
  messageId: string;
}

/** Where rendered messages go: an SMTP server, or (development) the outbox folder. */
export interface MailTransport {
  readonly kind: "smtp" | "outbox";
  send(message: MailMessage, meta: { key: string; template: string }): Promise<Sent>;
  close(): void;
}

/** The outbox's record of one message, beside its `.eml` (what `/dev/outbox` lists). */
export interface OutboxEntry {
  id: string;
  key: string;
  template: string;
  from: string;
  to: string;
  subject: string;
  at: string;
  text: string;
  html: string;
  /** The inline images by cid, as data: URLs, so the page shows the HTML as a mail client would. */
  images: Record<string, string>;
}

function mailOptions(from: string, message: MailMessage) {
  const attachments = message.images.map((image) => ({ filename: `${image.cid.split("@")[0]}.png`, content: qrPng(image.payload), cid: image.cid, contentType: "image/png" }));
  return { from, to: message.to, subject: message.subject, text: message.text, html: message.html, attachments };
}

/** SMTP through nodemailer's pool: one connection reused for many messages, timeouts so a stuck server fails the send. */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ url, pool: true, maxConnections: 4, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    kind: "smtp",
    async send(message) {
      const info = await transporter.sendMail(mailOptions(from, message));
      return { messageId: String(info.messageId) };
    },
    close: () => transporter.close(),
  };
}

const safeName = (text: string) => text.replace(/[^a-zA-Z0-9_-]+/g, "_").slice(0, 80);

/**
 * Development: every message is built exactly as SMTP would carry it (nodemailer's stream
 * transport), then kept as `<id>.eml` with a `<id>.json` for the outbox page. No server needed.
 * The JSON is written last, through a rename, so the page never lists a half-written message.
 */
export function outboxTransport(dir: string, from: string, clock: () => number = Date.now): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "outbox",
    async send(message, meta) {
      const at = clock();
      const id = `${new Date(at).toISOString().replace(/[:.]/g, "-")}_${safeName(meta.key)}`;
      const options = mailOptions(from, message);
      const info = await builder.sendMail(options);
      const entry: OutboxEntry = {
        id,
        key: meta.key,
        template: meta.template,
        from,
        to: message.to,
        subject: message.subject,
        at: new Date(at).toISOString(),
        text: message.text,
        html: message.html,
        images: Object.fromEntries(options.attachments.map((a) => [a.cid, `data:image/png;base64,${a.content.toString("base64")}`])),
      };
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${id}.eml`), info.message as Buffer);
      await writeFile(join(dir, `${id}.json.tmp`), JSON.stringify(entry));
      await rename(join(dir, `${id}.json.tmp`), join(dir, `${id}.json`));
      return { messageId: id };
    },
    close: () => builder.close(),
  };
}
