// Build the backend-lsp wheel from this repository into server/ (offline, no build isolation),
// so the .vsix carries the server and the "Install" button needs no source checkout.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const extension = resolve(here, "..");
const repo = resolve(extension, "..", "..");
const out = join(extension, "server");
const python = process.env.PYTHON ?? (process.platform === "win32" ? "python" : "python3");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(
  python,
  ["-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "-w", out, repo],
  { stdio: "inherit" },
);
const wheels = readdirSync(out).filter((name) => name.endsWith(".whl"));
if (wheels.length !== 1) throw new Error(`expected one wheel in ${out}, found ${wheels.length}`);
console.log(`wheel: ${wheels[0]}`);
