// The API reference page (/docs): renders every operation, webhook and schema of
// /api/v1/openapi.json with plain DOM calls (textContent only, so nothing in the document is
// parsed as HTML). Our own file, served from our origin: no CDN, no third-party code.

const SCHEMA_PREFIX = "#/components/schemas/";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function anchorOf(kind, name) {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

function resolve(doc, item) {
  if (item && item.$ref && item.$ref.startsWith("#/components/")) {
    const [, , section, name] = item.$ref.split("/");
    return doc.components[section][name];
  }
  return item;
}

function typeLabel(schema) {
  if (!schema || typeof schema !== "object") return "any";
  if (schema.$ref) return schema.$ref.slice(SCHEMA_PREFIX.length);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf || schema.oneOf) return (schema.anyOf || schema.oneOf).map(typeLabel).join(" | ");
  if (schema.allOf) return schema.allOf.map(typeLabel).join(" & ");
  if (schema.type === "array") return `${typeLabel(schema.items)}[]`;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || "any";
  return schema.format ? `${type} (${schema.format})` : type;
}

/** A schema as nested lists: each property with its type, whether required, and its description. */
function renderSchema(schema, depth = 0) {
  if (!schema || typeof schema !== "object") return el("code", {}, "any");
  if (schema.$ref) {
    const name = schema.$ref.slice(SCHEMA_PREFIX.length);
    return el("a", { href: `#${anchorOf("schema", name)}`, class: "ref" }, name);
  }
  const variants = schema.anyOf || schema.oneOf || schema.allOf;
  if (variants) {
    const word = schema.allOf ? "all of" : "one of";
    return el(
      "div",
      { class: "variants" },
      el("span", { class: "muted" }, word),
      el("ul", {}, variants.map((v) => el("li", {}, renderSchema(v, depth + 1)))),
    );
  }
  if (schema.type === "array") return el("span", {}, "array of ", renderSchema(schema.items, depth + 1));
  const props = schema.properties ? Object.entries(schema.properties) : [];
  if (props.length === 0 || depth > 6) {
    return el("span", {}, el("code", {}, typeLabel(schema)), schema.description ? ` — ${schema.description}` : "");
  }
  const required = new Set(schema.required || []);
  return el(
    "ul",
    { class: "props" },
    props.map(([name, prop]) => {
      const simple = !prop.properties && !prop.anyOf && !prop.oneOf && !prop.allOf &&
        !(prop.type === "array" && prop.items && (prop.items.properties || prop.items.$ref));
      return el(
        "li",
        {},
        el("code", { class: "prop" }, name),
        required.has(name) ? el("span", { class: "req" }, " required") : "",
        " ",
        simple ? el("code", { class: "type" }, typeLabel(prop)) : renderSchema(prop, depth + 1),
        simple && prop.description ? el("span", { class: "muted" }, ` — ${prop.description}`) : "",
      );
    }),
  );
}

function renderParameters(doc, parameters) {
  if (!parameters || parameters.length === 0) return null;
  const rows = parameters.map((p) => resolve(doc, p)).map((p) =>
    el(
      "tr",
      {},
      el("td", {}, el("code", {}, p.name)),
      el("td", {}, p.in),
      el("td", {}, p.required ? "yes" : ""),
      el("td", {}, el("code", {}, typeLabel(p.schema))),
      el("td", {}, p.description || ""),
    )
  );
  return el(
    "table",
    { class: "params" },
    el("thead", {}, el("tr", {}, ["name", "in", "required", "type", "description"].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows),
  );
}

function renderContent(content) {
  return Object.entries(content || {}).map(([type, media]) =>
    el("div", { class: "media" }, el("span", { class: "muted" }, type), " ", renderSchema(media.schema))
  );
}

function renderOperation(doc, method, path, op, kind = "op") {
  const id = anchorOf(kind, op.operationId || `${method}_${path}`);
  const security = (op.security || []).map((s) => Object.keys(s)[0]);
  return el(
    "section",
    { class: "operation", id },
    el("h3", {}, el("span", { class: `method ${method}` }, method.toUpperCase()), " ", el("code", {}, path)),
    el("p", { class: "summary" }, op.summary || ""),
    op.description ? op.description.split("\n\n").map((para) => el("p", {}, para)) : null,
    el(
      "p",
      { class: "muted" },
      `operationId ${op.operationId}`,
      security.length ? ` · auth: ${security.join(" or ")}` : " · no API key",
    ),
    renderParameters(doc, op.parameters),
    op.requestBody
      ? el("div", { class: "body" }, el("h4", {}, "Request body"), renderContent(op.requestBody.content))
      : null,
    el("h4", {}, "Responses"),
    el(
      "dl",
      { class: "responses" },
      Object.entries(op.responses || {}).map(([status, item]) => [status, resolve(doc, item)]).flatMap((
        [status, response],
      ) => [
        el("dt", { class: `status s${status[0]}` }, status),
        el("dd", {}, el("p", {}, response.description || ""), renderContent(response.content)),
      ]),
    ),
  );
}

/** Element.append does not flatten arrays: this does. */
function appendAll(parent, ...children) {
  parent.append(...children.flat(Infinity).filter(Boolean));
}

function render(doc) {
  const main = document.getElementById("reference");
  const toc = document.getElementById("toc");
  main.replaceChildren();
  toc.replaceChildren(el("h2", {}, doc.info.title), el("p", { class: "muted" }, `version ${doc.info.version}`));
  appendAll(main, el("h1", {}, doc.info.title), el("p", {}, doc.info.description || ""));

  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || "Other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([method, path, op]);
    }
  }
  for (const [tag, ops] of byTag) {
    appendAll(
      toc,
      el("h3", {}, tag),
      el(
        "ul",
        {},
        ops.map(([method, path, op]) =>
          el("li", {}, el("a", { href: `#${anchorOf("op", op.operationId)}` }, `${method.toUpperCase()} ${path}`))
        ),
      ),
    );
    appendAll(
      main,
      el("h2", { id: anchorOf("tag", tag) }, tag),
      ops.map(([method, path, op]) => renderOperation(doc, method, path, op)),
    );
  }

  const hooks = Object.entries(doc.webhooks || {});
  if (hooks.length) {
    appendAll(
      toc,
      el("h3", {}, "Webhook events"),
      el(
        "ul",
        {},
        hooks.map(([name, item]) =>
          el("li", {}, el("a", { href: `#${anchorOf("hook", item.post.operationId)}` }, name))
        ),
      ),
    );
    appendAll(
      main,
      el("h2", {}, "Webhook events"),
      hooks.map(([name, item]) => renderOperation(doc, "post", `(your endpoint) ${name}`, item.post, "hook")),
    );
  }

  const schemas = Object.entries(doc.components.schemas);
  appendAll(toc, el("h3", {}, "Schemas"), el("p", {}, el("a", { href: "#schemas" }, `${schemas.length} schemas`)));
  appendAll(
    main,
    el("h2", { id: "schemas" }, "Schemas"),
    schemas.map(([name, schema]) =>
      el("section", { class: "schema", id: anchorOf("schema", name) }, el("h3", {}, name), renderSchema(schema))
    ),
  );
  document.title = `${doc.info.title} — reference`;
  document.body.dataset.operations = String([...byTag.values()].reduce((n, ops) => n + ops.length, 0));
}

fetch("/api/v1/openapi.json")
  .then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  })
  .then(render)
  .catch((error) => {
    document.getElementById("status").textContent = `The API document could not be loaded: ${error.message}`;
  });
