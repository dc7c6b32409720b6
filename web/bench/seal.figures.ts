// How fast the console seals and opens a material in each suite, on this machine's Node.js (the
// same code the browser runs): MiB/s of sealFor/openFor over a 4 MiB file, best of 3 runs, and
// the wrap/unwrap of one data key. Prints the figures; asserts only that each run opened what it
// sealed. Run by bench/web_seal.sh.
import { it, expect } from "vitest";
import { deriveEncryptionKey } from "../src/materials/encryptionKey";
import { openFor, sealFor, unwrapFor, wrapFor } from "../src/materials/materials";
import { newDataKey } from "../src/materials/seal";
import type { SuiteName } from "../src/chain/suite";

const MIB = 1 << 20;
const SIZE = 4 * MIB;

function best(runs: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

it("prints the sealing figures", () => {
  const content = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(content.subarray(i, i + 65536));
  const aad = new TextEncoder().encode("declaration/0/material/0");
  const rows: Record<string, number> = {};
  for (const suite of ["intl", "sm"] as SuiteName[]) {
    const key = newDataKey();
    let sealed = new Uint8Array();
    const sealMs = best(3, () => {
      sealed = sealFor(suite, key, content, aad);
    });
    let opened = new Uint8Array();
    const openMs = best(3, () => {
      opened = openFor(suite, key, sealed, aad);
    });
    expect(opened.length).toBe(SIZE);
    const reader = deriveEncryptionKey({ suite, secret: new Uint8Array(32).fill(7) });
    let wrapped = new Uint8Array();
    const wrapMs = best(5, () => {
      wrapped = wrapFor(suite, reader.publicKey, key);
    });
    const unwrapMs = best(5, () => {
      expect(unwrapFor(suite, reader.secret, wrapped).length).toBe(32);
    });
    rows[`${suite} seal MiB/s`] = SIZE / MIB / (sealMs / 1000);
    rows[`${suite} open MiB/s`] = SIZE / MIB / (openMs / 1000);
    rows[`${suite} wrap ms`] = wrapMs;
    rows[`${suite} unwrap ms`] = unwrapMs;
  }
  rows["seal ratio intl/sm"] = rows["intl seal MiB/s"] / rows["sm seal MiB/s"];
  rows["open ratio intl/sm"] = rows["intl open MiB/s"] / rows["sm open MiB/s"];
  for (const [name, value] of Object.entries(rows)) console.log(`${name.padEnd(22)} ${value.toFixed(2)}`);
});
