import { type SafeHtml, html } from "./html.ts";

/**
 * The frame every HTML e-mail shares: inline styles only (mail clients drop <style> and
 * external sheets), one column, readable without images.
 */
export const layout = (title: string, body: SafeHtml): string =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f6;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c1c28">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p style="margin:0 0 16px;font-weight:700;font-size:18px;color:#5b3df5">Rush</p>
${body}
<p style="margin:24px 0 0;font-size:12px;color:#6b6b7b">You get this e-mail because of your Rush account.</p>
</div></body></html>
`.value;

/** A call-to-action link as a button. */
export const button = (href: string, label: string): SafeHtml =>
  html`<p style="margin:24px 0"><a href="${href}" style="background:#5b3df5;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${label}</a></p>`;
