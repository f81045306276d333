// <osce-press-releases>: the latest OSCE press releases inside a partner's
// page, read from the GraphQL API (a cross-origin GET, allowed by CORS).
// No build step and no dependencies: include this script, then e.g.
//
//   <osce-press-releases country="AM" field-of-work="human-rights" count="5"
//                        theme="light"></osce-press-releases>
//
// Attributes: field-of-work, country, source, language (comma-separated
// lists), q (a search), count (1-100, default 5), theme (light, dark,
// auto), heading (a title above the list), api (the API's base URL; by
// default where this script was loaded from).
(() => {
  "use strict";
  if (customElements.get("osce-press-releases")) return;

  const script = document.currentScript;
  // The API's base: the folder this script was served from.
  const scriptBase = script && script.src ? new URL(".", script.src).href.replace(/\/$/, "") : "";

  const QUERY = `query OscePressReleases($filter: PressReleaseFilterInput, $search: String, $first: Int) {
  pressReleases(filter: $filter, search: $search, first: $first, orderBy: DATE_DESC) {
    edges { node { slug title date place language summary source { name } } }
  }
}`;

  const STYLE = `
:host{display:block;--bg:#fff;--fg:#1d2733;--muted:#5b6876;--link:#00508a;--rule:#d8dee4;
  font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
:host([theme=dark]){--bg:#14191f;--fg:#e6ebf0;--muted:#9aa7b4;--link:#7cc0ff;--rule:#2c3640}
@media (prefers-color-scheme:dark){:host([theme=auto]){--bg:#14191f;--fg:#e6ebf0;--muted:#9aa7b4;--link:#7cc0ff;--rule:#2c3640}}
.box{background:var(--bg);color:var(--fg);padding:12px 16px}
h2{font-size:16px;margin:0 0 8px}
ol{list-style:none;margin:0;padding:0}
li{padding:8px 0;border-top:1px solid var(--rule)}
a{color:var(--link);font-weight:600;text-decoration:none}
a:hover{text-decoration:underline}
.meta{color:var(--muted);font-size:13px;margin-top:2px}
.summary{margin:4px 0 0;font-size:14px}
.error{color:#b00020}`;

  const list = (value) =>
    (value || "").split(",").map((v) => v.trim()).filter((v) => v !== "");

  class OscePressReleases extends HTMLElement {
    static get observedAttributes() {
      return ["field-of-work", "country", "source", "language", "q", "count", "theme", "heading", "api"];
    }

    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      this.generation = 0;
    }

    connectedCallback() {
      this.load();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }

    api() {
      return (this.getAttribute("api") || scriptBase).replace(/\/$/, "");
    }

    async load() {
      // A newer load (attributes changed meanwhile) wins over an older one.
      const generation = ++this.generation;
      const filter = {};
      const fields = list(this.getAttribute("field-of-work"));
      const countries = list(this.getAttribute("country")).map((c) => c.toUpperCase());
      const sources = list(this.getAttribute("source"));
      const languages = list(this.getAttribute("language"));
      if (fields.length) filter.fieldsOfWork = fields;
      if (countries.length) filter.countries = countries;
      if (sources.length) filter.sources = sources;
      if (languages.length) filter.languages = languages;
      const count = Math.min(100, Math.max(1, parseInt(this.getAttribute("count") || "5", 10) || 5));
      const variables = { filter, first: count };
      const q = (this.getAttribute("q") || "").trim();
      if (q) variables.search = q;
      const url = `${this.api()}/graphql?query=${encodeURIComponent(QUERY)}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
      this.setAttribute("data-state", "loading");
      try {
        const response = await fetch(url, { headers: { accept: "application/json" } });
        const body = await response.json();
        if (generation !== this.generation) return;
        if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
        this.render(body.data.pressReleases.edges.map((e) => e.node));
        this.setAttribute("data-state", "loaded");
      } catch (error) {
        if (generation !== this.generation) return;
        this.renderError(error);
        this.setAttribute("data-state", "error");
      }
    }

    frame() {
      const root = this.shadowRoot;
      root.replaceChildren();
      const style = document.createElement("style");
      style.textContent = STYLE;
      const box = document.createElement("div");
      box.className = "box";
      box.setAttribute("part", "box");
      root.append(style, box);
      const heading = this.getAttribute("heading");
      if (heading) {
        const h2 = document.createElement("h2");
        h2.textContent = heading;
        box.append(h2);
      }
      return box;
    }

    render(releases) {
      const box = this.frame();
      if (!releases.length) {
        const p = document.createElement("p");
        p.className = "meta";
        p.textContent = "No press releases match.";
        box.append(p);
        return;
      }
      const ol = document.createElement("ol");
      for (const release of releases) {
        const li = document.createElement("li");
        li.lang = release.language;
        const a = document.createElement("a");
        a.href = `${this.api()}/press-releases/${encodeURIComponent(release.slug)}`;
        a.target = "_blank";
        a.rel = "noopener";
        a.className = "title";
        a.textContent = release.title;
        const meta = document.createElement("div");
        meta.className = "meta";
        // Day month year, as on the embed page, in the page's language.
        const lang = document.documentElement.lang || "en";
        const date = new Date(`${release.date}T00:00:00Z`).toLocaleDateString(
          lang === "en" ? "en-GB" : lang,
          { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" },
        );
        meta.textContent = [date, release.place, release.source.name].filter(Boolean).join(" · ");
        li.append(a, meta);
        if (release.summary) {
          const p = document.createElement("p");
          p.className = "summary";
          p.textContent = release.summary;
          li.append(p);
        }
        ol.append(li);
      }
      box.append(ol);
    }

    renderError(error) {
      const box = this.frame();
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = `OSCE press releases could not be loaded: ${error.message}`;
      box.append(p);
    }
  }

  customElements.define("osce-press-releases", OscePressReleases);
})();
