// Build the backend-lsp wheel from this repository into server/,
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
// pyproject.toml needs setuptools >= 77. A Python that has it builds offline (no isolation,
// as CI's .venv does); any other (a system python3 with an older setuptools) gets pip's
// isolated build, which fetches the build requirements from the package index.
const modern = (() => {
  try {
    const check = "import setuptools, sys; sys.exit(tuple(map(int, setuptools.__version__.split('.')[:2])) < (77, 0))";
    execFileSync(python, ["-c", check], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const isolation = modern ? ["--no-build-isolation"] : [];
execFileSync(
  python,
  ["-m", "pip", "wheel", "--no-deps", ...isolation, "--disable-pip-version-check", "-w", out, repo],
  { stdio: "inherit" },
);
const wheels = readdirSync(out).filter((name) => name.endsWith(".whl"));
if (wheels.length !== 1) throw new Error(`expected one wheel in ${out}, found ${wheels.length}`);
console.log(`wheel: ${wheels[0]}`);
