/**
 * `deno task watchlist-import --source ofac_sdn --file sdn.csv [--aliases alt.csv]` or
 * `--source un_consolidated --file consolidated.xml` [--list-version …] [--imported-by …]:
 * replaces that source's entries with the file's, in one transaction, and prints the counts as
 * JSON. The operator downloads the files; nothing here touches the network.
 */
import { parseArgs } from "node:util";
import { sha256Hex } from "../core/crypto/hmac.ts";
import { withProductDatabase } from "../core/embedded/embedded_env.ts";
import { importWatchlist } from "../core/watchlists/import.ts";
import { decodeOfacFile, parseOfacSdn } from "../core/watchlists/ofac_sdn.ts";
import type { ParsedList } from "../core/watchlists/parsed_list.ts";
import { parseUnConsolidated } from "../core/watchlists/un_consolidated.ts";

const USAGE = "usage: deno task watchlist-import --source ofac_sdn --file sdn.csv [--aliases alt.csv]\n" +
  "       deno task watchlist-import --source un_consolidated --file consolidated.xml\n" +
  "       options: --list-version <text> (e.g. the publication date), --imported-by <name> (default $USER)";

const { values } = parseArgs({
  options: {
    source: { type: "string" },
    file: { type: "string" },
    aliases: { type: "string" },
    "list-version": { type: "string" },
    "imported-by": { type: "string" },
  },
});
const problems: string[] = [];
if (values.source !== "ofac_sdn" && values.source !== "un_consolidated") {
  problems.push("--source must be ofac_sdn or un_consolidated");
}
if (!values.file) problems.push("--file is required");
if (values.aliases && values.source !== "ofac_sdn") problems.push("--aliases is for ofac_sdn (alt.csv) only");
if (problems.length) {
  console.error(`${problems.join("\n")}\n${USAGE}`);
  Deno.exit(64);
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    console.error(`cannot read ${path}: ${(error as Error).message}`);
    Deno.exit(66);
  }
}

// Parsed before the database starts, so a wrong file fails fast and touches nothing.
const file = await readInput(values.file!);
const aliases = values.aliases ? await readInput(values.aliases) : null;
let list: ParsedList;
try {
  list = values.source === "ofac_sdn"
    ? parseOfacSdn(decodeOfacFile(file), aliases ? decodeOfacFile(aliases) : undefined)
    : parseUnConsolidated(new TextDecoder().decode(file));
} catch (error) {
  console.error(`cannot parse ${values.file} as ${values.source}: ${(error as Error).message}`);
  Deno.exit(65);
}
if (list.entries.length === 0) {
  // An empty parse would wipe the source: almost certainly the wrong file.
  console.error(`${values.file} holds no ${values.source} entries; nothing imported`);
  Deno.exit(65);
}

const summary = await withProductDatabase((db) =>
  importWatchlist(db, {
    source: values.source!,
    list,
    fileSha256: sha256Hex(file),
    aliasesFileSha256: aliases ? sha256Hex(aliases) : null,
    listVersion: values["list-version"] ?? null,
    importedBy: values["imported-by"] ?? Deno.env.get("USER") ?? "unknown",
  })
);
console.log(JSON.stringify(
  {
    import_id: summary.importId,
    source: summary.source,
    list_version: summary.listVersion,
    entries: summary.entryCount,
    names: summary.nameCount,
    aliases: summary.aliasCount,
    replaced_entries: summary.replacedEntryCount,
    skipped_rows: summary.skipped,
  },
  null,
  2,
));
