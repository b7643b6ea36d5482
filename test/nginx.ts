import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { acceptsConnections } from "./child-server";
import os from "node:os";
import path from "node:path";

/** nginx running deploy/nginx.conf in front of some instances, in a folder of its own. */
export interface TestNginx {
  url: string;
  stop(): Promise<void>;
}

/** The nginx binary, or null when this machine has none. */
export function nginxBinary(): string | null {
  for (const candidate of ["/usr/sbin/nginx", "/usr/bin/nginx"]) if (fs.existsSync(candidate)) return candidate;
  const found = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

/**
 * Runs the repository's deploy/nginx.conf as it is, but for the addresses: it listens on `port` and
 * spreads over `backendPorts` on 127.0.0.1, in the foreground, with its files in a temporary folder.
 */
export async function startNginx(port: number, backendPorts: number[]): Promise<TestNginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error("nginx is not installed");
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "accord-nginx-"));
  const site = fs
    .readFileSync(new URL("../deploy/nginx.conf", import.meta.url), "utf8")
    .replace(/^\s*server 127\.0\.0\.1:\d+.*$/gm, "")
    .replace(/upstream accord \{/, `upstream accord {\n${backendPorts.map((backend) => `    server 127.0.0.1:${backend} max_fails=1 fail_timeout=5s;`).join("\n")}`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
  fs.writeFileSync(
    path.join(prefix, "nginx.conf"),
    `daemon off;\nmaster_process on;\nworker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/error.log warn;\n` +
      `events {}\nhttp {\n  access_log off;\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;\n` +
      `  fastcgi_temp_path ${prefix}/fastcgi;\n  uwsgi_temp_path ${prefix}/uwsgi;\n  scgi_temp_path ${prefix}/scgi;\n${site}\n}\n`,
  );
  const child: ChildProcess = spawn(binary, ["-p", prefix, "-c", path.join(prefix, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await acceptsConnections(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

