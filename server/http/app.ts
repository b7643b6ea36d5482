import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import type { ViteDevServer } from "vite";
import type { Language } from "../../i18n/languages";
import { sessionCookie, sessionFromCookieHeader } from "../auth/cookie";
import { answerInLanguage } from "./language";
import { enrolmentGate } from "./enrolment-gate";
import type { Database } from "../db/connection";
import type { Live } from "../live";
import { pseudonymiseAddress } from "../config";
import { failRequest, refuseRequest } from "./failure-answers";
import "./load-context";
import { requireSameOrigin } from "./same-origin";
import type { PublicPageCache } from "./public-page-cache";
import type { RenderLimit } from "./render-limit";
import { securityHeaders } from "./security-headers";

/** How the app finds its Remix build: a built bundle, or Vite in development. */
export type RemixSource = { build: ServerBuild; clientDir: string } | { vite: ViteDevServer };

/** Builds the Express application: headers, compression, static files, health, sessions, Remix. */
export function createApp(options: {
  database: Database;
  live: Live;
  remix: RemixSource;
  origins: () => readonly string[];
  secureCookies: boolean;
  sessionSecret: string;
  /** Stores the public answers to anonymous readers that it let through (it answers them before the app). */
  publicPageCache?: PublicPageCache;
  /** Bounds the public renders at once; before the session is read, so a refused request costs nothing more. */
  renderLimit?: RenderLimit;
}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  const development = "vite" in options.remix;
  app.use(securityHeaders({ development }));
  app.use(compression());

  app.get("/healthz", health(options.database));

  if ("vite" in options.remix) {
    app.use(options.remix.vite.middlewares);
  } else {
    const { clientDir } = options.remix;
    // Fingerprinted assets never change; everything else is revalidated.
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  }

  app.use(requireSameOrigin(options.origins));
  if (options.renderLimit) app.use(options.renderLimit.middleware);
  app.use(loadSession(options.secureCookies));
  app.use(answerInLanguage());
  // After the language: its refusals are in the reader's.
  app.use(enrolmentGate());
  // After compression, so that it sees the page as Remix writes it.
  if (options.publicPageCache) app.use(options.publicPageCache.capture);

  const getLoadContext = (req: express.Request, res: express.Response): AppLoadContext => ({
    live: options.live,
    nonce: String(res.locals.nonce),
    session: res.locals.session ?? null,
    origin: linkOrigin(req, options.origins()),
    secureCookies: options.secureCookies,
    clientAddress: pseudonymiseAddress(options.sessionSecret, req.ip ?? req.socket.remoteAddress ?? "unknown"),
    connectionClosed: connectionClosed(res),
    language: res.locals.language as Language,
    languageFromAddress: res.locals.languageFromAddress === true,
  });
  const remix = options.remix;
  app.all(
    "*",
    "vite" in remix
      ? async (req, res, next) => {
          try {
            const build = (await remix.vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
            return createRequestHandler({ build, getLoadContext })(req, res, next);
          } catch (error) {
            next(error);
          }
        }
      : createRequestHandler({ build: remix.build, getLoadContext }),
  );
  app.use(answerErrors);
  return app;
}

// The last word on an error Express caught. A client's own mistake that a middleware flagged
// (a path that does not decode, a malformed body: `status` 4xx) gets that status and no log
// entry, so that nobody can fill the log with them; anything else is unexpected: logged, 500.
const answerErrors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const status = clientErrorStatus(error);
  if (status === null) return failRequest(req, res, error);
  if (res.headersSent) return void res.destroy();
  refuseRequest(res, status);
};

function clientErrorStatus(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const status = "status" in error ? error.status : "statusCode" in error ? error.statusCode : undefined;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}

// Links we show point where the person is: the origin they used, when it is one of ours.
/** A signal aborted when `res`'s connection closes before `res` is finished (held by `res`'s own listener). */
function connectionClosed(res: express.Response): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function linkOrigin(req: express.Request, origins: readonly string[]): string {
  const used = `${req.protocol}://${req.headers.host ?? ""}`;
  return origins.includes(used) ? used : (origins[0] ?? used);
}

// Validates the session cookie once per request; a renewed session's cookie is sent again.
function loadSession(secureCookies: boolean): RequestHandler {
  return async (req, res, next) => {
    try {
      const session = await sessionFromCookieHeader(req.headers.cookie);
      res.locals.session = session;
      if (session?.renewed) {
        const token = req.headers.cookie ? /accord_session=([a-z2-7]{32})/.exec(req.headers.cookie)?.[1] : undefined;
        if (token) res.append("Set-Cookie", sessionCookie(token, session.expiresAt, secureCookies));
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

function health(database: Database): RequestHandler {
  return async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    try {
      await Promise.race([
        database.sql`SELECT 1`,
        new Promise((_resolve, reject) => setTimeout(() => reject(new Error("timeout")), 3000).unref()),
      ]);
      res.json({ status: "ok", database: database.kind });
    } catch {
      res.status(503).json({ status: "unavailable", database: database.kind });
    }
  };
}
