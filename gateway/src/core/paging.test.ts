import { decodeCursor, encodeCursor, mapNodes, toPage } from './paging';

describe('pages', () => {
  const rows = [1, 2, 3, 4].map((id) => ({ id: String(id), name: `row ${id}` }));
  const cursor = (row: { id: string }) => encodeCursor([row.id]);

  it('builds a page from one row more than it shows, with each edge’s cursor that of its row', () => {
    const page = toPage(rows, 3, false, (row) => row.name, cursor);
    expect(page.edges.map((edge) => [edge.node, decodeCursor(edge.cursor, ['bigint'])])).toEqual([
      ['row 1', ['1']],
      ['row 2', ['2']],
      ['row 3', ['3']],
    ]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: cursor(rows[0]), endCursor: cursor(rows[2]) });
  });

  it('maps the nodes of a page and keeps every edge’s cursor, made by toPage or given as it is', () => {
    const page = toPage(rows, 2, true, (row) => row.id, cursor);
    const mapped = mapNodes(page, (id) => ({ id: Number(id) }));
    expect(mapped.edges.map((edge) => ({ node: edge.node, cursor: edge.cursor }))).toEqual([
      { node: { id: 1 }, cursor: cursor(rows[0]) },
      { node: { id: 2 }, cursor: cursor(rows[1]) },
    ]);
    expect(mapped.pageInfo).toBe(page.pageInfo);

    const given = mapNodes({ edges: [{ node: 'a', cursor: 'c1' }], pageInfo: page.pageInfo }, (node) => node.toUpperCase());
    expect(given.edges).toEqual([{ node: 'A', cursor: 'c1' }]);
  });
});
