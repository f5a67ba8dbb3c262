import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import { embedBootData, embedDevOutbox } from "@rush/web/server";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { problems } from "../problems.ts";
import type { PageData } from "../sessions/seat-map-page.ts";

/** Paths that are the API's, never the browser app's. */
const NOT_THE_APP = /^\/(v1|socket\.io|health|metrics|docs|dev)(\/|$)/;

const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? "").includes("text/html");

/**
 * Serves the browser app (`packages/web`'s `vite build`) at `/`: hashed assets cached for a
 * year, and every other GET that asks for HTML answered with `index.html`, so client-side
 * routes such as `/sessions/<id>` load the app. Without a build the gate serves only the API.
 * `pageData` may give a page its first data and preloads, carried in its HTML (never cached).
 * `devOutbox` (development only) names the mail outbox page in every page, so the app links to it.
 */
export async function webApp(
  app: FastifyInstance,
  options: {
    root: string;
    assetsPrefix: string;
    index: string;
    pageData?: (request: FastifyRequest) => Promise<PageData | null>;
    devOutbox?: string;
  },
): Promise<boolean> {
  if (!existsSync(join(options.root, options.index))) {
    app.log.warn({ root: options.root }, "no web build found (pnpm --filter @rush/web build): serving the API only");
    return false;
  }
  await app.register(fastifyStatic, {
    root: options.root,
    wildcard: false,
    index: false,
    // Ours, below: the plugin's default (max-age=0 on everything) would override them.
    cacheControl: false,
    setHeaders: (res, path) => {
      const immutable = path.includes(`${options.assetsPrefix.replaceAll("/", "")}/`);
      res.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  const indexHtml = async () => {
    const html = await readFile(join(options.root, options.index), "utf8");
    return options.devOutbox ? embedDevOutbox(html, options.devOutbox) : html;
  };
  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    if (NOT_THE_APP.test(request.url) || !wantsHtml(request)) throw problems.notFound(`no route GET ${request.url.split("?")[0]}`);
    const page = await options.pageData?.(request);
    reply.header("cache-control", "no-cache");
    if (!page && !options.devOutbox) return reply.sendFile(options.index);
    // Read per page, not kept: a rebuilt app (new hashed asset names) is served at once.
    const html = await indexHtml();
    return reply.type("text/html; charset=utf-8").send(page ? embedBootData(html, page.data, page.preloads) : html);
  });
  app.get("/", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("cache-control", "no-cache");
    return options.devOutbox ? reply.type("text/html; charset=utf-8").send(await indexHtml()) : reply.sendFile(options.index);
  });
  return true;
}
