// The public-page comparison's baseline: a static file server (node:http and fs) answering every
// GET with one HTML file read from disk. `node --import tsx bench/static-server.ts FILE`, with HOST and PORT.
import fs from "node:fs";
import http from "node:http";

const file = process.argv[2];
if (!file) throw new Error("Usage: static-server.ts FILE");
const port = Number(process.env.PORT);
const host = process.env.HOST ?? "127.0.0.1";

const server = http.createServer((request, response) => {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405).end();
    return;
  }
  fs.stat(file, (error, stats) => {
    if (error) {
      response.writeHead(500).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": stats.size });
    if (request.method === "HEAD") return response.end();
    fs.createReadStream(file).pipe(response);
  });
});
server.listen(port, host, () => console.log(`static file server is serving http://${host}:${port}`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
