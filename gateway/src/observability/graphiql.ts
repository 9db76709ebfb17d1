import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: join(dirname(require.resolve('react/package.json')), 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': {
    file: join(dirname(require.resolve('react-dom/package.json')), 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphiql.js': { file: join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.css'), type: 'text/css' },
};

/** GraphiQL loads only its own files and talks only to this origin; its styles are injected at run time. */
export const GRAPHIQL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Cabinet GraphQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/assets/page.js"></script>
</body>
</html>`;

const SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
const defaultQuery = \`# Press the run button, pick the operation, then copy a company id into Variables for Numbers.
query Companies {
  companies { id bin name }
}

query Numbers($companyId: ID!) {
  numbers(companyId: $companyId, search: "7010542", first: 20) {
    edges { node { id msisdn state balance account { accountNo paymentMethod } tariff { name } } }
    pageInfo { hasNextPage endCursor }
  }
}
\`;
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);`;

/** GraphiQL for people, served from the installed packages so that it works without internet access. */
export function registerGraphiql(app: FastifyInstance): void {
  app.get('/graphiql', async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', GRAPHIQL_CSP).send(PAGE));
  app.get('/graphiql/assets/page.js', async (_request, reply) => reply.type('text/javascript').send(SCRIPT));
  app.get<{ Params: { name: string } }>('/graphiql/assets/:name', async (request, reply) => {
    const asset = ASSETS[request.params.name];
    if (!asset) return reply.code(404).send({ error: 'not found' });
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(createReadStream(asset.file));
  });
}
