import { Field, ObjectType, type ClassType } from 'type-graphql';

@ObjectType({ description: 'Where a page of a connection stands in the whole list.' })
export class PageInfo {
  @Field({ description: 'True when more items follow the last edge.' }) hasNextPage: boolean;
  @Field({ description: 'True when this page was fetched with `after`: items precede the first edge.' }) hasPreviousPage: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' }) startCursor: string | null;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` for the next page.' })
  endCursor: string | null;
}

/** A Relay connection type for `Item`, named `<name>Connection` with `<name>Edge`. */
export function Connection<T extends object>(Item: ClassType<T>, name: string, what: string) {
  @ObjectType(`${name}Edge`, { description: `One ${what} with its cursor.` })
  class EdgeType {
    @Field(() => Item, { description: `The ${what}.` }) node: T;
    @Field({ description: 'Opaque cursor of this edge.' }) cursor: string;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what}s.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: `The ${what}s of this page, in order.` }) edges: EdgeType[];
    @Field(() => PageInfo, { description: 'Paging state.' }) pageInfo: PageInfo;
  }
  return ConnectionType;
}
