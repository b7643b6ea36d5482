import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./child-server";

const PYTHON = "/usr/bin/python3";
const UNO_SCRIPT = fileURLToPath(new URL("./libreoffice-uno.py", import.meta.url));
/** A first start builds a fresh profile, which takes seconds on a small machine. */
const CONNECT_SECONDS = 60;
const INSPECTION_MS = 120_000;
const EXIT_MS = 10_000;

/** What LibreOffice makes of a Word file with tracked changes. */
export interface LibreOfficeInspection {
  /** The tracked changes LibreOffice lists: type "Insert", "Delete", "Format" or "ParagraphFormat". */
  revisions: { type: string; author: string; date: string }[];
  /** The body text with the changes shown (deleted text included), paragraphs joined with "\n", footnotes left out. */
  asIs: string;
  /** The body text once every change is accepted. */
  accepted: string;
  /** The body text once every change is rejected. */
  rejected: string;
  comments: { author: string; text: string }[];
}

let available: boolean | undefined;

/**
 * Whether this machine has LibreOffice (`soffice`), a Python that can import its UNO bridge, and the /proc
 * through which the harness sees LibreOffice gone.
 */
export function hasLibreOffice(): boolean {
  available ??=
    fs.existsSync("/proc/self/stat") &&
    spawnSync("sh", ["-c", "command -v soffice"], { stdio: "ignore" }).status === 0 &&
    spawnSync(PYTHON, ["-c", "import uno"], { stdio: "ignore", timeout: 10_000 }).status === 0;
  return available;
}

/**
 * Opens `file` in a LibreOffice of its own (own port, own profile, so inspections may run in parallel),
 * reads its tracked changes, comments and text as is, accepted and rejected, then stops LibreOffice and
 * waits until every one of its processes has exited.
 */
export async function inspectWithLibreOffice(file: Buffer): Promise<LibreOfficeInspection> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-libreoffice-"));
  let office: Office | null = null;
  try {
    const input = path.join(dir, "input.docx");
    fs.writeFileSync(input, file);
    const port = await freePort();
    office = startOffice(port, path.join(dir, "profile"));
    const output = await runScript([UNO_SCRIPT, String(port), input, String(CONNECT_SECONDS)], office);
    return parseInspection(output);
  } finally {
    if (office) await stopOffice(office);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Office {
  child: ChildProcess;
  output: () => string;
}

function startOffice(port: number, profile: string): Office {
  const child = spawn(
    "soffice",
    [
      "--headless",
      "--invisible",
      "--norestore",
      "--nologo",
      "--nodefault",
      "--nolockcheck",
      `--accept=socket,host=127.0.0.1,port=${port};urp;`,
      `-env:UserInstallation=${new URL(`file://${profile}`).href}`,
    ],
    // Its own process group, so stopping it reaches soffice.bin behind the oosplash launcher.
    { detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.once("error", (error) => (output += `could not start soffice: ${error.message}`));
  return { child, output: () => output };
}

function runScript(args: string[], office: Office): Promise<string> {
  return new Promise((resolve, reject) => {
    const script = spawn(PYTHON, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    script.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    script.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let stopped = "";
    const stop = (why: string) => () => {
      stopped ||= why;
      script.kill("SIGKILL");
    };
    const timeout = setTimeout(stop(`took over ${INSPECTION_MS / 1000} s`), INSPECTION_MS);
    const officeGone = stop("lost soffice, which stopped");
    office.child.once("exit", officeGone).once("error", officeGone);
    script.once("error", reject);
    script.once("close", (code) => {
      clearTimeout(timeout);
      office.child.off("exit", officeGone).off("error", officeGone);
      if (code === 0) return resolve(stdout);
      reject(new Error(`The LibreOffice inspection ${stopped || `exited with ${code}`}.\n${stderr}\nsoffice said: ${office.output()}`));
    });
  });
}

function parseInspection(output: string): LibreOfficeInspection {
  try {
    return JSON.parse(output) as LibreOfficeInspection;
  } catch {
    throw new Error(`The LibreOffice inspection printed no JSON: ${output.slice(0, 500)}`);
  }
}

/**
 * Kills the whole group at once (the profile and the copy are thrown away, so there is nothing to save; a
 * polite SIGTERM costs a second), then proves it: no process of the group is left running.
 */
async function stopOffice({ child }: Office): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  try {
    process.kill(-group, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
  const deadline = Date.now() + EXIT_MS;
  while (runningMembers(group).length > 0) {
    if (Date.now() > deadline) throw new Error(`soffice (process group ${group}) still runs: ${runningMembers(group).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The processes of a group that have not exited. A zombie has exited: soffice.bin, orphaned by the
 * launcher, waits for the machine's init to reap it, which may take a second or two.
 */
function runningMembers(group: number): number[] {
  const running: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (name) state ppid pgrp …": the name may hold spaces and parentheses, so read after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === group && state !== "Z" && state !== "X") running.push(Number(entry));
  }
  return running;
}

/**
 * `file` opened and saved again as .docx by a LibreOffice of its own (own profile), as someone who
 * edits Accord's Word files in LibreOffice sends them back: LibreOffice writes the same parts its own way.
 */
export async function resaveWithLibreOffice(file: Uint8Array): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-resave-"));
  try {
    const input = path.join(dir, "input.docx");
    const out = path.join(dir, "out");
    fs.writeFileSync(input, file);
    const profile = new URL(`file://${path.join(dir, "profile")}`).href;
    const run = spawnSync("soffice", ["--headless", "--norestore", `-env:UserInstallation=${profile}`, "--convert-to", "docx:MS Word 2007 XML", "--outdir", out, input], {
      timeout: INSPECTION_MS,
      encoding: "utf8",
    });
    const saved = path.join(out, "input.docx");
    if (run.status !== 0 || !fs.existsSync(saved)) throw new Error(`LibreOffice did not save the file again: ${run.stderr || run.stdout || run.error?.message}`);
    return fs.readFileSync(saved);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
