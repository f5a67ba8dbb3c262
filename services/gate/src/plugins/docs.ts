import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/**
 * OpenAPI 3 at `/docs` (UI) and `/docs/json`, generated from the routes' zod schemas. Must be
 * registered before the routes: it collects them as they are added.
 */
export const docs = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: "3.1.0",
        info: {
          title: "Rush public API",
          version: "1.0.0",
          description:
            "Buying endpoints served by the gate; identity and catalog routes are forwarded to the catalog service. Errors are RFC 9457 problem+json.",
        },
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
        tags: [
          { name: "buying", description: "Waiting room, seat map, holds and commands" },
          { name: "waitlist", description: "Waiting lists of sold-out sessions: join, position, offer, leave" },
          { name: "catalog (proxied)", description: "Forwarded unchanged to the catalog service" },
        ],
      },
      // A forwarded route has no schema of its own (the service it goes to validates): what it
      // takes and answers comes from its `config.docs`, for this document only.
      transform: (input) => {
        const docs = input.route.config?.docs;
        return jsonSchemaTransform(docs ? { ...input, schema: { ...input.schema, ...docs } } : input);
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  },
  { name: "rush-docs" },
);
