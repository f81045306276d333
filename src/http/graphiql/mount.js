// Mounts GraphiQL on its page (page.html), against this service's
// /graphql. It runs before React, ReactDOM and GraphiQL (deferred), so
// that it sees their Content-Security-Policy violations too: they are
// kept in window.__cspViolations (the browser test reads them).
'use strict';

// The scroll lock of GraphiQL's dialogs (react-remove-scroll) adds a style
// element: the page's policy takes it with the nonce on this script's tag.
window.__webpack_nonce__ = document.currentScript.nonce;

window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});

// Deferred scripts have run by now.
document.addEventListener('DOMContentLoaded', () => {
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
  );
});
